package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/moonpin/moonpin/deploy"
	fslib "github.com/moonpin/moonpin/interp/lib/fs"
)

// hardwareGroups are the groups that own GPIO, I2C, SPI and serial devices
// on Raspberry Pi OS and most Debian boards; the service gets those the
// system has.
var hardwareGroups = []string{"gpio", "i2c", "spi", "dialout"}

// runInstall is `moonpin install`: it copies this binary into place and
// writes the systemd unit, the options file and the script root. --prefix
// writes under another directory and --dry-run only says what it would do,
// so both can be tried without root.
func runInstall(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("moonpin install", flag.ContinueOnError)
	fs.SetOutput(stderr)
	u := deploy.Defaults
	prefix := fs.String("prefix", "/", "install under this directory instead of /")
	dryRun := fs.Bool("dry-run", false, "print what would be written and change nothing")
	fs.StringVar(&u.Binary, "bin", u.Binary, "where the moonpin binary goes")
	fs.StringVar(&u.Port, "port", u.Port, "serial port for the REPL: /dev/ttyGS0 (USB gadget) or a UART such as /dev/ttyAMA0 or /dev/serial0")
	fs.IntVar(&u.Baud, "baud", u.Baud, "baud rate for a UART port")
	fs.StringVar(&u.Root, "root", u.Root, "script root (boot.lua, main.lua)")
	fs.StringVar(&u.User, "user", defaultServiceUser(), "account the service runs as")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: moonpin install [flags]")
		fmt.Fprintln(stderr, "Installs moonpin as a systemd service: the binary, moonpin.service, /etc/default/moonpin and the script root.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "moonpin install: unexpected %q\n", fs.Arg(0))
		return 2
	}
	for _, p := range []*string{&u.Binary, &u.Root} {
		if !filepath.IsAbs(*p) {
			fmt.Fprintf(stderr, "moonpin install: %s: give an absolute path\n", *p)
			return 2
		}
	}
	owner, err := user.Lookup(u.User)
	if err != nil {
		fmt.Fprintf(stderr, "moonpin install: --user %s: %v\n", u.User, err)
		return 1
	}
	for _, g := range hardwareGroups {
		if _, err := user.LookupGroup(g); err == nil {
			u.Groups = append(u.Groups, g)
		}
	}
	unit, err := deploy.RenderUnit(u)
	if err != nil {
		fmt.Fprintf(stderr, "moonpin install: %v\n", err)
		return 1
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "moonpin install: finding this binary: %v\n", err)
		return 1
	}
	in := installer{prefix: *prefix, dryRun: *dryRun, out: stdout}
	steps := []func() error{
		func() error { return in.copyFile(self, u.Binary, 0o755) },
		func() error { return in.writeFile("/etc/systemd/system/moonpin.service", unit, true) },
		func() error { return in.writeFile("/etc/default/moonpin", deploy.Options, false) },
		func() error { return in.mkdirOwned(u.Root, owner) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			fmt.Fprintf(stderr, "moonpin install: %v\n", err)
			return 1
		}
	}
	if *dryRun {
		fmt.Fprintf(stdout, "\n--- %s\n%s", in.path("/etc/systemd/system/moonpin.service"), unit)
		return 0
	}
	fmt.Fprintf(stdout, "\nNext:\n"+
		"  sudo systemctl daemon-reload\n"+
		"  sudo systemctl enable --now moonpin\n"+
		"Then, from the computer at the other end of the USB cable: moonctl repl\n"+
		"(%s must exist: see deploy/usb-gadget.md for the one-time USB gadget set-up.)\n", u.Port)
	return 0
}

// defaultServiceUser is the user who ran sudo, else the current one.
func defaultServiceUser() string {
	if u := os.Getenv("SUDO_USER"); u != "" {
		return u
	}
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return "root"
}

// installer writes files under prefix, or with dryRun says what it would
// write.
type installer struct {
	prefix string
	dryRun bool
	out    io.Writer
}

func (in installer) path(p string) string { return filepath.Join(in.prefix, p) }

// writeFile writes text to p; an existing file is kept unless replace.
func (in installer) writeFile(p, text string, replace bool) error {
	full := in.path(p)
	old, err := os.ReadFile(full)
	switch {
	case err == nil && !replace:
		fmt.Fprintf(in.out, "kept %s (already there)\n", full)
		return nil
	case err == nil && string(old) == text:
		fmt.Fprintf(in.out, "unchanged %s\n", full)
		return nil
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return err
	}
	fmt.Fprintf(in.out, "write %s\n", full)
	if in.dryRun {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return err
	}
	return fslib.WriteBeside(full, strings.NewReader(text), 0o644)
}

// copyFile copies the binary, unless it is already the file at dst.
func (in installer) copyFile(src, dst string, mode fs.FileMode) error {
	full := in.path(dst)
	if same(src, full) {
		fmt.Fprintf(in.out, "unchanged %s (this binary)\n", full)
		return nil
	}
	fmt.Fprintf(in.out, "copy %s -> %s\n", src, full)
	if in.dryRun {
		return nil
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if old, err := os.ReadFile(full); err == nil && bytes.Equal(old, data) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return err
	}
	// A new file renamed over the old one: the running service keeps its
	// binary, and a power cut leaves one or the other.
	return fslib.WriteBeside(full, bytes.NewReader(data), mode)
}

// mkdirOwned makes the script root, owned by the service's user when
// moonpin runs as root.
func (in installer) mkdirOwned(dir string, owner *user.User) error {
	full := in.path(dir)
	if fi, err := os.Stat(full); err == nil {
		if !fi.IsDir() {
			return fmt.Errorf("%s exists and is not a directory", full)
		}
		fmt.Fprintf(in.out, "kept %s (already there)\n", full)
		return nil
	}
	fmt.Fprintf(in.out, "mkdir %s (owner %s)\n", full, owner.Username)
	if in.dryRun {
		return nil
	}
	if err := os.MkdirAll(full, 0o755); err != nil {
		return err
	}
	if os.Geteuid() != 0 {
		return nil
	}
	uid, err1 := strconv.Atoi(owner.Uid)
	gid, err2 := strconv.Atoi(owner.Gid)
	if err := errors.Join(err1, err2); err != nil {
		return fmt.Errorf("user %s: %w", owner.Username, err)
	}
	return os.Chown(full, uid, gid)
}

func same(a, b string) bool {
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
}
