package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	fslib "github.com/moonpin/moonpin/interp/lib/fs"
)

func randomBytes(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, 2))
	b := make([]byte, 0, n+8)
	for len(b) < n {
		b = binary.LittleEndian.AppendUint64(b, r.Uint64())
	}
	return b[:n]
}

func TestExecEvalRun(t *testing.T) {
	b := startBoard(t, nil)
	if got := b.ok("exec", "print(1) print('two')"); got != "1\ntwo\n" {
		t.Fatalf("exec printed %q", got)
	}
	if got := b.ok("eval", "1 + 41"); got != "42\n" {
		t.Fatalf("eval printed %q", got)
	}
	// eval prints values as the prompt does: tables readable, strings as
	// they are, several values as a list, none as nothing.
	for expr, want := range map[string]string{
		`{b = {2, 3}, a = "x"}, "raw", nil`: "{a = \"x\", b = {2, 3}}, raw, nil\n",
		`i2c.open("I2C1"):scan()`:           "{0x18, 0x20, 0x23, 0x38, 0x3c, 0x40, 0x41, 0x48, 0x49, 0x50, 0x70, 0x76, 0x77}\n",
		`time.time() > 1.7e9`:               "true\n",
		`print("only printed")`:             "only printed\n",
	} {
		if got := b.ok("eval", expr); got != want {
			t.Errorf("eval %s printed %q, want %q", expr, got, want)
		}
	}
	r := b.moonctl("exec", "print('before')\nlocal function f() error('boom') end\nf()")
	if r.code != 1 || r.stdout != "before\n" || !strings.Contains(r.stderr, "stdin:2: boom") || !strings.Contains(r.stderr, "stack traceback:") || strings.Contains(r.stderr, "moonctl:") {
		t.Fatalf("failing exec: %+v; want exit 1, the output, and the traceback alone on stderr", r)
	}
	if r := b.moonctl("eval", "nosuch.field"); r.code != 1 || r.stdout != "" || !strings.Contains(r.stderr, "stack traceback:") {
		t.Fatalf("failing eval: %+v", r)
	}

	dir := t.TempDir()
	script := filepath.Join(dir, "blink.lua")
	writeTree(t, dir, map[string]string{"blink.lua": "for i = 1, 3 do print('blink', i) end\nerror('done blinking')\n"})
	r = b.moonctl("run", script)
	if r.code != 1 || r.stdout != "blink\t1\nblink\t2\nblink\t3\n" || !strings.Contains(r.stderr, "blink.lua:2: done blinking") {
		t.Fatalf("run: %+v", r)
	}
	if _, err := os.Stat(filepath.Join(b.root, "blink.lua")); err == nil {
		t.Fatal("run saved the script on the device")
	}
	b.fails("run: "+filepath.Join(dir, "missing.lua")+": no such file or directory", "run", filepath.Join(dir, "missing.lua"))

	// A script's "#!" line is skipped, as moonpin and lua5.1 skip it, and
	// line numbers stay; a control byte the raw REPL cannot carry is
	// refused, naming its line (it interrupted the run before it began).
	writeTree(t, dir, map[string]string{
		"sh.lua":   "#!/usr/bin/env moonpin\nprint('shebang ok')\nerror('line 3')\n",
		"ctl3.lua": "print('before')\nlocal s = \"a\x03b\"\n",
	})
	r = b.moonctl("run", filepath.Join(dir, "sh.lua"))
	if r.code != 1 || r.stdout != "shebang ok\n" || !strings.Contains(r.stderr, "sh.lua:3: line 3") {
		t.Fatalf("run of a script with a #! line: %+v", r)
	}
	b.fails("line 2 has the control byte 0x03, which the raw REPL cannot carry", "run", filepath.Join(dir, "ctl3.lua"))
}

