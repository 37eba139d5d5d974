package mqtt_test

import (
	"strings"
	"testing"

	"github.com/moonpin/moonpin/interp/lib/mqtt/mqtttest"
)

// TestRefusedSubscription: a SUBACK refusing a filter (0x80: not allowed
// by the broker's ACL, say) is reported with a line, and the filter is
// asked for again at the next connection; it was ignored without a word.
func TestRefusedSubscription(t *testing.T) {
	b := mqtttest.StartFake(t, 0, 0x80)
	h := newHarness(t, map[string]string{"BROKER": b.URL})
	h.exec(`
		c = mqtt.connect{url = BROKER}
		c:subscribe("in/#", function() end, 1)
	`)
	if f := <-b.Subs; f != "in/#" {
		t.Fatalf("subscribed to %q", f)
	}
	e := h.expect("print: mqtt: ")
	if !strings.Contains(e, `the broker refused the subscription to "in/#"`) {
		t.Fatalf("the line: %q", e)
	}
	b.Drop()
	if f := <-b.Subs; f != "in/#" {
		t.Fatalf("subscribed again to %q", f)
	}
	h.exec(`c:close(0)`)
}
