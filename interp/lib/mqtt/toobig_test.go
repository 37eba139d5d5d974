package mqtt_test

import (
	"strings"
	"sync/atomic"
	"testing"

	"github.com/moonpin/moonpin/interp/lib/mqtt/mqtttest"
	lua "github.com/yuin/gopher-lua"
)

// TestDroppedNoticesDoNotPileUp: each message over max_payload posted its
// own notice to the loop, holding its whole topic: a flood of them while
// the script was busy took the memory limit (256 MB in 2.8 s), and an idle
// script's process grew to 13 GB. One notice at a time is pending; it
// counts the messages dropped since the last and shows a shortened topic.
func TestDroppedNoticesDoNotPileUp(t *testing.T) {
	b := mqtttest.StartFake(t, 0, 0)
	var release atomic.Bool
	h := newHarness(t, map[string]string{"BROKER": b.URL})
	h.exec(`c = mqtt.connect{url = BROKER, max_payload = 1000}; assert(c:wait_connected(10))`)
	h.rt.Do(func(L *lua.LState) error {
		L.SetGlobal("released", L.NewFunction(func(L *lua.LState) int {
			L.Push(lua.LBool(release.Load()))
			return 1
		}))
		return nil
	})
	busy := make(chan error, 1)
	go func() { busy <- h.rt.Exec("busy.lua", `notify("busy") while not released() do end`) }()
	h.expect("busy")
	const n = 100
	topic := "big/" + strings.Repeat("t", 60000)
	payload := strings.Repeat("x", 70000)
	for i := range n {
		p := mqtttest.Publish(topic, payload)
		p.Qos, p.MessageID = 1, uint16(i+1)
		b.Send <- p
	}
	// Each is acknowledged once dropped, and its notice posted.
	for range n {
		<-b.Acks
	}
	release.Store(true)
	if err := <-busy; err != nil {
		t.Fatal(err)
	}
	h.exec(`c:close(0)`)
	out := h.out.String()
	lines := strings.Count(out, "mqtt: dropped")
	if lines > 2 {
		t.Fatalf("%d notices for %d dropped messages", lines, n)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if len(line) > 300 {
			t.Fatalf("a notice of %d bytes: %.300s...", len(line), line)
		}
	}
	if !strings.Contains(out, "messages over max_payload (1000)") {
		t.Fatalf("no count of the messages dropped in:\n%s", out)
	}
}
