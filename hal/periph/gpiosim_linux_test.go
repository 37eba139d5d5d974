package periph

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
	"periph.io/x/conn/v3/gpio"
	"periph.io/x/host/v3/gpioioctl"

	"github.com/moonpin/moonpin/hal"
	"github.com/moonpin/moonpin/hal/haltest"
)

const (
	gpioSimConfig = "/sys/kernel/config/gpio-sim"
	// gpioSimChild marks the fresh process TestGPIOSim starts when periph
	// was initialised before its chip existed.
	gpioSimChild = "MOONPIN_GPIOSIM_CHILD"
	// gpioSimNamed lines are named GPIO0..GPIO7, so periph registers them by
	// name as it does a Pi's; one more line is left unnamed, reachable only
	// as gpiochipN:8.
	gpioSimNamed = 8
	simDeadline  = 5 * time.Second
)

// TestGPIOSim checks the periph-backed board, as New makes it, against a real
// Linux GPIO character device: a chip of the kernel's gpio-sim, made through
// configfs (Documentation/admin-guide/gpio/gpio-sim.rst), whose inputs the
// test drives through gpio-sim's sysfs pull files. It runs the conformance
// suite, then checks what only a kernel shows: the lines' values and flags.
// It needs root and gpio-sim, so it skips elsewhere (CI included);
// scripts/gpiosim-vm.sh runs it as root in a VM.
func TestGPIOSim(t *testing.T) {
	if reason := gpioSimMissing(); reason != "" {
		t.Skip(reason)
	}
	names := make([]string, gpioSimNamed+1)
	for i := range gpioSimNamed {
		names[i] = fmt.Sprintf("GPIO%d", i)
	}
	sim := newGPIOSim(t, names)
	t.Logf("gpio-sim chip %s (%s), /dev/%s, lines %s", sim.label, sim.devName, sim.chipName, strings.Join(names[:gpioSimNamed], ","))

	// periph finds chips once per process, in host.Init: if another test
	// initialised it before this chip existed, run again in a fresh process.
	b, err := New()
	var chip *gpioioctl.GPIOChip
	if err == nil {
		chip = findChip(sim.chipName, sim.label)
	}
	if chip == nil {
		if os.Getenv(gpioSimChild) != "" {
			t.Fatalf("periph did not find %s (%s) although it was made before periph started: New: %v", sim.chipName, sim.label, err)
		}
		if b != nil {
			b.Close()
		}
		sim.close(t)
		rerun(t)
		return
	}
	t.Cleanup(func() {
		if err := b.Close(); err != nil {
			t.Errorf("closing the board: %v", err)
		}
	})
	sb := &gpioSimBoard{Board: b, sim: sim, driven: map[string]gpio.Level{}, bias: map[string]gpio.Pull{}}
	for _, l := range chip.Lines() {
		if slices.Contains(b.Pins(), l.Name()) {
			sb.names = append(sb.names, l.Name())
		}
	}
	if len(sb.names) != gpioSimNamed {
		t.Fatalf("periph registered %v of %s's lines, want %d named lines; the board has %v", sb.names, sim.chipName, gpioSimNamed, b.Pins())
	}
	line := func(n int) string { return sb.names[n] }

	t.Run("Conformance", func(t *testing.T) { haltest.Run(t, sb) })

	// The checks below use GPIO0..GPIO5; the conformance suite used GPIO6 and
	// GPIO7 (and opened every pin). Each leaves its lines released.
	t.Run("ChipLine", func(t *testing.T) {
		byName, byChip := haltest.Open(t, sb, line(3)), haltest.Open(t, sb, fmt.Sprintf("%s:3", sim.chipName))
		if byChip.Name() != line(3) {
			t.Errorf("Pin(%s:3).Name() = %q, want %s", sim.chipName, byChip.Name(), line(3))
		}
		simMust(t, byChip.Out(gpio.High))
		if got := byName.Read(); got != gpio.High {
			t.Errorf("%s:3 wrote High, %s reads %s", sim.chipName, line(3), got)
		}
		sim.wantValue(t, 3, gpio.High)
		simMust(t, byName.Out(gpio.Low))
		sim.wantValue(t, 3, gpio.Low)

		// A line without a name is reachable by its chip line only.
		unnamed := haltest.Open(t, sb, fmt.Sprintf("%s:%d", sim.chipName, gpioSimNamed))
		simMust(t, unnamed.Out(gpio.High))
		sim.wantValue(t, gpioSimNamed, gpio.High)
		sim.wantFlags(t, gpioSimNamed, lineOutput, lineInput)
		simMust(t, unnamed.Out(gpio.Low))
		sim.wantValue(t, gpioSimNamed, gpio.Low)
		// Its errors need a name: it is called by the chip line.
		if want := fmt.Sprintf("%s:%d", sim.chipName, gpioSimNamed); unnamed.Name() != want {
			t.Errorf("an unnamed line opened as %s is called %q", want, unnamed.Name())
		}
	})

	t.Run("OutputReachesTheLine", func(t *testing.T) {
		p := haltest.Open(t, sb, line(0))
		for _, level := range []gpio.Level{gpio.High, gpio.Low, gpio.High, gpio.Low} {
			simMust(t, p.Out(level))
			sim.wantValue(t, 0, level)
			sim.wantFlags(t, 0, lineUsed|lineOutput, lineInput)
		}
	})

	t.Run("ReadKeepsOutput", func(t *testing.T) {
		p := haltest.Open(t, sb, line(1))
		for _, level := range []gpio.Level{gpio.Low, gpio.High} {
			simMust(t, p.Out(level))
			// Pull the line the other way: an output ignores it, but had Read
			// turned the line into an input, it would now read the pull.
			simMust(t, sim.setPull(1, !level))
			for range 3 {
				if got := p.Read(); got != level {
					t.Errorf("after Out(%s), Read() = %s", level, got)
				}
			}
			if got, want := p.Function(), "Out/"+level.String(); got != want {
				t.Errorf("after Out(%s), Function() = %q, want %q", level, got, want)
			}
			sim.wantFlags(t, 1, lineOutput, lineInput)
			sim.wantValue(t, 1, level)
		}
		simMust(t, sim.setPull(1, gpio.Low))
	})

	// periph's own GPIOLine.Read turns an output into a pulled-up input; the
	// board keeps it from doing so (ReadKeepsOutput). Report what periph does.
	t.Run("PeriphReadQuirk", func(t *testing.T) {
		raw := chip.ByNumber(2)
		defer raw.Close()
		simMust(t, raw.Out(gpio.Low))
		level := raw.Read()
		flags, err := sim.lineFlags(2)
		simMust(t, err)
		if flags&lineInput != 0 {
			t.Logf("periph's GPIOLine.Read of an output at Low read %s and left the line an input (kernel flags %s): hal/periph must keep normalising it", level, flags)
		} else {
			t.Logf("periph's GPIOLine.Read of an output at Low read %s and kept it an output (kernel flags %s)", level, flags)
		}
	})

	t.Run("Bias", func(t *testing.T) {
		p := haltest.Open(t, sb, line(2))
		for _, c := range []struct {
			pull  gpio.Pull
			flag  lineFlags
			level gpio.Level
		}{
			{gpio.PullUp, lineBiasPullUp, gpio.High},
			{gpio.PullDown, lineBiasPullDown, gpio.Low},
			{gpio.PullUp, lineBiasPullUp, gpio.High},
			// In(Float) must disable the bias, or a line pulled up before
			// stays pulled up. gpio-sim keeps its last pull either way, so
			// the level can't tell; the kernel's flags can. periph's
			// gpioioctl (v3.8.5) sends no bias flag for Float, so the kernel
			// keeps the pull-up: this fails until it does.
			{gpio.Float, lineBiasDisabled, gpio.High},
		} {
			simMust(t, p.In(c.pull, gpio.NoEdge))
			if got := p.Pull(); got != c.pull {
				t.Errorf("after In(%s), Pull() = %s", c.pull, got)
			}
			if got := p.Read(); got != c.level {
				t.Errorf("after In(%s), Read() = %s, want %s", c.pull, got, c.level)
			}
			flags, err := sim.lineFlags(2)
			simMust(t, err)
			const biases = lineBiasPullUp | lineBiasPullDown | lineBiasDisabled
			if flags&lineInput == 0 || flags&biases != c.flag {
				t.Errorf("after In(%s), the kernel has the line as %s, want input with %s", c.pull, flags, c.flag)
			}
		}
	})

	t.Run("WaitForEdgeForever", func(t *testing.T) {
		p := haltest.Open(t, sb, line(4))
		simMust(t, p.In(gpio.PullDown, gpio.BothEdges))
		for _, level := range []gpio.Level{gpio.High, gpio.Low, gpio.High, gpio.Low} {
			done := make(chan bool, 1)
			go func() { done <- p.WaitForEdge(-1) }()
			select {
			case got := <-done:
				t.Fatalf("WaitForEdge(-1) returned %v before any edge", got)
			case <-time.After(100 * time.Millisecond):
			}
			simMust(t, sb.SetInput(line(4), level))
			select {
			case got := <-done:
				if !got {
					t.Errorf("WaitForEdge(-1) returned false on an edge to %s", level)
				}
			case <-time.After(simDeadline):
				p.Halt()
				<-done
				t.Fatalf("WaitForEdge(-1) missed an edge to %s driven by gpio-sim", level)
			}
			if got := p.Read(); got != level {
				t.Errorf("after an edge to %s, Read() = %s", level, got)
			}
		}
		simMust(t, sb.Release(line(4)))
	})

	t.Run("WatchEdges", func(t *testing.T) {
		p := haltest.Open(t, sb, line(5))
		simMust(t, p.In(gpio.PullDown, gpio.NoEdge))
		events, stop, err := p.Watch(gpio.BothEdges)
		simMust(t, err)
		var last time.Time
		for i := range 10 {
			level := gpio.Level(i%2 == 0)
			simMust(t, sb.SetInput(line(5), level))
			ev := simRecv(t, events)
			if ev.Level != level || ev.Time.Before(last) {
				t.Errorf("edge %d to %s: got %+v after %v", i, level, ev, last)
			}
			last = ev.Time
		}
		stop()
		if ev, ok := <-events; ok {
			t.Errorf("after stop, got %+v instead of a closed channel", ev)
		}

		// Watching falling edges only: the rise before the fall is not sent.
		simMust(t, p.In(gpio.PullDown, gpio.NoEdge))
		events, stop, err = p.Watch(gpio.FallingEdge)
		simMust(t, err)
		defer stop()
		simMust(t, sb.SetInput(line(5), gpio.High))
		simMust(t, sb.SetInput(line(5), gpio.Low))
		if ev := simRecv(t, events); ev.Level != gpio.Low {
			t.Errorf("watching falling edges, the first event is %+v", ev)
		}
		simMust(t, sb.Release(line(5)))
	})

	t.Run("CloseReleasesTheLine", func(t *testing.T) {
		p, q := haltest.Open(t, sb, line(0)), haltest.Open(t, sb, line(0))
		simMust(t, p.Out(gpio.High))
		simMust(t, sim.setPull(0, gpio.Low))
		simMust(t, p.Close())
		sim.wantFlags(t, 0, lineUsed|lineOutput, 0)
		sim.wantValue(t, 0, gpio.High)
		simMust(t, q.Close())
		sim.wantFlags(t, 0, 0, lineUsed)
		// gpio-sim sets a freed line to its pull.
		sim.wantValue(t, 0, gpio.Low)
		r := haltest.Open(t, sb, line(0))
		simMust(t, r.Out(gpio.High))
		sim.wantValue(t, 0, gpio.High)
		simMust(t, r.Close())
		sim.wantFlags(t, 0, 0, lineUsed)
	})
}

