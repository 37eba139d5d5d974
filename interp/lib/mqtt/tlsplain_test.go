package mqtt_test

import (
	"strings"
	"testing"

	"github.com/moonpin/moonpin/interp/lib/mqtt/mqtttest"
)

// TestTLSToAPlainPort: the reason a tls:// client cannot connect to a
// plain MQTT port is the same each attempt (it named the connection's
// ephemeral port, so the line was printed anew at every retry) and hints
// at the mismatch.
func TestTLSToAPlainPort(t *testing.T) {
	b := mqtttest.StartFake(t, 0, 0)
	h := newHarness(t, map[string]string{"BROKER": strings.Replace(b.URL, "tcp://", "tls://", 1)})
	h.exec(`
		c = mqtt.connect{url = BROKER}
		c:on("disconnect", function(reason) notify("reason: " .. reason) end)
	`)
	first, second := h.expect("reason: "), h.expect("reason: ")
	if first != second {
		t.Fatalf("the reasons differ: %q, %q", first, second)
	}
	if !strings.Contains(first, "does the port speak TLS?") {
		t.Fatalf("no hint in %q", first)
	}
	h.exec(`c:close(0)`)
}
