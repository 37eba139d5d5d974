package mqtt_test

import (
	"fmt"
	"strings"
	"testing"

	paho "github.com/eclipse/paho.mqtt.golang"
	"github.com/moonpin/moonpin/interp"
	"github.com/moonpin/moonpin/interp/host"
	"github.com/moonpin/moonpin/interp/interptest"
	"github.com/moonpin/moonpin/interp/lib/mqtt/mqtttest"
	lua "github.com/yuin/gopher-lua"
)

var benchPayload = strings.Repeat("x", 64)

// BenchmarkPublish measures publish throughput to a local mosquitto, from Lua
// through the mqtt module and, as the baseline in the same run, from Go
// through paho directly: both publish b.N messages and wait until the last
// is written (QoS 0) or acknowledged (QoS 1). bench/mqtt.sh prints the ratios.
func BenchmarkPublish(b *testing.B) {
	broker := mqtttest.Start(b, mqtttest.Options{})
	for _, qos := range []byte{0, 1} {
		b.Run(fmt.Sprintf("lua/qos%d", qos), func(b *testing.B) { benchLua(b, broker, qos) })
		b.Run(fmt.Sprintf("go/qos%d", qos), func(b *testing.B) { benchGo(b, broker, qos) })
	}
}

func benchLua(b *testing.B, broker *mqtttest.Broker, qos byte) {
	rt, out := interptest.New(b, &interp.Options{
		Setup: func(L *lua.LState, _ *host.Host) error {
			L.SetGlobal("BROKER", lua.LString(broker.URL))
			L.SetGlobal("PAYLOAD", lua.LString(benchPayload))
			return nil
		},
	})
	exec := func(code string) {
		if err := rt.Exec("bench.lua", code); err != nil {
			b.Fatalf("%v\noutput:\n%s", err, out)
		}
	}
	exec(`c = mqtt.connect{url = BROKER}; assert(c:wait_connected(10))`)
	b.ResetTimer()
	exec(fmt.Sprintf(`
		local c, payload, opts = c, PAYLOAD, {qos = %d}
		for i = 1, %d do c:publish("bench/lua", payload, opts) end
		assert(c:flush(120), "not flushed")
	`, qos, b.N))
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	exec(`assert(c.dropped == 0, "dropped") c:close()`)
}

func benchGo(b *testing.B, broker *mqtttest.Broker, qos byte) {
	c := broker.Client(b, "bench-go")
	tokens := make([]paho.Token, b.N)
	b.ResetTimer()
	for i := range tokens {
		tokens[i] = c.Publish("bench/go", qos, false, benchPayload)
	}
	for _, tok := range tokens {
		if tok.Wait(); tok.Error() != nil {
			b.Fatal(tok.Error())
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