// TestRunStreams: run shows output as the code prints it, not when it ends.
func TestRunStreams(t *testing.T) {
	b := startBoard(t, nil)
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"wait.lua": `
print('waiting')
while not pcall(fs.stat, 'go') or not fs.stat('go') do time.sleep(0.005) end
print('went')
`})
	p := b.start("run", filepath.Join(dir, "wait.lua"))
	p.stdout.Expect("waiting\n")
	writeTree(t, b.root, map[string]string{"go": ""})
	p.stdout.Expect("went\n")
	if code := p.wait(); code != 0 {
		t.Fatalf("exit %d; stderr %q", code, p.stderr.String())
	}
}

// TestRunNoFollow: run --no-follow returns while the code runs on, and the
// next command interrupts it.
func TestRunNoFollow(t *testing.T) {
	b := startBoard(t, nil)
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"forever.lua": "while true do time.sleep(0.01) end\n"})
	if out := b.ok("run", "--no-follow", filepath.Join(dir, "forever.lua")); out != "" {
		t.Fatalf("run --no-follow printed %q", out)
	}
	if got := b.ok("eval", "'still here'"); got != "still here\n" {
		t.Fatalf("eval after run --no-follow: %q", got)
	}
}

func TestCopyBothWays(t *testing.T) {
	b := startBoard(t, nil)
	host := t.TempDir()
	big := randomBytes(1, 1<<20)
	writeTree(t, host, map[string]string{
		"big.bin":             string(big),
		"proj/main.lua":       "print('hi')\n",
		"proj/lib/util.lua":   "return {x = 1}\n",
		"proj/lib/deep/d.txt": strings.Repeat("d", 70000),
		"proj/empty.txt":      "",
	})
	out := b.ok("cp", filepath.Join(host, "big.bin"), ":")
	if !strings.Contains(out, "-> :big.bin") {
		t.Fatalf("cp printed %q", out)
	}
	if sum(t, filepath.Join(b.root, "big.bin")) != sha256.Sum256(big) {
		t.Fatal("big.bin differs on the device")
	}
	back := t.TempDir()
	b.ok("cp", ":big.bin", filepath.Join(back, "copy.bin"))
	if sum(t, filepath.Join(back, "copy.bin")) != sha256.Sum256(big) {
		t.Fatal("big.bin differs after the round trip")
	}
	if got := b.ok("sha256", ":big.bin"); got != fmt.Sprintf("%x  :big.bin\n", sha256.Sum256(big)) {
		t.Fatalf("sha256 printed %q", got)
	}

	b.ok("cp", "-r", filepath.Join(host, "proj"), ":")
	want := treeSums(t, filepath.Join(host, "proj"))
	if got := treeSums(t, filepath.Join(b.root, "proj")); !equalSums(got, want) {
		t.Fatalf("tree on the device: %v, want %v", keys(got), keys(want))
	}
	b.ok("cp", "-r", ":proj", filepath.Join(back, "proj2"))
	if got := treeSums(t, filepath.Join(back, "proj2")); !equalSums(got, want) {
		t.Fatalf("tree copied back: %v, want %v", keys(got), keys(want))
	}
	if got := b.ok("cat", ":proj/main.lua"); got != "print('hi')\n" {
		t.Fatalf("cat printed %q", got)
	}
	if got := b.ok("ls", ":proj"); got != "           0 empty.txt\n           0 lib/\n          12 main.lua\n" {
		t.Fatalf("ls printed %q", got)
	}
	if files := tempFiles(t, b.root); files != nil {
		t.Fatalf("temporary files left on the device: %v", files)
	}
	if files := tempFiles(t, back); files != nil {
		t.Fatalf("temporary files left here: %v", files)
	}
}

