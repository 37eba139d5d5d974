package mqtt_test

import (
	"testing"

	"github.com/moonpin/moonpin/interp/lib/mqtt/mqtttest"
)

// TestUndefinedConnackRefuses: a CONNACK whose return code MQTT 3.1.1
// does not define (6 to 255) is no acceptance; the client counted itself
// connected (paho returns no error for such a code).
func TestUndefinedConnackRefuses(t *testing.T) {
	b := mqtttest.StartFake(t, 6, 0)
	h := newHarness(t, map[string]string{"BROKER": b.URL})
	h.exec(`
		c = mqtt.connect{url = BROKER}
		c:on("connect", function() notify("event: connected") end)
		c:on("disconnect", function(reason) notify("event: " .. reason) end)
	`)
	if e := h.expect("event: "); e != "event: the broker refused the connection with return code 6, which MQTT 3.1.1 does not define" {
		t.Fatalf("got %q", e)
	}
	h.exec(`assert(not c.connected) c:close(0)`)
}