// gpioSimMissing says why TestGPIOSim can't run here, or returns "".
func gpioSimMissing() string {
	const how = "; scripts/gpiosim-vm.sh runs this test as root in a VM"
	if os.Geteuid() != 0 {
		return "making gpio-sim chips needs root" + how
	}
	if _, err := os.Stat(gpioSimConfig); err == nil {
		return ""
	}
	modprobe, err := exec.LookPath("modprobe")
	if err != nil {
		return "gpio-sim is not loaded (no " + gpioSimConfig + ") and there is no modprobe" + how
	}
	out, err := exec.Command(modprobe, "gpio-sim").CombinedOutput()
	if err != nil {
		return fmt.Sprintf("gpio-sim is not available: modprobe gpio-sim: %v: %s%s", err, bytes.TrimSpace(out), how)
	}
	if _, err := os.Stat(gpioSimConfig); err != nil {
		return "gpio-sim is loaded but " + gpioSimConfig + " is missing: is configfs mounted on /sys/kernel/config?" + how
	}
	return ""
}

// rerun runs TestGPIOSim again in a fresh process, where periph starts after
// the chip exists.
func rerun(t *testing.T) {
	args := []string{"-test.run=^TestGPIOSim$"}
	if testing.Verbose() {
		args = append(args, "-test.v")
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), gpioSimChild+"=1")
	out, err := cmd.CombinedOutput()
	t.Logf("periph started before the gpio-sim chip existed, so the test ran again in a fresh process:\n%s", out)
	if err != nil {
		t.Fatalf("TestGPIOSim in a fresh process: %v", err)
	}
}

