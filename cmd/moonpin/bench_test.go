package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/moonpin/moonpin/interp"
	"github.com/moonpin/moonpin/repl/client"
	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// countingConn counts the bytes that cross the wire in both directions.
type countingConn struct {
	f         *os.File
	in, out   atomic.Int64
	closeOnce atomic.Bool
}

func (c *countingConn) Read(p []byte) (int, error) {
	n, err := c.f.Read(p)
	c.in.Add(int64(n))
	return n, err
}

func (c *countingConn) Write(p []byte) (int, error) {
	n, err := c.f.Write(p)
	c.out.Add(int64(n))
	return n, err
}

func (c *countingConn) Close() error { return c.f.Close() }

func (b *board) countingClient() (*client.Client, *countingConn) {
	b.t.Helper()
	f, err := os.OpenFile(b.path, os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		b.t.Fatal(err)
	}
	cc := &countingConn{f: f}
	c := client.New(cc, client.Options{})
	b.t.Cleanup(func() { c.Close() })
	return c, cc
}

func median(d []time.Duration) time.Duration {
	slices.Sort(d)
	return d[len(d)/2]
}

// BenchmarkRawExecRoundTrip execs print(1) in the raw REPL and reads up to
// "\x04>". With MICROPYTHON set to a MicroPython unix-port binary (built
// from its source with make -C ports/unix), the same exchange with it is
// interleaved with moonpin's, and its median and the ratio are reported too.
// MOONPIN_BENCH_ARGS adds flags to moonpin's command line (--mem-limit 0).
func BenchmarkRawExecRoundTrip(b *testing.B) {
	bd := startBoard(b, nil, strings.Fields(os.Getenv("MOONPIN_BENCH_ARGS"))...)
	tm := bd.open()
	tm.Send("\r\x03\r\x01")
	tm.Expect("raw REPL; CTRL-B to exit\r\n>")
	var upy *ptyTerm
	if bin := os.Getenv("MICROPYTHON"); bin != "" {
		upy = startMicroPython(b, bin)
	}
	times := make([]time.Duration, 0, b.N)
	var upyTimes []time.Duration
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		tm.Send("print(1)\x04")
		tm.Exact("OK1\r\n\x04\x04>")
		times = append(times, time.Since(start))
		if upy != nil {
			start := time.Now()
			upy.Send("print(1)\x04")
			// The unix port leaves "\n" to the terminal.
			upy.Exact("OK1\n\x04\x04>")
			upyTimes = append(upyTimes, time.Since(start))
		}
	}
	b.StopTimer()
	m := median(times)
	b.ReportMetric(float64(m.Microseconds()), "µs/median")
	if upy != nil {
		um := median(upyTimes)
		b.ReportMetric(float64(um.Microseconds()), "micropython-µs/median")
		b.ReportMetric(float64(m)/float64(um), "x-micropython")
	}
}

// startMicroPython runs the unix port on a raw pty, in its raw REPL.
func startMicroPython(b *testing.B, bin string) *ptyTerm {
	master, slave, err := pty.Open()
	if err != nil {
		b.Fatal(err)
	}
	// Raw like moonpin's pty and a serial port: no echo, no "\n" -> "\r\n".
	if _, err := term.MakeRaw(int(slave.Fd())); err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(bin)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	slave.Close()
	b.Cleanup(func() { killIfRunning(cmd) })
	tm := masterTerm(b, master)
	tm.Send("\r\x01")
	tm.Expect("raw REPL; CTRL-B to exit\r\n>")
	return tm
}

// BenchmarkCtrlCToPrompt measures from Ctrl-C to the next prompt while the
// friendly REPL runs a tight loop.
func BenchmarkCtrlCToPrompt(b *testing.B) {
	bd := startBoard(b, nil)
	tm := bd.open()
	tm.sync()
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		tm.Send("while true do end\r")
		tm.Expect("while true do end\r\n")
		start := time.Now()
		tm.Send("\x03")
		tm.Expect("\r\n> ")
		times = append(times, time.Since(start))
	}
	b.ReportMetric(float64(median(times).Microseconds()), "µs/median")
}

