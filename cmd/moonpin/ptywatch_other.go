//go:build !linux

package main

import "errors"

// clientWatch needs inotify; elsewhere the pty transport polls for clients.
type clientWatch struct{}

func newClientWatch(string) (*clientWatch, error) {
	return nil, errors.New("no inotify on this system")
}

func (*clientWatch) next() <-chan struct{} { return nil }

func (*clientWatch) Close() error { return nil }
