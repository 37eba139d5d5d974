//go:build unix

package repl

import "golang.org/x/sys/unix"

// diskUsage is the size of the file system holding path and the bytes free
// on it, in all and to an unprivileged user.
func diskUsage(path string) (total, free, avail uint64, err error) {
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return 0, 0, 0, err
	}
	bs := uint64(st.Bsize)
	return st.Blocks * bs, st.Bfree * bs, uint64(st.Bavail) * bs, nil
}
