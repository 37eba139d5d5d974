// Package examples_test runs every example script on the simulated board and
// checks what it printed and did, so the examples stay working (tinygo's
// smoketest, with the output checked).
package examples_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/moonpin/moonpin/hal/sim"
	"github.com/moonpin/moonpin/interp"
	"github.com/moonpin/moonpin/interp/interptest"
	"github.com/moonpin/moonpin/interp/lib/mqtt/mqtttest"
	"go.uber.org/goleak"
	"periph.io/x/conn/v3/physic"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// expectations say what each example must print (in order) and check.
var expectations = map[string]struct {
	board  string // a board file; the default sim board when empty
	setup  func(t *testing.T, b *sim.Board)
	output []string
	check  func(t *testing.T, b *sim.Board)
}{
	"blink.lua": {
		output: []string{"blink 1: on", "blink 5: on", "done"},
		check: func(t *testing.T, b *sim.Board) {
			h := b.History("GPIO17")
			var levels []string
			for _, c := range h {
				levels = append(levels, c.Level.String())
			}
			want := "Low High Low High Low High Low High Low High Low"
			if got := strings.Join(levels, " "); got != want {
				t.Errorf("GPIO17 went %s, want %s", got, want)
			}
		},
	},
	"button.lua": {
		output: []string{"press 1 at", "press 2 at", "press 3 at", "presses: 3"},
	},
	"bme280.lua": {
		setup:  setWeather,
		output: []string{"temperature 23.40 C", "pressure 987.65 hPa", "humidity 55.5 %"},
	},
	"lcd_thermometer.lua": {
		board:  "workbench.json",
		output: []string{" 19.25 C  #1", " 19.25 C  #3", "│Thermometer     │\n│ 19.25 C  #3    │"},
		check: func(t *testing.T, b *sim.Board) {
			m, _ := b.Models("I2C1")
			if on := m[0x27].State()["on"]; on != false {
				t.Errorf("the LCD is on (%v) after close", on)
			}
		},
	},
	"scale.lua": {
		board:  "workbench.json",
		output: []string{"tare: 8000 counts", "weight 0.250 kg", "weight 1.200 kg", "weight 0.000 kg"},
	},
	"eeprom.lua": {
		output: []string{`stored: {"boots":7,"name":"greenhouse"}`, "boots: 7"},
		check: func(t *testing.T, b *sim.Board) {
			dev, _ := b.I2CDevice("I2C1", 0x50)
			if !strings.Contains(string(dev.(*sim.AT24C32).Contents()), "greenhouse") {
				t.Error("the record is not in the EEPROM's memory")
			}
		},
	},
	"ha_bme280.lua": {
		setup: func(t *testing.T, b *sim.Board) {
			setWeather(t, b)
			// Without mosquitto the example runs against a port nobody
			// listens on: it must print its readings and not wait.
			haBroker = nil
			url := "tcp://127.0.0.1:1"
			if mqtttest.Binary() != "" {
				haBroker = mqtttest.Start(t, mqtttest.Options{})
				url = haBroker.URL
			}
			t.Setenv("MQTT_URL", url)
		},
		output: []string{"temperature 23.40 C, humidity 55.5 %, pressure 987.65 hPa"},
		check: func(t *testing.T, b *sim.Board) {
			if haBroker == nil {
				t.Log("mosquitto is not installed; checked the example's output only")
				return
			}
			watcher := haBroker.Client(t, "examples-watcher")
			configs := mqtttest.Watch(t, watcher, "homeassistant/+/greenhouse/+/config")
			for range 4 {
				mqtttest.Until(t, configs, "discovery config", func(mqtttest.Msg) bool { return true })
			}
			states := mqtttest.Watch(t, watcher, "moonpin/greenhouse/#")
			is := func(topic, payload string) func(mqtttest.Msg) bool {
				return func(m mqtttest.Msg) bool { return m.Topic == topic && m.Payload == payload }
			}
			mqtttest.Until(t, states, "temperature", is("moonpin/greenhouse/temperature/state", "23.40"))
			watcher.Publish("moonpin/greenhouse/relay/set", 1, false, "ON").Wait()
			mqtttest.Until(t, states, "relay on", is("moonpin/greenhouse/relay/state", "ON"))
			if h := b.History("GPIO17"); len(h) == 0 || !bool(h[len(h)-1].Level) {
				t.Errorf("the relay on GPIO17 is not on: %v", h)
			}
		},
	},
	"fade.lua": {
		output: []string{"duty 0.00", "duty 0.25", "duty 1.00", "duty 0.25", "duty 0.00", "done"},
		check: func(t *testing.T, b *sim.Board) {
			if _, freq, err := b.PWM("GPIO13"); err != nil || freq != 0 {
				t.Errorf("GPIO13 still runs PWM at %v (%v) after the example closed it", freq, err)
			}
		},
	},
	"i2c_scan.lua": {output: []string{"I2C1: 0x18 0x20 0x23 0x38 0x3c 0x40 0x41 0x48 0x49 0x50 0x70 0x76 0x77"}},
	"weather_station.lua": {
		output: []string{"21.7 C  1009.3 hPa  48 %RH", "21.7 C  1009.3 hPa  48 %RH", "21.7 C  1009.3 hPa  48 %RH",
			"│█       ██   ██                    ██   ██"}, // the W and the h of "Weather" on the screen
		check: func(t *testing.T, b *sim.Board) {
			dev, _ := b.I2CDevice("I2C1", 0x3c)
			if dev.(*sim.SSD1306).State()["on"] != false {
				t.Error("the OLED is still on after the example closed it")
			}
		},
	},
	"servo_sweep.lua": {
		output: []string{"servo   0 deg  (pulse 502 us)", "servo  90 deg  (pulse 1510 us)", "servo 180 deg  (pulse 2519 us)", "servo   0 deg"},
		check: func(t *testing.T, b *sim.Board) {
			dev, _ := b.I2CDevice("I2C1", 0x40)
			if duty := dev.(*sim.PCA9685).State()["duty"].([]float64); duty[0] != 0 {
				t.Errorf("channel 0 still runs at duty %v", duty[0])
			}
		},
	},
	"voltmeter.lua": {output: []string{"A0: 3.300 V (raw 26400)", "A1: 1.200 V (raw 9600)", "A2: 0.050 V (raw 400)", "A3: 0.000 V (raw 0)", "A0-A1: 2.100 V"}},
	"rainbow.lua": {
		output: []string{"strip: 3f0010 3f2000 2f3f00 003f00 003f2f 001f3f 10003f 3f003f", "done"},
		check: func(t *testing.T, b *sim.Board) {
			dev, _ := b.SPIDevice("SPI1.0")
			for i, c := range dev.(*sim.WS2812).LEDs() {
				if c != 0 {
					t.Errorf("LED %d is still %06x", i+1, c)
				}
			}
		},
	},
	"mcp3008.lua": {output: []string{"ch0:    0  0.00 V", "ch4:  496  1.60 V", "ch7:  868  2.80 V"}},
}

