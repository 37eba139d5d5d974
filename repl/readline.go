package repl

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// errNoCommand: Lua asked for input while the REPL itself was waiting for
// the user at its prompt (a callback between commands).
var errNoCommand = errors.New("no input for callbacks while the REPL waits at its prompt; read input from main.lua or a REPL line")

// readLine is the session's input for Lua (io.read, and input() later): a
// line typed at the connection, echoed and edited as at the prompt, after
// prompt. Ctrl-D on an empty line is io.EOF; Ctrl-C interrupts the running
// code, which cancels ctx. It runs on the Lua loop goroutine while the REPL
// goroutine waits for the command to finish, so the two never read input at
// the same time; a connection that comes meanwhile is read from.
func (d *Device) readLine(ctx context.Context, prompt string) (string, error) {
	// Only a command's own Lua reads the session: a callback that fired
	// after the command's Lua had ended, while the REPL was printing its
	// result and prompt (executing still true), read the line the user
	// typed at the prompt next (TestIOOverPty failed so in CI).
	if !d.inCommandLua.Load() {
		return "", errNoCommand
	}
	d.reading.Store(true)
	defer d.reading.Store(false)
	if prompt != "" {
		d.write(string(crlf([]byte(prompt))))
	}
	ed := newEditor(d.write, &d.inputHist)
	for {
		c, err := d.in.readByteUntil(ctx.Done())
		if err != nil {
			if ctx.Err() != nil {
				// The interrupt's error starts on a line of its own.
				d.write("\r\n")
				return "", ctx.Err()
			}
			return "", err
		}
		switch ed.feed(c) {
		case keyEnter:
			d.write("\r\n")
			if ed.tooLong {
				return "", fmt.Errorf("line too long (limit %d KB)", maxLine>>10)
			}
			d.inputHist.add(ed.text())
			return ed.text(), nil
		case keySoftReset:
			d.write("\r\n")
			return "", io.EOF
		case keyCancel:
			// What was typed of the line goes with it; what follows the
			// Ctrl-C stays queued for the prompt.
			d.write("\r\n")
			d.interrupted.Store(true)
			d.rt.Interrupt()
			if ctx.Err() == nil {
				return "", errors.New("interrupted")
			}
			return "", ctx.Err()
		}
	}
}

// readByteUntil is readByte for Lua's input: it waits until done is closed,
// and a connection change does not stop it (the REPL greets the new
// connection once the command ends).
func (in *input) readByteUntil(done <-chan struct{}) (byte, error) {
	for {
		in.mu.Lock()
		switch {
		case in.closed:
			in.mu.Unlock()
			return 0, errClosed
		case in.head < len(in.buf):
			c := in.buf[in.head]
			in.head++
			if in.head == len(in.buf) {
				in.buf, in.head = in.buf[:0], 0
			}
			in.mu.Unlock()
			return c, nil
		}
		in.mu.Unlock()
		select {
		case <-in.wake:
		case <-done:
			return 0, errors.New("interrupted")
		}
	}
}
