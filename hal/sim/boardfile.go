package sim

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
)

//go:embed default.json
var defaultJSON []byte

// boardFile is a board described in JSON, like default.json.
type boardFile struct {
	Name string   `json:"name"`
	Pins []string `json:"pins"` // names, or ranges such as "GPIO0..GPIO27"
	PWM  []string `json:"pwm"`  // the pins with hardware PWM
	I2C  []struct {
		Name    string `json:"name"`
		Devices []struct {
			Type string  `json:"type"`
			Addr address `json:"addr"`
		} `json:"devices"`
	} `json:"i2c"`
	SPI []struct {
		Name   string `json:"name"`
		Device struct {
			Type string `json:"type"`
		} `json:"device"`
	} `json:"spi"`
	// GPIO are devices wired to pins: an hx711 on clk and data.
	GPIO []struct {
		Type string `json:"type"`
		Clk  string `json:"clk"`
		Data string `json:"data"`
	} `json:"gpio"`
}

var i2cTypes = map[string]func() I2CDevice{
	"ads1015":      func() I2CDevice { return newADS1x15("ads1015", 12) },
	"ads1115":      func() I2CDevice { return newADS1x15("ads1115", 16) },
	"adxl345":      func() I2CDevice { return newADXL345() },
	"aht20":        func() I2CDevice { return newAHT20() },
	"at24c32":      func() I2CDevice { return newAT24C32() },
	"bh1750":       func() I2CDevice { return newBH1750() },
	"bme280":       func() I2CDevice { return newBME280() },
	"bmp280":       func() I2CDevice { return newBMP280() },
	"hd44780":      func() I2CDevice { return newHD44780("hd44780", 16, 2) },
	"hd44780_20x4": func() I2CDevice { return newHD44780("hd44780_20x4", 20, 4) },
	"ht16k33":      func() I2CDevice { return newHT16K33() },
	"ina219":       func() I2CDevice { return newINA219() },
	"mcp23017":     func() I2CDevice { return newMCP23017() },
	"mcp9808":      func() I2CDevice { return newMCP9808() },
	"pca9685":      func() I2CDevice { return newPCA9685() },
	"regs":         func() I2CDevice { return &Registers{} },
	"scd4x":        func() I2CDevice { return newSCD4x() },
	"ssd1306":      func() I2CDevice { return newSSD1306() },
	"tmp102":       func() I2CDevice { return newTMP102() },
}

var spiTypes = map[string]func() SPIDevice{
	"apa102":   func() SPIDevice { return &APA102{} },
	"loopback": func() SPIDevice { return &Loopback{} },
	"max7219":  func() SPIDevice { return &MAX7219{} },
	"mcp3008":  func() SPIDevice { return &MCP3008{} },
	"ws2812":   func() SPIDevice { return &WS2812{} },
}

// maxPins bounds a board file's pin ranges.
const maxPins = 1024

// Load reads a board file: a JSON object with a name, pins (names, or ranges
// such as "GPIO0..GPIO27"), pwm (the pins with hardware PWM), i2c buses with
// devices {"type", "addr"} (addr a number or a string such as "0x76"; the
// types are the keys of i2cTypes: sensors, displays and the like, each a
// Model, and at24c32 and regs), spi ports with a device {"type"}
// (mcp3008, ws2812, apa102, max7219 or loopback) and gpio, devices wired to pins
// ({"type": "hx711", "clk": "GPIO5", "data": "GPIO6"}). See default.json
// and examples/workbench.json.
func Load(path string, opts ...Option) (*Board, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("board file: %w", err)
	}
	return parse(path, data, opts)
}

func parse(file string, data []byte, opts []Option) (*Board, error) {
	var f boardFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			line := 1 + bytes.Count(data[:syntax.Offset], []byte("\n"))
			return nil, fmt.Errorf("%s:%d: %w", file, line, err)
		}
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	b, err := f.build(opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return b, nil
}

