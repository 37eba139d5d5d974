package main

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/moonpin/moonpin/internal/fsync"
	"github.com/moonpin/moonpin/repl/client"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progressMin is the size from which a transfer shows a progress bar (on a
// terminal): smaller ones take well under a second.
const progressMin = 256 << 10

// isDevice reports whether a cp argument names a device path.
func isDevice(arg string) bool { return strings.HasPrefix(arg, ":") }

// devicePath turns ":lib/x.lua", "lib/x.lua" or ":/lib/x.lua" into the
// device's root-relative "lib/x.lua"; ":" and ":/" are the root, ".".
func devicePath(arg string) string {
	p := strings.TrimLeft(strings.TrimPrefix(arg, ":"), "/")
	if p == "" {
		return "."
	}
	return path.Clean(p)
}

func (s *session) ls(_ bool, args []string) error {
	dir := "."
	if len(args) == 1 {
		dir = devicePath(args[0])
	}
	c, err := s.rawConn()
	if err != nil {
		return err
	}
	entries, err := c.List(s.ctx, dir)
	if err != nil {
		// A file lists as itself. Not asked again when the board did not
		// answer at all: that doubled the wait.
		var fe *client.FileError
		if !errors.As(err, &fe) {
			return err
		}
		st, serr := c.Stat(s.ctx, dir)
		if serr != nil || st.Dir {
			return err
		}
		entries = []client.FileInfo{st}
	}
	for _, e := range entries {
		name, size := e.Name, e.Size
		if e.Dir {
			name, size = name+"/", 0 // what a directory takes on disk says nothing here
		}
		fmt.Fprintf(s.stdout, "%12d %s\n", size, escapeControls(name))
	}
	return nil
}

func (s *session) cat(_ bool, args []string) error {
	c, err := s.rawConn()
	if err != nil {
		return err
	}
	_, err = c.Get(s.ctx, devicePath(args[0]), s.stdout, nil)
	return err
}

func (s *session) sha256(_ bool, args []string) error {
	c, err := s.rawConn()
	if err != nil {
		return err
	}
	for _, a := range args {
		_, sum, err := c.Sha256(s.ctx, devicePath(a))
		if err != nil {
			return err
		}
		fmt.Fprintf(s.stdout, "%x  :%s\n", sum, devicePath(a))
	}
	return nil
}

func (s *session) mkdir(_ bool, args []string) error {
	c, err := s.rawConn()
	if err != nil {
		return err
	}
	for _, a := range args {
		if err := c.Mkdir(s.ctx, devicePath(a)); err != nil {
			return err
		}
	}
	return nil
}

func (s *session) rmdir(_ bool, args []string) error {
	c, err := s.rawConn()
	if err != nil {
		return err
	}
	for _, a := range args {
		p := devicePath(a)
		st, err := c.Stat(s.ctx, p)
		if err != nil {
			return err
		}
		if !st.Dir {
			return fmt.Errorf("rmdir :%s: not a directory; remove files with moonctl rm", p)
		}
		if err := c.Remove(s.ctx, p); err != nil {
			return err
		}
	}
	return nil
}

func (s *session) rm(recursive bool, args []string) error {
	c, err := s.rawConn()
	if err != nil {
		return err
	}
	for _, a := range args {
		p := devicePath(a)
		if p == "." {
			return errors.New("rm: refusing to remove the script root; name what is in it")
		}
		st, err := s.entry(c, p)
		if err != nil {
			return err
		}
		if st.Dir && !recursive {
			return fmt.Errorf("rm :%s: is a directory; use rm -r (or rmdir for an empty one)", p)
		}
		if err := s.removeAll(c, p, st.Dir); err != nil {
			return err
		}
	}
	return nil
}

// entry describes the device entry p itself, as its directory lists it: a
// symlink there is not the directory it may point to, so rm -r removes the
// link and never empties a directory through it.
func (s *session) entry(c *client.Client, p string) (client.FileInfo, error) {
	if entries, err := c.List(s.ctx, path.Dir(p)); err == nil {
		for _, e := range entries {
			if e.Name == path.Base(p) {
				return e, nil
			}
		}
	}
	// Not listed: Stat says why in p's terms.
	return c.Stat(s.ctx, p)
}

func (s *session) removeAll(c *client.Client, p string, dir bool) error {
	return s.removeTree(c, p, dir, 0)
}

func (s *session) removeTree(c *client.Client, p string, dir bool, depth int) error {
	if dir {
		if depth == maxTreeDepth {
			return tooDeep("rm -r", p)
		}
		entries, err := c.List(s.ctx, p)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if err := s.removeTree(c, path.Join(p, e.Name), e.Dir, depth+1); err != nil {
				return err
			}
		}
	}
	return c.Remove(s.ctx, p)
}

