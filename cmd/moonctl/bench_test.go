package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// Whole-process benchmarks over a pty, each against a baseline measured in
// the same run:
//
//   - BenchmarkExecProcess: `moonctl exec 'print(1)'` beside a minimal
//     raw-REPL client (this test binary, re-run as one: open the port, enter
//     the raw REPL, run, leave), and, where /usr/bin/python3 has pyserial,
//     the same client in Python (a lower bound for mpremote, which does
//     that and more). MPREMOTE, set to an mpremote command line, adds
//     mpremote itself: `mpremote connect PORT exec` (which soft-resets
//     first) and the same with `resume` (which does not, like moonctl).
//   - BenchmarkExecProcessFreshPty: moonctl alone, each run a new client
//     of moonpin --pty.
//   - BenchmarkCopyProcess: `moonctl cp` of 1 MB, two files in turn so that
//     none is skipped as unchanged.
//
// Throughout, the benchmark keeps the pty open (without reading it), as a
// serial port stays attached to the device whoever opens it on the host:
// otherwise each process would also pay for moonpin --pty noticing a new
// client, which it polls for every 20 ms, and which tool paid more would
// depend on when the previous one left. bench/moonctl.sh runs them and
// prints the numbers.

// rawExecEnv makes the test binary the minimal raw-REPL client: it runs
// print(1) on the port named and exits.
const rawExecEnv = "MOONCTL_BENCH_RAWEXEC"

func rawExec(port string) int {
	f, err := os.OpenFile(port, os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer f.Close()
	if _, err := term.MakeRaw(int(f.Fd())); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	var got []byte
	until := func(want string) bool {
		buf := make([]byte, 4096)
		for !bytes.HasSuffix(got, []byte(want)) {
			n, err := f.Read(buf)
			if err != nil {
				return false
			}
			got = append(got, buf[:n]...)
		}
		return true
	}
	f.WriteString("\r\x03\r\x01")
	if !until("raw REPL; CTRL-B to exit\r\n>") {
		return 1
	}
	got = got[:0]
	f.WriteString("print(1)\x04")
	if !until("\x04>") {
		return 1
	}
	os.Stdout.Write(bytes.TrimSuffix(bytes.TrimPrefix(got, []byte("OK")), []byte("\x04\x04>")))
	f.WriteString("\r\x02")
	return 0
}

// pyRawExec is rawExec in Python with pyserial.
const pyRawExec = `
import serial, sys
s = serial.Serial(sys.argv[1], 115200, timeout=5)
def until(want):
    got = b""
    while not got.endswith(want):
        c = s.read(1)
        if not c:
            sys.exit("timeout")
        got += c
    return got
s.write(b"\r\x03\r\x01")
until(b"raw REPL; CTRL-B to exit\r\n>")
s.write(b"print(1)\x04")
sys.stdout.write(until(b"\x04>")[2:-3].decode())
s.write(b"\r\x02")
`

func havePyserial() bool {
	return exec.Command("/usr/bin/python3", "-c", "import serial").Run() == nil
}

// timed runs a command to completion and returns how long it took.
func timed(b *testing.B, want string, env []string, name string, args ...string) time.Duration {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), env...)
	start := time.Now()
	out, err := cmd.Output()
	elapsed := time.Since(start)
	if err != nil || !strings.Contains(string(out), want) {
		b.Fatalf("%s %s: %v, printed %q", name, strings.Join(args, " "), err, out)
	}
	return elapsed
}

// hold keeps the board's pty open until the benchmark ends.
func (b *board) hold() {
	f, err := os.OpenFile(b.path, os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		b.t.Fatal(err)
	}
	b.t.Cleanup(func() { f.Close() })
}

