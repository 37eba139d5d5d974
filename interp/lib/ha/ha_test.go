package ha_test

import (
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/moonpin/moonpin/interp"
	"github.com/moonpin/moonpin/interp/host"
	"github.com/moonpin/moonpin/interp/interptest"
	"github.com/moonpin/moonpin/interp/lib/mqtt/mqtttest"
	lua "github.com/yuin/gopher-lua"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestScripts(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "tcp://" + l.Addr().String()
	l.Close()
	interptest.RunScripts(t, "testdata/*.lua", &interp.Options{
		Setup: func(L *lua.LState, _ *host.Host) error {
			L.SetGlobal("CLOSED", lua.LString(closed))
			return nil
		},
	})
}

// newRuntime returns a runtime with the global BROKER and notify(text),
// which sends text to the returned channel.
func newRuntime(t *testing.T, broker string) (*interp.Runtime, *interptest.Buffer, <-chan string) {
	events := make(chan string, 100)
	rt, out := interptest.New(t, &interp.Options{
		Setup: func(L *lua.LState, _ *host.Host) error {
			L.SetGlobal("BROKER", lua.LString(broker))
			L.SetGlobal("notify", L.NewFunction(func(L *lua.LState) int {
				events <- L.CheckString(1)
				return 0
			}))
			return nil
		},
	})
	return rt, out, events
}

// execer returns a function that runs code in rt as test.lua, failing the
// test with rt's output when it fails.
func execer(t *testing.T, rt *interp.Runtime, out *interptest.Buffer) func(code string) {
	return func(code string) {
		t.Helper()
		if err := rt.Exec("test.lua", code); err != nil {
			t.Fatalf("%v\noutput:\n%s", err, out)
		}
	}
}

// config is what the tests read of a discovery config.
type config struct {
	Name              string `json:"name"`
	UniqueID          string `json:"unique_id"`
	StateTopic        string `json:"state_topic"`
	CommandTopic      string `json:"command_topic"`
	Unit              string `json:"unit_of_measurement"`
	DeviceClass       string `json:"device_class"`
	StateClass        string `json:"state_class"`
	PayloadOn         string `json:"payload_on"`
	PayloadOff        string `json:"payload_off"`
	SuggestedPrecison int    `json:"suggested_display_precision"`
	Device            struct {
		Identifiers  []string `json:"identifiers"`
		Name         string   `json:"name"`
		Manufacturer string   `json:"manufacturer"`
		Model        string   `json:"model"`
	} `json:"device"`
	Availability []struct {
		Topic        string `json:"topic"`
		Available    string `json:"payload_available"`
		NotAvailable string `json:"payload_not_available"`
	} `json:"availability"`
	Origin struct {
		Name string `json:"name"`
	} `json:"origin"`
}

func TestDiscovery(t *testing.T) {
	b := mqtttest.Start(t, mqtttest.Options{})
	watcher := b.Client(t, "ha-watcher")
	configs := mqtttest.Watch(t, watcher, "homeassistant/#")
	states := mqtttest.Watch(t, watcher, "moonpin/#")
	rt, out, events := newRuntime(t, b.URL)
	exec := execer(t, rt, out)
	exec(`
		relay = gpio.pin("GPIO17", gpio.OUT)
		dev = ha.device{name = "Greenhouse", id = "gh", url = BROKER}
		temp = dev:sensor{name = "Temperature", unit = "°C", device_class = "temperature", suggested_display_precision = 1}
		door = dev:binary_sensor{name = "Door", device_class = "door"}
		fan = dev:switch{name = "Fan", on_command = function(on)
			relay:write(on and 1 or 0)
			notify("fan " .. tostring(on))
		end}
		temp:set(21.5)
		-- Home Assistant refuses nan and inf as measurements
		local ok, err = pcall(temp.set, temp, 0/0)
		assert(not ok and err:find("(nan is not a reading Home Assistant takes", 1, true), err)
		assert(not pcall(temp.set, temp, 1/0))
	`)

	got := map[string]config{}
	for len(got) < 3 {
		m := mqtttest.Until(t, configs, "discovery config", func(m mqtttest.Msg) bool { return strings.HasSuffix(m.Topic, "/config") })
		var c config
		if err := json.Unmarshal([]byte(m.Payload), &c); err != nil {
			t.Fatalf("%s: %v\n%s", m.Topic, err, m.Payload)
		}
		if m.QoS != 1 {
			t.Errorf("%s came with QoS %d", m.Topic, m.QoS)
		}
		got[m.Topic] = c
	}
	for topic, want := range map[string]struct{ uniqueID, state, command string }{
		"homeassistant/sensor/gh/temperature/config": {"gh_temperature", "moonpin/gh/temperature/state", ""},
		"homeassistant/binary_sensor/gh/door/config": {"gh_door", "moonpin/gh/door/state", ""},
		"homeassistant/switch/gh/fan/config":         {"gh_fan", "moonpin/gh/fan/state", "moonpin/gh/fan/set"},
	} {
		c, ok := got[topic]
		switch {
		case !ok:
			t.Errorf("no config on %s; got %v", topic, got)
		case c.UniqueID != want.uniqueID || c.StateTopic != want.state || c.CommandTopic != want.command:
			t.Errorf("%s: unique_id %q state_topic %q command_topic %q, want %v", topic, c.UniqueID, c.StateTopic, c.CommandTopic, want)
		case len(c.Device.Identifiers) != 1 || c.Device.Identifiers[0] != "moonpin_gh" || c.Device.Name != "Greenhouse" || c.Device.Manufacturer != "moonpin" || c.Device.Model != "sim":
			t.Errorf("%s: device %+v", topic, c.Device)
		case len(c.Availability) != 1 || c.Availability[0].Topic != "moonpin/gh/availability" || c.Availability[0].Available != "online" || c.Availability[0].NotAvailable != "offline":
			t.Errorf("%s: availability %+v", topic, c.Availability)
		case c.Origin.Name != "moonpin":
			t.Errorf("%s: origin %+v", topic, c.Origin)
		}
	}
	if c := got["homeassistant/sensor/gh/temperature/config"]; c.Name != "Temperature" || c.Unit != "°C" || c.DeviceClass != "temperature" || c.StateClass != "measurement" || c.SuggestedPrecison != 1 {
		t.Errorf("temperature config %+v", c)
	}
	if c := got["homeassistant/switch/gh/fan/config"]; c.PayloadOn != "ON" || c.PayloadOff != "OFF" {
		t.Errorf("fan config %+v", c)
	}
	is := func(topic, payload string) func(mqtttest.Msg) bool {
		return func(m mqtttest.Msg) bool { return m.Topic == topic && m.Payload == payload }
	}
	mqtttest.Until(t, states, "online", is("moonpin/gh/availability", "online"))
	mqtttest.Until(t, states, "temperature", is("moonpin/gh/temperature/state", "21.5"))

	// Retained: what a Home Assistant that starts now would see.
	late := mqtttest.Watch(t, b.Client(t, "late"), "homeassistant/sensor/gh/temperature/config")
	if m := mqtttest.Until(t, late, "retained config", func(mqtttest.Msg) bool { return true }); !m.Retained {
		t.Errorf("config not retained: %+v", m)
	}

	// command publishes a command as Home Assistant does and waits for
	// on_command's report of it.
	command := func(payload, want string) {
		t.Helper()
		watcher.Publish("moonpin/gh/fan/set", 1, false, payload).Wait()
		select {
		case e := <-events:
			if e != want {
				t.Fatalf("got %q, want %s", e, want)
			}
		case <-time.After(mqtttest.Timeout):
			t.Fatalf("on_command not called; output:\n%s", out)
		}
	}
	// A command from Home Assistant switches the relay and reports the state.
	command("ON", "fan true")
	mqtttest.Until(t, states, "fan on", is("moonpin/gh/fan/state", "ON"))
	// A command that is neither ON nor OFF is ignored with a line that
	// quotes 40 bytes of it, not all (anyone on the broker can send one).
	watcher.Publish("moonpin/gh/fan/set", 1, false, strings.Repeat("z", 100000)).Wait()
	command("OFF", "fan false")
	if want := `ha: gh_fan: ignoring command "` + strings.Repeat("z", 40) + `"... (100000 bytes) (want ON or OFF)`; !strings.Contains(out.String(), want) || len(out.String()) > 10000 {
		t.Fatalf("output lacks %q or is %d bytes", want, len(out.String()))
	}
	command("ON", "fan true")
	exec(`assert(relay:read() == 1, "relay off")  door:set(true)`)
	mqtttest.Until(t, states, "door", is("moonpin/gh/door/state", "ON"))

	// Home Assistant restarting (its birth message) gets everything again.
	watcher.Publish("homeassistant/status", 1, false, "online").Wait()
	mqtttest.Until(t, configs, "config again", func(m mqtttest.Msg) bool { return m.Topic == "homeassistant/switch/gh/fan/config" })
	mqtttest.Until(t, states, "fan again", is("moonpin/gh/fan/state", "ON"))

	exec(`dev:close()`)
	mqtttest.Until(t, states, "offline", is("moonpin/gh/availability", "offline"))
	b.WaitLog("Client moonpin-gh disconnected.")
}

// TestLastWill kills a real moonpin process running a device: the broker
// publishes the will, and Home Assistant sees the device go offline.
func TestLastWill(t *testing.T) {
	b := mqtttest.Start(t, mqtttest.Options{})
	dir := t.TempDir()
	bin := filepath.Join(dir, "moonpin")
	if out, err := exec.Command("go", "build", "-o", bin, "../../../cmd/moonpin").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	script := `
		local dev = ha.device{name = "Doomed", id = "doomed", url = os.getenv("BROKER")}
		dev:sensor{name = "Uptime", unit = "s"}:set(1)
	`
	if err := os.WriteFile(filepath.Join(dir, "main.lua"), []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	availability := mqtttest.Watch(t, b.Client(t, "watcher"), "moonpin/doomed/availability")
	cmd := exec.Command(bin, "--board", "sim", "main.lua")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "BROKER="+b.URL)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	is := func(payload string) func(mqtttest.Msg) bool {
		return func(m mqtttest.Msg) bool { return m.Payload == payload }
	}
	mqtttest.Until(t, availability, "online", is("online"))
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	mqtttest.Until(t, availability, "offline after the kill", is("offline"))
	late := mqtttest.Watch(t, b.Client(t, "late"), "moonpin/doomed/availability")
	if m := mqtttest.Until(t, late, "retained", func(mqtttest.Msg) bool { return true }); m.Payload != "offline" || !m.Retained {
		t.Errorf("retained availability %+v, want offline", m)
	}
	if strings.Contains(out.String(), "error") {
		t.Errorf("moonpin printed:\n%s", out.String())
	}
}
