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
// the same time. It reads the command's client only (see bindReader): when
// that client goes or another takes the session over, the read ends as
// Ctrl-C ends it.
func (d *Device) readLine(ctx context.Context, prompt string) (string, error) {
	// Only a command's own Lua reads the session: a callback that fired
	// after the command's Lua had ended, while the REPL was printing its
	// result and prompt (executing still true), read the line the user
	// typed at the prompt next (TestIOOverPty failed so in CI).
	if !d.inCommandLua.Load() {
		return "", errNoCommand
	}
	d.reading.Store(true)
	defer func() {
		d.reading.Store(false)
		d.in.wakePushers()
	}()
	if prompt != "" {
		d.write(string(crlf([]byte(prompt))))
	}
	// The lines read before are the client's own: a client that came
	// since gets none of them (a password typed at input()).
	d.inputHist.keepFor(d.in.readerGen())
	ed := newEditor(d.write, &d.inputHist)
	for {
		c, err := d.in.readByteUntil(ctx.Done())
		if errors.Is(err, errReaderGone) {
			// The client went or another took the session over: the read
			// ends as Ctrl-C ends it, and nothing of it goes to the new
			// client, whose first line is its own.
			d.interrupted.Store(true)
			d.rt.Interrupt()
			return "", errors.New("interrupted")
		}
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
			d.inputHist.keepFor(d.in.readerGen())
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

// errReaderGone: the connection Lua's input belonged to has gone, or
// another has taken the session over.
var errReaderGone = errors.New("repl: the reading client has gone")

// readByteUntil is readByte for Lua's input: it waits until done is closed
// or the connection the reads belong to (see bindReader) goes, which is
// errReaderGone. With none bound yet, it waits for the next to come.
func (in *input) readByteUntil(done <-chan struct{}) (byte, error) {
	for {
		in.mu.Lock()
		switch {
		case in.closed:
			in.mu.Unlock()
			return 0, errClosed
		case in.reader != 0 && (in.reader != in.gen || !in.attached):
			in.mu.Unlock()
			return 0, errReaderGone
		case in.lostAt == 0:
			err := &lostError{in.lost}
			in.lostAt, in.lost = -1, 0
			in.mu.Unlock()
			return 0, err
		case in.head < len(in.buf):
			c := in.take(1)[0]
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
