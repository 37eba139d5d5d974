package fs_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/moonpin/moonpin/interp/host"
	"github.com/moonpin/moonpin/interp/lib/fs"
)

// TestConfine: the root by real path, grants by path as written, write
// grants implying read, and an error naming the flag that would allow it.
func TestConfine(t *testing.T) {
	root, granted, target := t.TempDir(), t.TempDir(), t.TempDir()
	os.Symlink(target, filepath.Join(granted, "zone0"))
	os.Symlink(target, filepath.Join(root, "out"))
	g := host.Grants{Read: []string{granted}, Write: []string{filepath.Join(target, "w")}}
	realRoot, _ := filepath.EvalSymlinks(root)
	os.Mkdir(filepath.Join(root, "a"), 0o755)
	os.WriteFile(filepath.Join(root, "f.txt"), nil, 0o644)
	for _, tc := range []struct {
		name   string
		access fs.Access
		want   string // a path, or "error: text in it"
	}{
		{"a/b.txt", fs.Write, filepath.Join(realRoot, "a/b.txt")},
		{filepath.Join(root, "x"), fs.Read, filepath.Join(realRoot, "x")},
		{"a/../b", fs.Read, filepath.Join(realRoot, "b")},
		// as the system takes the path as written, not cleaned as text
		{"nodir/../b", fs.Read, "error: no such file or directory"},
		{"f.txt/..", fs.Write, "error: not a directory"},
		{"f.txt/", fs.Write, "error: not a directory"},
		{"f.txt/.", fs.Read, "error: not a directory"},
		{"a/", fs.Write, filepath.Join(realRoot, "a") + "/"},
		{"new/", fs.Write, filepath.Join(realRoot, "new") + "/"},
		{"", fs.Read, "error: no such file or directory"},
		{"../x", fs.Read, "error: path leaves the script root; start moonpin with --allow-read"},
		{"/etc/passwd", fs.Read, "error: absolute paths are not allowed outside the script root; paths are relative to it; start moonpin with --allow-read /etc/passwd"},
		{"out/x", fs.Read, "error: out of the script root (through a symlink)"},
		{granted + "/zone0/temp", fs.Read, granted + "/zone0/temp"},
		{granted + "/zone0/../../etc", fs.Read, "error: --allow-read"},
		{granted + "/f", fs.Write, "error: only reading is granted under " + granted + "; start moonpin with --allow-write"},
		{target + "/w/log", fs.Write, target + "/w/log"},
		{target + "/w/log", fs.Read, target + "/w/log"},
		{target + "/other", fs.Read, "error: --allow-read " + target + "/other"},
	} {
		got, err := fs.Confine(root, g, tc.name, tc.access)
		if want, ok := strings.CutPrefix(tc.want, "error: "); ok {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("Confine(%s, %v) = %q, %v; want an error with %q", tc.name, tc.access, got, err, want)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("Confine(%s, %v) = %q, %v; want %q", tc.name, tc.access, got, err, tc.want)
		}
	}
}

// TestResolveNamesNoFlag: the file channel (moonctl's cp, cat, ls, rm)
// reaches the script root only, whatever Lua is granted, so its refusals
// say that and do not suggest --allow-read or --allow-write (which a user
// then tried in vain).
func TestResolveNamesNoFlag(t *testing.T) {
	root := t.TempDir()
	for _, name := range []string{"../outside.txt", "/etc/passwd"} {
		for _, resolve := range []func(string, string) (string, error){fs.Resolve, fs.ResolveEntry} {
			_, err := resolve(root, name)
			if err == nil || strings.Contains(err.Error(), "--allow") || !strings.Contains(err.Error(), "moonctl's file commands reach only the files under the script root") {
				t.Errorf("%s: %v", name, err)
			}
		}
	}
}