func equalSums(a, b map[string][32]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func keys(m map[string][32]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestCopySkipsUnchanged(t *testing.T) {
	b := startBoard(t, nil)
	host := t.TempDir()
	writeTree(t, host, map[string]string{"main.lua": "print(1)\n"})
	local, remote := filepath.Join(host, "main.lua"), filepath.Join(b.root, "main.lua")
	b.ok("cp", local, ":main.lua")
	before := inode(t, remote)
	if out := b.ok("cp", local, ":main.lua"); !strings.Contains(out, "unchanged, skipped") {
		t.Fatalf("second cp printed %q", out)
	}
	if inode(t, remote) != before {
		t.Fatal("an unchanged file was written again")
	}
	writeTree(t, host, map[string]string{"main.lua": "print(2)\n"})
	if out := b.ok("cp", local, ":main.lua"); strings.Contains(out, "unchanged") {
		t.Fatalf("cp of a changed file printed %q", out)
	}
	if got, _ := os.ReadFile(remote); string(got) != "print(2)\n" {
		t.Fatalf("device has %q", got)
	}
	// The other way round too.
	before = inode(t, local)
	if out := b.ok("cp", ":main.lua", local); !strings.Contains(out, "unchanged, skipped") {
		t.Fatalf("cp back printed %q", out)
	}
	if inode(t, local) != before {
		t.Fatal("an unchanged local file was written again")
	}
}

func TestRemoveAndDirectories(t *testing.T) {
	b := startBoard(t, map[string]string{"a.txt": "a", "lib/x.lua": "x", "lib/sub/y.lua": "y"})
	b.ok("rm", ":a.txt")
	if _, err := os.Stat(filepath.Join(b.root, "a.txt")); !os.IsNotExist(err) {
		t.Fatalf("a.txt still there: %v", err)
	}
	b.fails("is a directory; use rm -r", "rm", ":lib")
	b.fails(":lib: directory not empty", "rmdir", ":lib")
	b.fails(":lib/x.lua: not a directory", "rmdir", ":lib/x.lua")
	b.ok("rm", "-r", ":lib")
	if _, err := os.Stat(filepath.Join(b.root, "lib")); !os.IsNotExist(err) {
		t.Fatalf("lib still there: %v", err)
	}
	b.ok("mkdir", ":new/deeper")
	b.ok("rmdir", ":new/deeper")
	if got := b.ok("ls"); !strings.Contains(got, "           0 new/\n") {
		t.Fatalf("ls printed %q", got)
	}
	if got := b.ok("ls", ":new"); got != "" {
		t.Fatalf("ls :new printed %q", got)
	}
	b.fails("refusing to remove the script root", "rm", "-r", ":")
	if out := b.ok("df"); !strings.Contains(out, "avail") || !strings.Contains(out, "%  :") {
		t.Fatalf("df printed %q", out)
	}
}

// TestResetRerunsMain: reset runs main.lua again, and repl (chained after
// it) shows what main.lua prints and passes keys through until Ctrl-].
func TestResetRerunsMain(t *testing.T) {
	b := startBoard(t, map[string]string{"main.lua": `
local ok, n = pcall(fs.read, 'boots')
n = (ok and tonumber(n) or 0) + 1
fs.write('boots', tostring(n))
print('main ran ' .. n)
`})
	// The first boot wrote 1; wait for it through the device.
	if got := b.ok("exec", "print(fs.read('boots'))"); got != "1\n" {
		t.Fatalf("boots after the first boot: %q", got)
	}
	p := b.start("reset", "+", "repl")
	p.stdout.Expect("main ran 2")
	p.stdin.Write([]byte("print(6 * 7)\r"))
	p.stdout.Expect("42")
	p.stdin.Write([]byte("\x1d"))
	if code := p.wait(); code != 0 {
		t.Fatalf("exit %d; stderr %q", code, p.stderr.String())
	}
	if got, _ := os.ReadFile(filepath.Join(b.root, "boots")); string(got) != "2" {
		t.Fatalf("boots = %q after reset", got)
	}
	b.fails("reset --hard: moonpin cannot restart", "reset", "--hard")
}

func TestChainedCommands(t *testing.T) {
	b := startBoard(t, nil)
	host := t.TempDir()
	const greet = "return {hello = function(n) return 'hello ' .. n end}\n"
	writeTree(t, host, map[string]string{"greet.lua": greet})
	out := b.ok("mkdir", ":lib", "+", "cp", filepath.Join(host, "greet.lua"), ":lib/", "+",
		"exec", "print(require('lib.greet').hello('pin'))", "+", "eval", "1 + 1", "+", "ls", ":lib")
	want := fmt.Sprintf("%s -> :lib/greet.lua\nhello pin\n2\n%12d greet.lua\n", filepath.Join(host, "greet.lua"), len(greet))
	if out != want {
		t.Fatalf("chain printed %q, want %q", out, want)
	}
	// A failing command stops the chain.
	r := b.moonctl("exec", "error('stop here')", "+", "exec", "print('not reached')")
	if r.code != 1 || strings.Contains(r.stdout, "not reached") || !strings.Contains(r.stderr, "stop here") {
		t.Fatalf("chain after a failure: %+v", r)
	}
}

// TestBadInput: each mistake is one line on stderr, exit status 1, and
// nothing written on either side.
func TestBadInput(t *testing.T) {
	b := startBoard(t, map[string]string{"keep.txt": "keep", "dir/x": "x"})
	host := t.TempDir()
	writeTree(t, host, map[string]string{"f.txt": "f", "d/g.txt": "g"})
	before := treeSums(t, b.root)

	b.fails("cp: "+filepath.Join(host, "missing.txt")+": no such file or directory", "cp", filepath.Join(host, "missing.txt"), ":")
	b.fails("cp: :../f.txt: path leaves the script root", "cp", filepath.Join(host, "f.txt"), ":../f.txt")
	b.fails("path leaves the script root; moonctl's file commands reach only the files under the script root", "cat", ":../etc/passwd")
	b.fails("is a directory; use cp -r", "cp", filepath.Join(host, "d"), ":")
	b.fails(":dir: is a directory", "cat", ":dir")
	b.fails(":dir is a directory; use cp -r", "cp", ":dir", host)
	b.fails("cp: :nope: no such file or directory", "cp", ":nope", host)
	b.fails(":keep.txt/f.txt: not a directory", "cp", filepath.Join(host, "f.txt"), ":keep.txt/f.txt")
	if r := b.moonctl("cp", filepath.Join(host, "f.txt"), filepath.Join(host, "g.txt")); r.code != 2 || !strings.Contains(r.stderr, "mark the device side with ':'") {
		t.Fatalf("cp between two local paths: %+v", r)
	}
	if r := b.moonctl("frobnicate"); r.code != 2 || !strings.Contains(r.stderr, `unknown command "frobnicate"`) {
		t.Fatalf("unknown command: %+v", r)
	}

	if got := treeSums(t, b.root); !equalSums(got, before) {
		t.Fatalf("the device's files changed: %v", keys(got))
	}
	if _, err := os.Stat(filepath.Join(host, "dir")); !os.IsNotExist(err) {
		t.Fatalf("a failed cp left %s/dir: %v", host, err)
	}
	if files := append(tempFiles(t, b.root), tempFiles(t, host)...); files != nil {
		t.Fatalf("temporary files left: %v", files)
	}
}

// TestBusyPort: a second moonctl on a port in use says who holds it.
func TestBusyPort(t *testing.T) {
	b := startBoard(t, nil)
	p := b.start("repl")
	p.stderr.Expect("Connected to " + b.path)
	b.fails(fmt.Sprintf("%s: port busy: held by moonctl (pid %d)", b.path, p.cmd.Process.Pid), "ls")
	p.stdin.Write([]byte("\x1d"))
	if code := p.wait(); code != 0 {
		t.Fatalf("repl exit %d; stderr %q", code, p.stderr.String())
	}
	b.ok("ls")
}

// TestDeviceStopsAnswering stops moonpin (SIGSTOP) in the middle of a
// transfer each way: moonctl gives up with the port named, and neither
// side keeps a partial file.
func TestDeviceStopsAnswering(t *testing.T) {
	b := startBoard(t, nil)
	old := randomBytes(2, 1000)
	writeTree(t, b.root, map[string]string{"big.bin": string(old)})
	host := t.TempDir()
	big := randomBytes(3, 16<<20)
	writeTree(t, host, map[string]string{"big.bin": string(big)})
	stopped := func() {
		if err := b.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
			t.Fatal(err)
		}
	}
	resumed := func() {
		if err := b.cmd.Process.Signal(syscall.SIGCONT); err != nil {
			t.Fatal(err)
		}
	}

	w := watchUploads(t, b.root)
	p := b.start("--timeout", "1s", "cp", filepath.Join(host, "big.bin"), ":big.bin")
	w.waitFor(unix.IN_MODIFY, ".~moonpin-", 2)
	stopped()
	code := p.wait()
	resumed()
	if code != 1 || !strings.Contains(p.stderr.String(), "no answer from "+b.path+" in 1s") || strings.Count(p.stderr.String(), "\n") != 1 {
		t.Fatalf("exit %d, stderr %q", code, p.stderr.String())
	}
	b.ok("ls") // the device has dealt with the abandoned put once this answers
	if got, _ := os.ReadFile(filepath.Join(b.root, "big.bin")); !bytes.Equal(got, old) {
		t.Fatal("the device file changed")
	}
	if files := tempFiles(t, b.root); files != nil {
		t.Fatalf("temporary files left on the device: %v", files)
	}

	writeTree(t, b.root, map[string]string{"big.bin": string(big)})
	writeTree(t, host, map[string]string{"big.bin": string(old)})
	hw := watch(t, host)
	p = b.start("--timeout", "1s", "cp", ":big.bin", filepath.Join(host, "big.bin"))
	hw.waitFor(unix.IN_MODIFY, ".big.bin.moonctl-", 2)
	stopped()
	code = p.wait()
	resumed()
	if code != 1 || !strings.Contains(p.stderr.String(), "no answer from "+b.path+" in 1s") {
		t.Fatalf("exit %d, stderr %q", code, p.stderr.String())
	}
	if got, _ := os.ReadFile(filepath.Join(host, "big.bin")); !bytes.Equal(got, old) {
		t.Fatal("the local file changed")
	}
	if files := tempFiles(t, host); files != nil {
		t.Fatalf("temporary files left here: %v", files)
	}
}

// TestKillMidCopy kills moonctl (SIGKILL: no clean-up of its own) while a
// large file is on its way: the device keeps the old file or the new one,
// never a part, and no temporary file shows.
func TestKillMidCopy(t *testing.T) {
	b := startBoard(t, nil)
	old := []byte("old content\n")
	writeTree(t, b.root, map[string]string{"big.bin": string(old)})
	host := t.TempDir()
	big := randomBytes(4, 16<<20)
	writeTree(t, host, map[string]string{"big.bin": string(big)})
	for _, after := range []int{1, 20} {
		w := watchUploads(t, b.root)
		p := b.start("cp", filepath.Join(host, "big.bin"), ":big.bin")
		w.waitFor(unix.IN_MODIFY, ".~moonpin-", after)
		if err := p.cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		p.wait()
		b.ok("ls")
		got, err := os.ReadFile(filepath.Join(b.root, "big.bin"))
		if err != nil || (!bytes.Equal(got, old) && !bytes.Equal(got, big)) {
			t.Fatalf("killed after %d writes: the device file has %d bytes, neither the old %d nor the new %d (%v)", after, len(got), len(old), len(big), err)
		}
		if files := tempFiles(t, b.root); files != nil {
			t.Fatalf("temporary files left on the device: %v", files)
		}
	}
}

// TestCopyRemovesAKilledCopysTemp: a moonctl killed while it copied a file
// from the board left its temporary file beside the destination for good;
// the next copy to that file removes one left alone for 10 minutes, and
// leaves a recent one (another copy's, under way) be.
func TestCopyRemovesAKilledCopysTemp(t *testing.T) {
	b := startBoard(t, map[string]string{"a.txt": "board\n"})
	host := t.TempDir()
	stale := filepath.Join(host, ".a.txt.moonctl-111")
	recent := filepath.Join(host, ".a.txt.moonctl-222")
	other := filepath.Join(host, ".b.txt.moonctl-333")
	for _, p := range []string{stale, recent, other} {
		if err := os.WriteFile(p, []byte("half"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-time.Hour)
	for _, p := range []string{stale, other} {
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	b.ok("cp", ":a.txt", filepath.Join(host, "a.txt"))
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the killed copy's temporary file is still there: %v", err)
	}
	for _, p := range []string{recent, other} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s, not this copy's leftover, is gone: %v", filepath.Base(p), err)
		}
	}
}

// TestPortSharedWithATerminal: a terminal (screen, picocom) that has the
// port open takes no lock, and reads the board's answers before moonctl
// can; moonctl's timeout names it, where it said "is moonpin running on
// it?". (The board is stopped here, so that no answer comes at all.)
func TestPortSharedWithATerminal(t *testing.T) {
	b := startBoard(t, nil)
	f, err := os.OpenFile(b.path, os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := b.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	defer b.cmd.Process.Signal(syscall.SIGCONT)
	r := b.moonctl("--timeout", "1s", "exec", "print('hi')")
	want := fmt.Sprintf("(pid %d) also has it open and takes the board's answers; close it first", os.Getpid())
	if r.code == 0 || !strings.Contains(r.stderr, want) {
		t.Fatalf("moonctl beside a terminal: %+v; want %q", r, want)
	}
}

// TestPortLinkIsNotATerminal: socat, which links a serial line's two ptys,
// holds the host's end open too, and its master: it is the line, not a
// terminal in the way, and moonctl's timeout on a line nobody serves does
// not name it.
func TestPortLinkIsNotATerminal(t *testing.T) {
	_, devB := linkPtys(t)
	r := (&board{t: t, path: devB}).moonctl("--timeout", "1s", "exec", "print('hi')")
	if r.code == 0 || strings.Contains(r.stderr, "socat") || !strings.Contains(r.stderr, "is moonpin running on it?") {
		t.Fatalf("moonctl on a linked serial line nobody serves: %+v", r)
	}
}

// TestLsTimesOutOnce: ls on a line nobody serves fails after its timeout,
// once; it asked again for a file's stat and took twice as long.
func TestLsTimesOutOnce(t *testing.T) {
	_, devB := linkPtys(t)
	start := time.Now()
	// 2 s once is under 3.5 s with room for starting a race-built moonctl
	// on a busy machine; 2 s twice is not.
	r := (&board{t: t, path: devB}).moonctl("--timeout", "2s", "ls")
	if took := time.Since(start); r.code == 0 || took > 3500*time.Millisecond {
		t.Fatalf("ls on a line nobody serves: %+v after %v; want a failure after about 2 s", r, took)
	}
}

// TestCopyTreeSkipsMoonpinTemps: cp -r of a local directory that is itself
// a moonpin root (a project tried on the computer first) leaves out
// moonpin's own temporary files and their directory, which the device
// would keep as hidden garbage.
func TestCopyTreeSkipsMoonpinTemps(t *testing.T) {
	b := startBoard(t, nil)
	host := t.TempDir()
	writeTree(t, host, map[string]string{
		"proj/main.lua": "print('hi')\n",
		"proj/" + fslib.TempDir + "/" + fslib.TempPrefix + "123": "half an upload",
		"proj/lib/" + fslib.TempPrefix + "9":                     "half a write",
	})
	out := b.ok("cp", "-r", filepath.Join(host, "proj"), ":")
	var found []string
	filepath.WalkDir(filepath.Join(b.root, "proj"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), fslib.TempPrefix) {
			found = append(found, p)
		}
		return nil
	})
	if found != nil {
		t.Fatalf("moonpin's temporary files copied to the device: %v (cp printed %q)", found, out)
	}
	if got := b.ok("cat", ":proj/main.lua"); got != "print('hi')\n" {
		t.Fatalf("cat printed %q", got)
	}
}
