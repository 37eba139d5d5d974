package fs_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"

	fslib "github.com/moonpin/moonpin/interp/lib/fs"
)

// cancelAfter is a context that ends after its Err has said it runs n times:
// an interrupt that lands between two pieces of a write.
type cancelAfter struct {
	context.Context
	n int
}

func (c *cancelAfter) Err() error {
	if c.n--; c.n < 0 {
		return context.Canceled
	}
	return nil
}

// TestAppendIsWholeOrNothing: an append that fails (the file may not grow:
// a full disk, here RLIMIT_FSIZE's EFBIG) or is interrupted between pieces
// leaves the file as it was, not with the start of the record (a 200 KB
// append to a full 512 KB tmpfs left 108 KB of it).
func TestAppendIsWholeOrNothing(t *testing.T) {
	const before = "first record\n"
	record := bytes.Repeat([]byte("x"), 3<<20)
	for _, c := range []struct {
		name   string
		append func(target fslib.Target) error
	}{
		{"interrupted", func(target fslib.Target) error {
			return target.WriteFile(&cancelAfter{context.Background(), 2}, record, true)
		}},
		{"file too large", func(target fslib.Target) error {
			var old unix.Rlimit
			if err := unix.Getrlimit(unix.RLIMIT_FSIZE, &old); err != nil {
				t.Fatal(err)
			}
			lowered := unix.Rlimit{Cur: 1 << 20, Max: old.Max}
			if err := unix.Setrlimit(unix.RLIMIT_FSIZE, &lowered); err != nil {
				t.Skipf("cannot lower RLIMIT_FSIZE: %v", err)
			}
			defer unix.Setrlimit(unix.RLIMIT_FSIZE, &old)
			return target.WriteFile(context.Background(), record, true)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "data.txt")
			if err := os.WriteFile(path, []byte(before), 0o644); err != nil {
				t.Fatal(err)
			}
			err := c.append(fslib.Target{Path: path})
			if err == nil {
				t.Fatal("append succeeded")
			}
			if c.name == "interrupted" && !errors.Is(err, context.Canceled) {
				t.Fatalf("error %v, want the context's", err)
			}
			got, rerr := os.ReadFile(path)
			if rerr != nil {
				t.Fatal(rerr)
			}
			if string(got) != before {
				t.Fatalf("after a failed append (%v) the file has %d bytes, want the %d it had", err, len(got), len(before))
			}
		})
	}
}