func median(d []time.Duration) time.Duration {
	slices.Sort(d)
	return d[len(d)/2]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func BenchmarkExecProcess(b *testing.B) {
	bd := startBoard(b, nil)
	bd.hold()
	self, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	py := havePyserial()
	mpremote := strings.Fields(os.Getenv("MPREMOTE"))
	var ours, raw, pys, mps, mpsResume []time.Duration
	b.ResetTimer()
	for range b.N {
		ours = append(ours, timed(b, "1\n", nil, moonctlBin, "-p", bd.path, "exec", "print(1)"))
		raw = append(raw, timed(b, "1\r\n", []string{rawExecEnv + "=" + bd.path}, self))
		if py {
			pys = append(pys, timed(b, "1\r\n", nil, "/usr/bin/python3", "-c", pyRawExec, bd.path))
		}
		if len(mpremote) > 0 {
			args := append(slices.Clone(mpremote[1:]), "connect", bd.path)
			mps = append(mps, timed(b, "1", nil, mpremote[0], append(args, "exec", "print(1)")...))
			mpsResume = append(mpsResume, timed(b, "1", nil, mpremote[0], append(args, "resume", "exec", "print(1)")...))
		}
	}
	b.StopTimer()
	m := median(ours)
	b.ReportMetric(ms(m), "moonctl-ms/median")
	b.ReportMetric(ms(median(raw)), "go-raw-client-ms/median")
	b.ReportMetric(float64(median(raw))/float64(m), "go-raw-client/moonctl")
	if py {
		b.ReportMetric(ms(median(pys)), "pyserial-client-ms/median")
		b.ReportMetric(float64(median(pys))/float64(m), "pyserial-client/moonctl")
	}
	if len(mpremote) > 0 {
		b.ReportMetric(ms(median(mps)), "mpremote-ms/median")
		b.ReportMetric(float64(median(mps))/float64(m), "mpremote/moonctl")
		b.ReportMetric(ms(median(mpsResume)), "mpremote-resume-ms/median")
		b.ReportMetric(float64(median(mpsResume))/float64(m), "mpremote-resume/moonctl")
	}
}

// BenchmarkExecProcessFreshPty is BenchmarkExecProcess for moonctl alone
// without the pty held: each run also waits for moonpin --pty to notice
// it, as a first command does.
func BenchmarkExecProcessFreshPty(b *testing.B) {
	bd := startBoard(b, nil)
	var times []time.Duration
	b.ResetTimer()
	for range b.N {
		times = append(times, timed(b, "1\n", nil, moonctlBin, "-p", bd.path, "exec", "print(1)"))
	}
	b.StopTimer()
	b.ReportMetric(ms(median(times)), "moonctl-ms/median")
}

func BenchmarkCopyProcess(b *testing.B) {
	bd := startBoard(b, nil)
	bd.hold()
	const size = 1 << 20
	files := twoRandomFiles(b, size, 10)
	var times []time.Duration
	b.SetBytes(size)
	b.ResetTimer()
	for i := range b.N {
		times = append(times, timed(b, "-> :x.bin", nil, moonctlBin, "-p", bd.path, "cp", files[i%2], ":x.bin"))
	}
	b.StopTimer()
	m := median(times)
	b.ReportMetric(ms(m), "ms/median")
	b.ReportMetric(float64(size)/(1<<20)/m.Seconds(), "MB/s")
}

// BenchmarkNetworkProcess times whole moonctl processes over the socket
// (-p unix://) and over ssh to an sshd on loopback (-p ssh://), beside the
// same over the pty, measured in the same run: exec print(1), and cp of
// 10 MB (two files in turn, so that none is skipped as unchanged). The
// baseline of ssh is `ssh HOST true`: the login that each ssh:// command
// pays.
func BenchmarkNetworkProcess(b *testing.B) {
	srv := startSSHD(b)
	bd, sock := startSocketBoard(b, nil)
	bd.hold()
	const size = 10 << 20
	files := twoRandomFiles(b, size, 20)
	ports := []struct{ name, port string }{{"pty", bd.path}, {"unix", "unix://" + sock}, {"ssh", srv.url(sock)}}
	execs := make([][]time.Duration, len(ports))
	copies := make([][]time.Duration, len(ports))
	login := append(strings.Fields(srv.sshCmd), "-T", "-o", "BatchMode=yes", "-p", fmt.Sprint(srv.port), "127.0.0.1", "true")
	var logins []time.Duration
	b.ResetTimer()
	copied := 0
	for range b.N {
		logins = append(logins, timed(b, "", nil, login[0], login[1:]...))
		for j, p := range ports {
			execs[j] = append(execs[j], timed(b, "1\n", nil, moonctlBin, "-p", p.port, "exec", "print(1)"))
			copies[j] = append(copies[j], timed(b, "-> :x.bin", nil, moonctlBin, "-p", p.port, "cp", files[copied%2], ":x.bin"))
			copied++
		}
	}
	b.StopTimer()
	b.ReportMetric(ms(median(logins)), "ssh-true-ms/median")
	b.ReportMetric(float64(median(execs[2]))/float64(median(logins)), "ssh-exec/ssh-true")
	ptyExec, ptyCopy := median(execs[0]), median(copies[0])
	for j, p := range ports {
		e, c := median(execs[j]), median(copies[j])
		b.ReportMetric(ms(e), p.name+"-exec-ms/median")
		b.ReportMetric(float64(size)/(1<<20)/c.Seconds(), p.name+"-cp-MB/s")
		if j > 0 {
			b.ReportMetric(float64(e)/float64(ptyExec), p.name+"-exec/pty")
			b.ReportMetric(float64(ptyCopy)/float64(c), p.name+"-cp-speed/pty")
		}
	}
}

// twoRandomFiles writes two files of size random bytes (seeds seed and
// seed+1) for copies that alternate between them, so that none is skipped
// as unchanged.
func twoRandomFiles(b *testing.B, size int, seed uint64) []string {
	host := b.TempDir()
	files := []string{filepath.Join(host, "a.bin"), filepath.Join(host, "b.bin")}
	for i, f := range files {
		if err := os.WriteFile(f, randomBytes(seed+uint64(i), size), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return files
}