// haBroker is the broker ha_bme280.lua's setup started for its check, if any.
var haBroker *mqtttest.Broker

// setWeather sets what the simulated BME280 measures.
func setWeather(t *testing.T, b *sim.Board) {
	dev, err := b.I2CDevice("I2C1", 0x76)
	if err != nil {
		t.Fatal(err)
	}
	env := physic.Env{
		Temperature: physic.ZeroCelsius + 23400*physic.MilliCelsius,
		Pressure:    98765 * physic.Pascal,
		Humidity:    555 * physic.PercentRH / 10,
	}
	if err := dev.(*sim.BME280).SetEnvironment(env); err != nil {
		t.Fatal(err)
	}
}

func TestExamples(t *testing.T) {
	files, _ := filepath.Glob("*.lua")
	if len(files) == 0 {
		t.Fatal("no examples")
	}
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			want, ok := expectations[file]
			if !ok {
				t.Fatalf("%s has no expectations in examples_test.go; add them", file)
			}
			board := sim.New()
			if want.board != "" {
				var err error
				if board, err = sim.Load(want.board); err != nil {
					t.Fatal(err)
				}
			}
			defer board.Close()
			if want.setup != nil {
				want.setup(t, board)
			}
			code, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			rt, out := interptest.New(t, &interp.Options{Board: board})
			if err := rt.Exec(file, string(code)); err != nil {
				t.Fatalf("%v\noutput:\n%s", err, out)
			}
			got := out.String()
			rest := got
			for _, line := range want.output {
				i := strings.Index(rest, line)
				if i < 0 {
					t.Fatalf("output lacks %q (in order); got:\n%s", line, got)
				}
				rest = rest[i+len(line):]
			}
			if want.check != nil {
				want.check(t, board)
			}
		})
	}
}