func findChip(name, label string) *gpioioctl.GPIOChip {
	for _, c := range gpioioctl.Chips {
		if c.Name() == name && c.Label() == label {
			return c
		}
	}
	return nil
}

func simMust(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func simRecv(t *testing.T, events <-chan hal.Event) hal.Event {
	t.Helper()
	select {
	case ev, ok := <-events:
		if !ok {
			t.Fatal("the watch ended")
		}
		return ev
	case <-time.After(simDeadline):
		t.Fatalf("no event within %v", simDeadline)
		return hal.Event{}
	}
}

// gpioSimChips counts the chips this process made.
var gpioSimChips atomic.Int32

// gpioSim is a gpio-sim device with one bank, made through configfs.
type gpioSim struct {
	dir      string // its configfs directory
	label    string // the bank's label, which the chip reports
	lines    int
	devName  string // e.g. gpio-sim.0
	chipName string // e.g. gpiochip0

	once sync.Once
}

func newGPIOSim(t *testing.T, names []string) *gpioSim {
	// periph remembers the chips it found, so a chip made later must not
	// look like one of them: no two chips of a process share a label.
	label := fmt.Sprintf("moonpin-%d-%d", os.Getpid(), gpioSimChips.Add(1))
	g := &gpioSim{dir: filepath.Join(gpioSimConfig, label), label: label, lines: len(names)}
	t.Cleanup(func() { g.close(t) })
	bank := filepath.Join(g.dir, "bank0")
	simMust(t, os.Mkdir(g.dir, 0o755))
	simMust(t, os.Mkdir(bank, 0o755))
	simMust(t, writeFile(filepath.Join(bank, "num_lines"), strconv.Itoa(len(names))))
	simMust(t, writeFile(filepath.Join(bank, "label"), label))
	for i, name := range names {
		if name == "" {
			continue
		}
		dir := filepath.Join(bank, fmt.Sprintf("line%d", i))
		simMust(t, os.Mkdir(dir, 0o755))
		simMust(t, writeFile(filepath.Join(dir, "name"), name))
	}
	simMust(t, writeFile(filepath.Join(g.dir, "live"), "1"))
	var err error
	g.devName, err = readFile(filepath.Join(g.dir, "dev_name"))
	simMust(t, err)
	g.chipName, err = readFile(filepath.Join(bank, "chip_name"))
	simMust(t, err)
	// The device node and the sysfs files come with the chip, but wait in
	// case udev or devtmpfs is slow.
	for _, path := range []string{"/dev/" + g.chipName, g.lineFile(0, "pull")} {
		for start := time.Now(); ; time.Sleep(10 * time.Millisecond) {
			if _, err := os.Stat(path); err == nil {
				break
			} else if time.Since(start) > simDeadline {
				t.Fatalf("gpio-sim made %s but %v", g.chipName, err)
			}
		}
	}
	return g
}

// close tears the chip down: live 0, then its configfs directories.
func (g *gpioSim) close(t *testing.T) {
	g.once.Do(func() {
		if err := writeFile(filepath.Join(g.dir, "live"), "0"); err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Errorf("tearing down gpio-sim: %v", err)
		}
		bank := filepath.Join(g.dir, "bank0")
		dirs, _ := filepath.Glob(filepath.Join(bank, "line*"))
		for _, dir := range append(dirs, bank, g.dir) {
			if err := os.Remove(dir); err != nil && !errors.Is(err, os.ErrNotExist) {
				t.Errorf("tearing down gpio-sim: %v", err)
			}
		}
	})
}

