package interp

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/moonpin/moonpin/interp/host"
)

// inputStream is what io.stdin reads, through buf: the lines of the
// session's input, or the process's stdin. It lives as long as the runtime,
// so input read ahead survives a soft reset. Reads wait under ctx, which the
// reading code sets before each read (loop goroutine only): Ctrl-C cancels
// the context and the read gives up.
type inputStream struct {
	ctx   context.Context
	read  func(ctx context.Context, p []byte) (int, error)
	buf   *bufio.Reader
	lines *sessionLines // the session's, or nil
}

func newInputStream(read func(ctx context.Context, p []byte) (int, error)) *inputStream {
	s := &inputStream{ctx: context.Background(), read: read}
	s.buf = bufio.NewReader(s)
	return s
}

func (s *inputStream) Read(p []byte) (int, error) { return s.read(s.ctx, p) }

// sessionInput makes the session's lines a stream: each line read with
// readLine, then "\n".
func sessionInput(readLine host.LineReader) *inputStream {
	lines := &sessionLines{readLine: readLine}
	s := newInputStream(lines.read)
	s.lines = lines
	return s
}

type sessionLines struct {
	readLine host.LineReader
	pending  []byte
}

func (l *sessionLines) read(ctx context.Context, p []byte) (int, error) {
	if len(l.pending) == 0 {
		line, err := l.readLine(ctx, "")
		if err != nil {
			return 0, err
		}
		l.pending = append([]byte(line), '\n')
	}
	n := copy(p, l.pending)
	l.pending = l.pending[n:]
	return n, nil
}

// endCommand drops what is left of a session line when the code that read
// it is done ("\n" after io.read("*n")): the next REPL line's io.read
// waits for a new one. A plain stream keeps everything.
func (s *inputStream) endCommand() {
	if s.lines != nil {
		s.lines.pending = nil
		s.buf.Reset(s)
	}
}

// lineReader is host.ReadLine on the stream: a line from the session goes
// through readLine (which shows the prompt and echoes), unless part of one
// is already buffered; on a plain stream the prompt goes to out.
func (s *inputStream) lineReader(session host.LineReader, out io.Writer) host.LineReader {
	return func(ctx context.Context, prompt string) (string, error) {
		if session != nil && s.buf.Buffered() == 0 {
			return session(ctx, prompt)
		}
		if session == nil && prompt != "" {
			io.WriteString(out, prompt)
		}
		s.ctx = ctx
		return s.readLine(ctx)
	}
}

// maxInputLine is the longest line input() reads from a plain stream, as
// the session's input() (the REPL's line editor holds 64 KB): a line is
// read whole before it is returned, and one of /dev/zero went on until it
// was twice the memory limit. io.read reads lines of any length.
const maxInputLine = 64 << 10

// readLine reads a line of the stream for input(), without its "\n". A
// longer line than maxInputLine is read to its end and refused.
func (s *inputStream) readLine(ctx context.Context) (string, error) {
	var line []byte
	tooLong := false
	for {
		piece, err := s.buf.ReadSlice('\n')
		if tooLong || len(line)+len(piece) > maxInputLine+1 {
			tooLong, line = true, nil
		} else {
			line = append(line, piece...)
		}
		if err == bufio.ErrBufferFull {
			if ctx.Err() != nil {
				return "", ctx.Err()
			}
			continue
		}
		if err != nil && (len(line) == 0 && !tooLong || ctx.Err() != nil) {
			return "", err
		}
		break
	}
	if tooLong {
		return "", fmt.Errorf("line too long (limit %d KB); read long lines with io.read", maxInputLine>>10)
	}
	if n := len(line); n > 0 && line[n-1] == '\n' {
		line = line[:n-1]
	}
	return string(line), nil
}

// stdinPump reads a stream that cannot be interrupted (the process's stdin)
// on a goroutine of its own, started at the first read, so that a read
// waiting for input can give up when its context ends; what the goroutine
// gets meanwhile is kept for the next read. An end of input is reported
// once: a terminal can go on after Ctrl-D.
type stdinPump struct {
	r     io.Reader
	once  sync.Once
	want  chan struct{}
	got   chan pumped
	stop  chan struct{}
	asked bool
	rest  []byte
	err   error
}

type pumped struct {
	b   []byte
	err error
}

func newStdinPump(r io.Reader) *stdinPump {
	return &stdinPump{r: r, want: make(chan struct{}, 1), got: make(chan pumped, 1), stop: make(chan struct{})}
}

func (p *stdinPump) read(ctx context.Context, b []byte) (int, error) {
	if len(p.rest) == 0 && p.err == nil {
		p.once.Do(func() { go p.run() })
		if !p.asked {
			p.want <- struct{}{}
			p.asked = true
		}
		select {
		case c := <-p.got:
			p.asked = false
			p.rest, p.err = c.b, c.err
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-p.stop:
			return 0, io.EOF
		}
	}
	n := copy(b, p.rest)
	p.rest = p.rest[n:]
	if n == 0 && p.err != nil {
		err := p.err
		p.err = nil
		return 0, err
	}
	return n, nil
}

func (p *stdinPump) run() {
	// One buffer for every read: the reader asks for more only once it has
	// copied out all of the last (a buffer a read made 32 KB of garbage a
	// read, and a stream as fast as /dev/zero took the heap to 100 MB).
	buf := make([]byte, 32<<10)
	for {
		select {
		case <-p.want:
		case <-p.stop:
			return
		}
		n, err := p.r.Read(buf)
		select {
		case p.got <- pumped{buf[:n], err}:
		case <-p.stop:
			return
		}
	}
}

// close ends the pump; a read it is blocked in still has to return.
func (p *stdinPump) close() { close(p.stop) }