// maxTreeDepth bounds how deep cp -r and rm -r go into a device's tree: a
// device whose every directory lists another (a hostile one) would have
// them go on until the host's paths were too long.
const maxTreeDepth = 64

func tooDeep(what, dir string) error {
	return fmt.Errorf("%s :%s: more than %d levels deep; refusing to go further", what, dir, maxTreeDepth)
}

// cp copies local files to the device (the last argument is a device path)
// or device files here (the sources are). Files whose sha256 already
// matches are skipped; every file arrives whole or not at all.
func (s *session) cp(recursive bool, args []string) error {
	srcs, dst := args[:len(args)-1], args[len(args)-1]
	for _, src := range srcs {
		if isDevice(src) == isDevice(dst) {
			return usagef("cp %s %s: copy between the host and the device: mark the device side with ':' (cp main.lua :  or  cp :main.lua .)", src, dst)
		}
	}
	c, err := s.rawConn()
	if err != nil {
		return err
	}
	if isDevice(dst) {
		return s.putAll(c, srcs, dst, recursive)
	}
	return s.getAll(c, srcs, dst, recursive)
}

func (s *session) putAll(c *client.Client, srcs []string, dst string, recursive bool) error {
	to := devicePath(dst)
	into := dst == ":" || strings.HasSuffix(dst, "/") || len(srcs) > 1
	if !into {
		st, err := c.Stat(s.ctx, to)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		into = err == nil && st.Dir
	}
	for _, src := range srcs {
		fi, err := os.Stat(src)
		if err != nil {
			return localError("cp", src, err)
		}
		target := to
		if into {
			target = path.Join(to, filepath.Base(src))
		}
		if !fi.IsDir() {
			if err := s.put(c, src, target); err != nil {
				return err
			}
			continue
		}
		if !recursive {
			return fmt.Errorf("cp: %s is a directory; use cp -r", src)
		}
		err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return localError("cp", p, err)
			}
			rel, err := filepath.Rel(src, p)
			if err != nil {
				return err
			}
			remote := path.Join(target, filepath.ToSlash(rel))
			switch {
			case p != src && strings.HasPrefix(d.Name(), moonpinTempPrefix):
				// a local moonpin's temporary files (the directory is
				// itself a moonpin root), which the device would keep as
				// hidden garbage
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			case d.IsDir():
				return c.Mkdir(s.ctx, remote)
			case d.Type()&^fs.ModeSymlink != 0:
				fmt.Fprintf(s.stdout, "%s: skipped, not a regular file\n", p)
				return nil
			}
			return s.put(c, p, remote)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// moonpinTempPrefix starts the names of moonpin's temporary files and of
// the directory that holds them (interp/lib/fs TempPrefix, which moonctl
// does not import: it would bring the Lua runtime into the host tool).
const moonpinTempPrefix = ".~moonpin-"

// put copies one local file to the device unless the device has it already.
func (s *session) put(c *client.Client, local, remote string) error {
	data, err := os.ReadFile(local)
	if err != nil {
		return localError("cp", local, err)
	}
	label := escapeControls(fmt.Sprintf("%s -> :%s", local, remote))
	sent, err := s.putData(c, data, label, remote)
	if err == nil && !sent {
		fmt.Fprintf(s.stdout, "%s (unchanged, skipped)\n", label)
	}
	return err
}

// putData writes data to remote with a progress bar and says label (its
// control bytes escaped) when done, unless the device's file has the same size and sha256 already; it
// reports whether it wrote.
func (s *session) putData(c *client.Client, data []byte, label, remote string) (bool, error) {
	label = escapeControls(label)
	size, sum, err := c.Sha256(s.ctx, remote)
	var fe *client.FileError
	switch {
	case err == nil && size == int64(len(data)) && sum == sha256.Sum256(data):
		return false, nil
	case err != nil && !errors.As(err, &fe):
		return false, err
	}
	// A device-side reason not to hash (no file yet, a directory in the
	// way) is for the put to report.
	bar := s.progress(int64(len(data)), label)
	err = c.Put(s.ctx, remote, bytes.NewReader(data), int64(len(data)), bar.update)
	bar.done()
	if err != nil {
		return false, err
	}
	fmt.Fprintln(s.stdout, label)
	return true, nil
}

func (s *session) getAll(c *client.Client, srcs []string, dst string, recursive bool) error {
	into := strings.HasSuffix(dst, "/") || len(srcs) > 1
	if fi, err := os.Stat(dst); err == nil && fi.IsDir() {
		into = true
	} else if into {
		return localError("cp", dst, fmt.Errorf("not a directory (to copy into, it must exist)"))
	}
	for _, src := range srcs {
		from := devicePath(src)
		st, err := c.Stat(s.ctx, from)
		if err != nil {
			return err
		}
		target := dst
		if into {
			target = filepath.Join(dst, path.Base(from))
		}
		if !st.Dir {
			if err := s.get(c, from, target); err != nil {
				return err
			}
			continue
		}
		if !recursive {
			return fmt.Errorf("cp: :%s is a directory; use cp -r", from)
		}
		if err := s.getTree(c, from, target, 0); err != nil {
			return err
		}
	}
	return nil
}

func (s *session) getTree(c *client.Client, from, to string, depth int) error {
	if depth == maxTreeDepth {
		return tooDeep("cp -r", from)
	}
	if err := os.MkdirAll(to, 0o755); err != nil {
		return localError("cp", to, err)
	}
	entries, err := c.List(s.ctx, from)
	if err != nil {
		return err
	}
	for _, e := range entries {
		// The client refuses names that are not one path element on any
		// system; this one's separators and reserved names are checked
		// here, before the name is joined to a directory of this computer.
		if !isLocalName(e.Name) {
			return fmt.Errorf("cp -r :%s: the device listed an entry named %q, which cannot be a file name here", from, e.Name)
		}
	}
	for _, e := range entries {
		remote, local := path.Join(from, e.Name), filepath.Join(to, e.Name)
		if e.Dir {
			err = s.getTree(c, remote, local, depth+1)
		} else {
			err = s.get(c, remote, local)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// isLocalName reports whether name is one element of a path on this
// computer, naming something inside the directory it is joined to.
func isLocalName(name string) bool {
	return name != "." && filepath.IsLocal(name) && filepath.Base(name) == name
}

// get copies one device file here unless the local copy matches. It
// writes a temporary file beside the destination and renames it into
// place, so an interrupted copy leaves the old file as it was.
func (s *session) get(c *client.Client, remote, local string) error {
	label := escapeControls(fmt.Sprintf(":%s -> %s", remote, local))
	size, sum, err := c.Sha256(s.ctx, remote)
	if err != nil {
		return err
	}
	mode := fs.FileMode(0o644)
	if fi, err := os.Stat(local); err == nil {
		if fi.IsDir() {
			return fmt.Errorf("cp: %s is a directory; name a file, or the directory to copy into with a trailing /", local)
		}
		mode = fi.Mode().Perm()
		if fi.Size() == size && fileSum(local) == sum {
			fmt.Fprintf(s.stdout, "%s (unchanged, skipped)\n", label)
			return nil
		}
	}
	pattern := "." + filepath.Base(local) + ".moonctl-*"
	removeStaleTemps(filepath.Dir(local), pattern)
	tmp, err := os.CreateTemp(filepath.Dir(local), pattern)
	if err != nil {
		return localError("cp", local, err)
	}
	bar := s.progress(size, label)
	// on the disk, and then its name, before cp says it is done
	err = fsync.WriteOver(tmp, local, mode, func(w io.Writer) error {
		_, err := c.Get(s.ctx, remote, w, bar.update)
		bar.done()
		return err
	})
	if err != nil {
		return err
	}
	if err := fsync.Dir(filepath.Dir(local)); err != nil {
		return localError("cp", local, fmt.Errorf("copied, but the directory may not be on the disk yet: %w", err))
	}
	fmt.Fprintln(s.stdout, label)
	return nil
}

// staleTemp is how long a copy's temporary file must have been left
// alone before the next copy to the same file takes it for the leftover of
// a moonctl that was killed (one under way writes to it every 32 KB).
const staleTemp = 10 * time.Minute

// removeStaleTemps removes the temporary files in dir, named as pattern
// says, that moonctls killed during a copy left there.
func removeStaleTemps(dir, pattern string) {
	names, _ := filepath.Glob(filepath.Join(dir, pattern))
	for _, name := range names {
		if fi, err := os.Lstat(name); err == nil && fi.Mode().IsRegular() && time.Since(fi.ModTime()) > staleTemp {
			os.Remove(name)
		}
	}
}

// fileSum is the sha256 of a local file, zero if it cannot be read.
func fileSum(p string) [32]byte {
	var sum [32]byte
	f, err := os.Open(p)
	if err != nil {
		return sum
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err == nil {
		copy(sum[:], h.Sum(nil))
	}
	return sum
}

// bar is a transfer's progress bar; the zero bar shows nothing.
type bar struct {
	pb    *progressbar.ProgressBar
	label string
	meter *meter
}

// progress makes a bar for a transfer of size bytes if it is big enough to
// wait for and stderr is a terminal.
func (s *session) progress(size int64, label string) bar {
	f, ok := s.stderr.(*os.File)
	if size < progressMin || !ok || !term.IsTerminal(int(f.Fd())) {
		return bar{}
	}
	// The bar's own rate and time left count from its first update, with
	// the bytes of that update in: a first rate of GB/s. The meter's count
	// from the device's first acknowledgement instead.
	return bar{
		pb: progressbar.NewOptions64(size,
			progressbar.OptionSetWriter(f),
			progressbar.OptionSetDescription(label),
			progressbar.OptionShowBytes(false),
			progressbar.OptionShowTotalBytes(false),
			progressbar.OptionSetPredictTime(false),
			progressbar.OptionSetElapsedTime(false),
			progressbar.OptionShowDescriptionAtLineEnd(),
			progressbar.OptionSetWidth(20),
			progressbar.OptionThrottle(65*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		),
		label: label,
		meter: &meter{size: size, now: time.Now},
	}
}

// update is told the bytes the device has acknowledged (a put) or sent (a
// get).
func (b bar) update(done, _ int64) {
	if b.pb != nil {
		b.pb.Describe(b.label + "  " + b.meter.update(done))
		_ = b.pb.Set64(done)
	}
}

// done takes the bar off the terminal; the line moonctl prints next says
// how the transfer went.
func (b bar) done() {
	if b.pb != nil {
		_ = b.pb.Clear()
		_ = b.pb.Exit()
	}
}

// meter measures a transfer's rate and time left from the first bytes the
// device acknowledged: before them, the time went on the request's round
// trip and on filling buffers, which say nothing about the line.
type meter struct {
	size int64
	now  func() time.Time

	start     time.Time // of the first update
	startDone int64
}

// meterMin is how long the meter measures before it shows a rate.
const meterMin = 200 * time.Millisecond

// update takes the bytes done so far and says how far the transfer is:
// "1.5MB/20.0MB, 2.0MB/s, 10s left", the rate once it is measured.
func (m *meter) update(done int64) string {
	now := m.now()
	if m.start.IsZero() {
		m.start, m.startDone = now, done
	}
	text := fmt.Sprintf("%sB/%sB", humanBytes(done), humanBytes(m.size))
	elapsed := now.Sub(m.start)
	if elapsed < meterMin || done <= m.startDone {
		return text
	}
	rate := float64(done-m.startDone) / elapsed.Seconds()
	left := time.Duration(float64(m.size-done) / rate * float64(time.Second))
	return fmt.Sprintf("%s, %sB/s, %s left", text, humanBytes(int64(rate)), left.Round(time.Second))
}

// escapeControls writes the control characters in a device file name (or
// a line that holds one) as Go escapes (\n, \x1b): printed raw, they would
// split the output's lines or reach the terminal as commands.
func escapeControls(name string) string {
	if !strings.ContainsFunc(name, unicode.IsControl) {
		return name
	}
	var b strings.Builder
	for _, r := range name {
		if unicode.IsControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
