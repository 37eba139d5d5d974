package client

import "io"

// lockPort does nothing: Windows opens a serial port for one process only,
// and the serial library reports a busy one.
func lockPort(string) (io.Closer, error) { return nopCloser{}, nil }

type nopCloser struct{}

func (nopCloser) Close() error { return nil }

func openPort(path string, baud int) (io.ReadWriteCloser, error) { return openSerial(path, baud) }

func portHolders(string) []string { return nil }