func (g *gpioSim) lineFile(offset int, name string) string {
	return fmt.Sprintf("/sys/devices/platform/%s/%s/sim_gpio%d/%s", g.devName, g.chipName, offset, name)
}

// setPull sets the simulated pull on a line: an input that isn't pulled
// itself follows it.
func (g *gpioSim) setPull(offset int, level gpio.Level) error {
	pull := "pull-down"
	if level {
		pull = "pull-up"
	}
	return writeFile(g.lineFile(offset, "pull"), pull)
}

// value is the line's level as the simulated chip sees it.
func (g *gpioSim) value(offset int) (gpio.Level, error) {
	s, err := readFile(g.lineFile(offset, "value"))
	if err != nil {
		return gpio.Low, err
	}
	switch s {
	case "0":
		return gpio.Low, nil
	case "1":
		return gpio.High, nil
	}
	return gpio.Low, fmt.Errorf("%s: %q", g.lineFile(offset, "value"), s)
}

func (g *gpioSim) wantValue(t *testing.T, offset int, want gpio.Level) {
	t.Helper()
	got, err := g.value(offset)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("gpio-sim has line %d at %s, want %s", offset, got, want)
	}
}

// Flags of a line as the kernel reports them (GPIO_V2_LINE_FLAG_*).
type lineFlags uint64

