package fs

import "golang.org/x/sys/unix"

// sameMount reports whether paths a and b are on one mount, so that a
// file renames from one to the other. A bind mount has the device of
// what it binds, and still refuses a rename across it (EXDEV): the mount
// ids tell them apart where the kernel gives them (5.8 and later; no
// mount has id 0, which qemu-user hands out for every path while it says
// it gave the ids). Without them a bind mount passes for the same mount,
// and Replace copies the file over when the rename is refused.
func sameMount(a, b string) bool {
	var sa, sb unix.Statx_t
	if unix.Statx(unix.AT_FDCWD, a, 0, unix.STATX_MNT_ID, &sa) != nil ||
		unix.Statx(unix.AT_FDCWD, b, 0, unix.STATX_MNT_ID, &sb) != nil {
		return false
	}
	if sa.Mask&sb.Mask&unix.STATX_MNT_ID != 0 && sa.Mnt_id != 0 && sb.Mnt_id != 0 {
		return sa.Mnt_id == sb.Mnt_id
	}
	return sa.Dev_major == sb.Dev_major && sa.Dev_minor == sb.Dev_minor
}
