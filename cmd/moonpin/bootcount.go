package main

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/moonpin/moonpin/internal/fsync"
)

// A crash loop is crashLimit starts of boot.lua and main.lua, each ended by
// the process dying rather than stopping cleanly, within crashWindow. The
// start after one is safe: boot.lua and main.lua are skipped and the REPL
// says why. systemd's Restart=on-failure makes those starts come quickly.
const (
	crashLimit  = 3
	crashWindow = time.Minute
)

// bootCountDir is where the record of starts is kept: systemd's
// RuntimeDirectory for the service, else the user's runtime directory, else
// the temporary one. Not the script root: it would show among the user's
// files, and the root may be read-only. The record only matters within one
// OS boot, which is what a runtime directory lasts.
func bootCountDir() string {
	for _, env := range []string{"RUNTIME_DIRECTORY", "XDG_RUNTIME_DIR"} {
		// RUNTIME_DIRECTORY may list several, separated by colons.
		if dir, _, _ := strings.Cut(os.Getenv(env), ":"); dir != "" {
			return dir
		}
	}
	return os.TempDir()
}

// bootCounter finds crash loops across processes. Each start that runs
// boot.lua and main.lua is written down before they run, and a clean stop
// (SIGTERM, leaving the terminal REPL) forgets them all; so the starts on
// record are those whose process died, by a Go panic, a kill or the OOM
// killer. Times are since the OS booted, from the boot's own clock: a Pi has
// no RTC, and the wall clock may jump when NTP syncs in the first minute.
// Starts from an earlier OS boot do not count.
type bootCounter struct {
	path   string
	bootID string               // changes when the OS boots
	since  func() time.Duration // time since the OS booted
}

type bootRecord struct {
	BootID string `json:"boot_id"`
	// Starts are the times since boot, in ms, of the starts on record.
	Starts []int64 `json:"starts_ms"`
}

// newBootCounter returns the counter for the script root: one record per
// user and root.
func newBootCounter(root string) *bootCounter {
	sum := sha256.Sum256([]byte(root))
	name := fmt.Sprintf("moonpin-%d-boots-%x", os.Getuid(), sum[:6])
	return &bootCounter{path: filepath.Join(bootCountDir(), name), bootID: bootID(), since: sinceBoot}
}

// begin is called when a start is about to run boot.lua and main.lua. It
// reports whether the starts on record make a crash loop; if so it clears the
// record (the next start tries again) and this start must be safe; if not, it
// records this start.
func (c *bootCounter) begin() (crashLoop bool, err error) {
	rec, err := c.load()
	if err != nil {
		return false, err
	}
	now := c.since().Milliseconds()
	recent := rec.Starts[:0]
	if rec.BootID == c.bootID {
		for _, t := range rec.Starts {
			if t <= now && now-t < crashWindow.Milliseconds() {
				recent = append(recent, t)
			}
		}
	}
	if len(recent) >= crashLimit {
		return true, c.clear()
	}
	return false, c.save(bootRecord{BootID: c.bootID, Starts: append(recent, now)})
}

// clear forgets every start on record: the process is stopping cleanly.
func (c *bootCounter) clear() error {
	if err := os.Remove(c.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("boot counter: %w", err)
	}
	return nil
}

func (c *bootCounter) load() (bootRecord, error) {
	var rec bootRecord
	data, err := os.ReadFile(c.path)
	if errors.Is(err, fs.ErrNotExist) {
		return rec, nil
	}
	if err != nil {
		return rec, fmt.Errorf("boot counter: %w", err)
	}
	if err := json.Unmarshal(data, &rec); err != nil {
		// A record cut short by a power cut counts as no record.
		return bootRecord{}, nil
	}
	return rec, nil
}

// save writes the record and makes sure it is on disk before main.lua runs:
// the crash it is there to count may come at once.
func (c *bootCounter) save(rec bootRecord) error {
	data, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	// A fresh temporary file renamed over the record: a shared /tmp may
	// hold anything at a predictable name.
	f, err := os.CreateTemp(filepath.Dir(c.path), filepath.Base(c.path)+".new-")
	if err != nil {
		return fmt.Errorf("boot counter: %w", err)
	}
	tmp := f.Name()
	_, err = f.Write(append(data, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, c.path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("boot counter: %w", err)
	}
	// A directory that cannot be synced leaves the count as good as the
	// file system keeps it; the boot goes on.
	_ = fsync.Dir(filepath.Dir(c.path))
	return nil
}