const (
	lineUsed         lineFlags = 1 << 0
	lineInput        lineFlags = 1 << 2
	lineOutput       lineFlags = 1 << 3
	lineEdgeRising   lineFlags = 1 << 4
	lineEdgeFalling  lineFlags = 1 << 5
	lineBiasPullUp   lineFlags = 1 << 8
	lineBiasPullDown lineFlags = 1 << 9
	lineBiasDisabled lineFlags = 1 << 10
)

func (f lineFlags) String() string {
	var s []string
	for _, n := range []struct {
		f    lineFlags
		name string
	}{
		{lineUsed, "used"}, {lineInput, "input"}, {lineOutput, "output"},
		{lineEdgeRising, "rising"}, {lineEdgeFalling, "falling"},
		{lineBiasPullUp, "pull-up"}, {lineBiasPullDown, "pull-down"}, {lineBiasDisabled, "bias-disabled"},
	} {
		if f&n.f != 0 {
			s = append(s, n.name)
			f &^= n.f
		}
	}
	if f != 0 {
		s = append(s, fmt.Sprintf("%#x", uint64(f)))
	}
	if len(s) == 0 {
		return "no flags"
	}
	return strings.Join(s, "|")
}

// gpioV2LineInfo is struct gpio_v2_line_info of linux/gpio.h.
type gpioV2LineInfo struct {
	name, consumer [32]byte
	offset         uint32
	numAttrs       uint32
	flags          uint64
	attrs          [10][16]byte
	padding        [4]uint32
}

// GPIO_V2_GET_LINEINFO_IOCTL: _IOWR(0xB4, 0x05, struct gpio_v2_line_info).
const gpioV2GetLineInfo = 3<<30 | uintptr(unsafe.Sizeof(gpioV2LineInfo{}))<<16 | 0xB4<<8 | 0x05

