//go:build !unix

package repl

import "errors"

func diskUsage(string) (total, free, avail uint64, err error) {
	return 0, 0, 0, errors.New("df is not supported on this system")
}