const benchFileSize = 4 << 20

func BenchmarkFilePut(b *testing.B) {
	bd := startBoard(b, nil)
	c, cc := bd.countingClient()
	ctx := ctx(b)
	data := randomBytes(benchFileSize)
	if err := c.EnterRaw(ctx, false); err != nil {
		b.Fatal(err)
	}
	if err := c.Mkdir(ctx, "."); err != nil { // enter the file channel before timing
		b.Fatal(err)
	}
	b.SetBytes(benchFileSize)
	in0, out0 := cc.in.Load(), cc.out.Load()
	b.ResetTimer()
	for range b.N {
		if err := c.Put(ctx, "bench.bin", bytes.NewReader(data), benchFileSize, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	wire := float64(cc.in.Load()-in0+cc.out.Load()-out0) / float64(b.N*benchFileSize)
	b.ReportMetric(wire, "wire-bytes/payload-byte")
}

func BenchmarkFileGet(b *testing.B) {
	bd := startBoard(b, nil)
	if err := os.WriteFile(bd.root+"/bench.bin", randomBytes(benchFileSize), 0o644); err != nil {
		b.Fatal(err)
	}
	c, cc := bd.countingClient()
	ctx := ctx(b)
	if err := c.EnterRaw(ctx, false); err != nil {
		b.Fatal(err)
	}
	if err := c.Mkdir(ctx, "."); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(benchFileSize)
	in0, out0 := cc.in.Load(), cc.out.Load()
	b.ResetTimer()
	for range b.N {
		if n, err := c.Get(ctx, "bench.bin", io.Discard, nil); err != nil || n != benchFileSize {
			b.Fatal(n, err)
		}
	}
	b.StopTimer()
	wire := float64(cc.in.Load()-in0+cc.out.Load()-out0) / float64(b.N*benchFileSize)
	b.ReportMetric(wire, "wire-bytes/payload-byte")
}

// TestFileChannelEfficiency checks the targets that do not depend on the
// machine's speed: the wire carries at most 1.4 bytes per payload byte.
func TestFileChannelEfficiency(t *testing.T) {
	bd := startBoard(t, nil)
	c, cc := bd.countingClient()
	ctx := ctx(t)
	data := randomBytes(1 << 20)
	if err := c.EnterRaw(ctx, false); err != nil {
		t.Fatal(err)
	}
	if err := c.Mkdir(ctx, "."); err != nil {
		t.Fatal(err)
	}
	in0, out0 := cc.in.Load(), cc.out.Load()
	start := time.Now()
	if err := c.Put(ctx, "x.bin", bytes.NewReader(data), int64(len(data)), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(ctx, "x.bin", io.Discard, nil); err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	ratio := float64(cc.in.Load()-in0+cc.out.Load()-out0) / float64(2*len(data))
	t.Logf("put+get of 1 MB: %v (%.1f MB/s), %.4f wire bytes per payload byte", elapsed, 2/elapsed.Seconds(), ratio)
	if ratio > 1.4 {
		t.Fatalf("%.3f wire bytes per payload byte, want <= 1.4", ratio)
	}
}

// BenchmarkVMWorkloads runs bench/vm's Lua workloads in a runtime set up as
// the command sets it up (the default memory limit, the collector's pacing).
// Its CPU profile is the command's profile-guided build profile,
// default.pgo: bench/pgo.sh makes it.
func BenchmarkVMWorkloads(b *testing.B) {
	const limit = 256 << 20
	paceGC(limit)
	for _, w := range []string{"fib", "loop", "method", "closure", "format", "concat", "tables"} {
		code, err := os.ReadFile("../../bench/vm/" + w + ".lua")
		if err != nil {
			b.Fatal(err)
		}
		b.Run(w, func(b *testing.B) {
			for range b.N {
				rt, err := interp.New(interp.Options{Root: b.TempDir(), Out: io.Discard, MemLimit: limit})
				if err != nil {
					b.Fatal(err)
				}
				if err := rt.ExecScript(w, string(code)); err != nil {
					b.Fatal(err)
				}
				rt.Close()
			}
		})
	}
}