// lineFlags asks the kernel how a line is configured.
func (g *gpioSim) lineFlags(offset int) (lineFlags, error) {
	f, err := os.Open("/dev/" + g.chipName)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	info := gpioV2LineInfo{offset: uint32(offset)}
	if _, _, errno := unix.Syscall(unix.SYS_IOCTL, f.Fd(), gpioV2GetLineInfo, uintptr(unsafe.Pointer(&info))); errno != 0 {
		return 0, fmt.Errorf("GPIO_V2_GET_LINEINFO_IOCTL on %s line %d: %w", g.chipName, offset, errno)
	}
	return lineFlags(info.flags), nil
}

// wantFlags checks that the kernel reports the line with every flag of set
// and none of unset.
func (g *gpioSim) wantFlags(t *testing.T, offset int, set, unset lineFlags) {
	t.Helper()
	flags, err := g.lineFlags(offset)
	if err != nil {
		t.Fatal(err)
	}
	if flags&set != set || flags&unset != 0 {
		t.Errorf("the kernel has line %d as %s, want %s and not %s", offset, flags, set, unset)
	}
}

func writeFile(path, s string) error { return os.WriteFile(path, []byte(s), 0o644) }

func readFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	return strings.TrimSpace(string(b)), err
}

// gpioSimBoard is the periph-backed board narrowed to the gpio-sim chip's lines,
// so the conformance suite drives none of the machine's other lines. It is a
// haltest.Driver that drives inputs through gpio-sim's pull files.
//
// gpio-sim has one pull per line, which both the line's bias (In(PullUp))
// and the pull file set, while haltest's Driver drives a line harder than
// its bias, as a real signal would. So the board remembers what it drives
// and drives it again after each In, and Release restores the bias last
// asked for.
type gpioSimBoard struct {
	hal.Board
	sim   *gpioSim
	names []string // the chip's named lines, in offset order

	mu     sync.Mutex
	driven map[string]gpio.Level // lines driven from outside
	bias   map[string]gpio.Pull  // the pull each line's last In asked for
}

var _ haltest.Driver = (*gpioSimBoard)(nil)

func (s *gpioSimBoard) Pins() []string { return s.names }

func (s *gpioSimBoard) Pin(name string) (hal.Pin, error) {
	p, err := s.Board.Pin(name)
	if err != nil {
		return nil, err
	}
	return &gpioSimPin{Pin: p, s: s}, nil
}

func (s *gpioSimBoard) offset(name string) (int, error) {
	for i, n := range s.names {
		if n == name {
			return i, nil
		}
	}
	return 0, fmt.Errorf("%s is not a line of %s", name, s.sim.chipName)
}

func (s *gpioSimBoard) SetInput(name string, level gpio.Level) error {
	off, err := s.offset(name)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.driven[name] = level
	return s.sim.setPull(off, level)
}

func (s *gpioSimBoard) Release(name string) error {
	off, err := s.offset(name)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.driven, name)
	// Without a pull of its own, the line goes to gpio-sim's default, low.
	return s.sim.setPull(off, s.bias[name] == gpio.PullUp)
}

// configured records a pin's new bias, and drives the line again if it is
// driven: setting the bias moved gpio-sim's pull.
func (s *gpioSimBoard) configured(name string, pull gpio.Pull) error {
	off, err := s.offset(name)
	if err != nil {
		return nil // an unnamed line: never driven
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if pull != gpio.PullNoChange {
		s.bias[name] = pull
	}
	if level, ok := s.driven[name]; ok {
		return s.sim.setPull(off, level)
	}
	return nil
}

type gpioSimPin struct {
	hal.Pin
	s *gpioSimBoard
}

func (p *gpioSimPin) In(pull gpio.Pull, edge gpio.Edge) error {
	if err := p.Pin.In(pull, edge); err != nil {
		return err
	}
	return p.s.configured(p.Name(), pull)
}