func (f *boardFile) build(opts []Option) (*Board, error) {
	name := f.Name
	if name == "" {
		name = "sim"
	}
	b := newBoard(name, opts)
	pins, err := expandPins(f.Pins)
	if err != nil {
		return nil, err
	}
	for i, name := range pins {
		b.lines = append(b.lines, newLine(name, i))
	}
	for _, name := range f.PWM {
		l, err := b.line(name)
		if err != nil {
			return nil, fmt.Errorf("pwm: %w", err)
		}
		l.pwmCapable = true
	}
	seen := map[string]bool{}
	for i, bf := range f.I2C {
		entry := fmt.Sprintf("i2c[%d] %q", i, bf.Name)
		if bf.Name == "" || seen[bf.Name] {
			return nil, fmt.Errorf("%s: a bus needs a name of its own", entry)
		}
		seen[bf.Name] = true
		x := &bus{name: bf.Name, devices: map[uint16]I2CDevice{}}
		for j, df := range bf.Devices {
			entry := fmt.Sprintf("%s device %d (%s at 0x%02x)", entry, j, df.Type, df.Addr)
			newDevice, ok := i2cTypes[df.Type]
			switch {
			case !ok:
				return nil, fmt.Errorf("%s: unknown type %q; types: %s", entry, df.Type, keys(i2cTypes))
			case df.Addr < 0x03 || df.Addr > 0x77:
				return nil, fmt.Errorf("%s: the address must be in 0x03..0x77", entry)
			case x.devices[uint16(df.Addr)] != nil:
				return nil, fmt.Errorf("%s: another device has this address", entry)
			}
			x.devices[uint16(df.Addr)] = newDevice()
		}
		b.buses = append(b.buses, x)
	}
	for i, pf := range f.SPI {
		entry := fmt.Sprintf("spi[%d] %q", i, pf.Name)
		if pf.Name == "" || seen[pf.Name] {
			return nil, fmt.Errorf("%s: a port needs a name of its own", entry)
		}
		seen[pf.Name] = true
		newDevice, ok := spiTypes[pf.Device.Type]
		if !ok {
			return nil, fmt.Errorf("%s: unknown device type %q; types: %s", entry, pf.Device.Type, keys(spiTypes))
		}
		b.ports = append(b.ports, &port{name: pf.Name, dev: newDevice()})
	}
	for i, gf := range f.GPIO {
		entry := fmt.Sprintf("gpio[%d] %q", i, gf.Type)
		if gf.Type != "hx711" {
			return nil, fmt.Errorf("%s: unknown type; types: hx711 (with clk and data pins)", entry)
		}
		h, err := b.addHX711(gf.Clk, gf.Data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", entry, err)
		}
		if b.wired == nil {
			b.wired = map[string]Model{}
		}
		b.wired[h.clk.name] = h
	}
	return b, nil
}

// expandPins expands ranges and checks the names.
func expandPins(entries []string) ([]string, error) {
	var names []string
	for _, e := range entries {
		from, to, isRange := strings.Cut(e, "..")
		if !isRange {
			names = append(names, e)
			continue
		}
		prefix, first, ok1 := splitNumber(from)
		prefix2, last, ok2 := splitNumber(to)
		if !ok1 || !ok2 || prefix != prefix2 || first > last || last-first >= maxPins {
			return nil, fmt.Errorf("pins: range %q should look like GPIO0..GPIO27", e)
		}
		for n := first; n <= last; n++ {
			names = append(names, prefix+strconv.Itoa(n))
		}
	}
	if len(names) > maxPins {
		return nil, fmt.Errorf("pins: %d pins is more than %d", len(names), maxPins)
	}
	seen := map[string]bool{}
	for _, name := range names {
		_, numErr := strconv.Atoi(name)
		switch {
		case name == "" || seen[name]:
			return nil, fmt.Errorf("pins: %q: each pin needs a name of its own", name)
		case numErr == nil:
			return nil, fmt.Errorf("pins: %q: a number is short for GPIO%s, so it can't be a name", name, name)
		case strings.Contains(name, ":"):
			return nil, fmt.Errorf("pins: %q: ':' is kept for chip lines such as gpiochip0:17", name)
		}
		seen[name] = true
	}
	return names, nil
}

// splitNumber splits "GPIO17" into "GPIO" and 17.
func splitNumber(s string) (prefix string, n int, ok bool) {
	prefix = strings.TrimRight(s, "0123456789")
	n, err := strconv.Atoi(s[len(prefix):])
	return prefix, n, err == nil
}

func keys[V any](m map[string]V) string {
	return strings.Join(slices.Sorted(maps.Keys(m)), ", ")
}

// address is an I2C address in JSON: a number, or a string such as "0x76".
type address uint16

func (a *address) UnmarshalJSON(data []byte) error {
	n, err := strconv.ParseUint(strings.Trim(string(data), `"`), 0, 16)
	if err != nil {
		return fmt.Errorf("address %s should be a number or a string such as \"0x76\"", data)
	}
	*a = address(n)
	return nil
}
