package repl

import (
	"strings"
	"unicode/utf8"
)

// key is what a byte did to the line being edited.
type key int

const (
	keyNone      key = iota
	keyEnter         // the line is complete
	keyRaw           // Ctrl-A on an empty line
	keyFriendly      // Ctrl-B on an empty line
	keyCancel        // Ctrl-C
	keySoftReset     // Ctrl-D on an empty line
	keyPaste         // Ctrl-E on an empty line
	keyTab
)

// editor edits one line of input. It draws with nothing but the characters
// themselves, backspace ("\b"), carriage return and spaces, so it works on
// a dumb terminal as well as on a VT100; escape sequences are only read.
// Lines are bytes, so invalid UTF-8 passes through; the cursor moves by
// UTF-8 characters.
type editor struct {
	echo func(string)
	hist *history

	line    []byte
	pos     int
	tooLong bool

	esc    []byte // an escape sequence being read
	lastCR bool   // the previous byte was "\r" (a following "\n" is the same Enter)

	histPos int    // index into hist while browsing, len(hist) when not
	saved   []byte // the line being typed before browsing history
}

func newEditor(echo func(string), hist *history) *editor {
	return &editor{echo: echo, hist: hist, histPos: len(hist.lines)}
}

// reset starts a new, empty line.
func (e *editor) reset() {
	e.line, e.pos, e.tooLong = e.line[:0], 0, false
	e.esc = e.esc[:0]
	e.histPos = len(e.hist.lines)
	e.saved = nil
}

// empty reports whether nothing of a line has been typed.
func (e *editor) empty() bool { return len(e.line) == 0 && len(e.esc) == 0 }

// text returns the line.
func (e *editor) text() string { return string(e.line) }

// feed takes one input byte.
func (e *editor) feed(c byte) key {
	cr := e.lastCR
	e.lastCR = c == '\r'
	if len(e.esc) > 0 {
		e.escape(c)
		return keyNone
	}
	switch c {
	case '\r':
		return keyEnter
	case '\n':
		if cr {
			return keyNone
		}
		return keyEnter
	case 0x1b:
		e.esc = append(e.esc, c)
	case ctrlA:
		if len(e.line) == 0 {
			return keyRaw
		}
		e.home()
	case ctrlB:
		if len(e.line) == 0 {
			return keyFriendly
		}
		e.left()
	case ctrlC:
		return keyCancel
	case ctrlD:
		if len(e.line) == 0 {
			return keySoftReset
		}
		e.deleteForward()
	case ctrlE:
		if len(e.line) == 0 {
			return keyPaste
		}
		e.end()
	case 0x06: // Ctrl-F
		e.right()
	case 0x0b: // Ctrl-K
		e.replace(e.line[:e.pos:e.pos], e.pos)
	case 0x0e: // Ctrl-N
		e.historyNext()
	case 0x10: // Ctrl-P
		e.historyPrev()
	case 0x15: // Ctrl-U
		e.replace(append([]byte(nil), e.line[e.pos:]...), 0)
	case '\t':
		return keyTab
	case 0x7f, 0x08:
		e.backspace()
	default:
		if c >= 0x20 {
			e.insert([]byte{c})
		}
	}
	return keyNone
}

// escape reads the escape sequences of the cursor and editing keys; others
// are ignored.
func (e *editor) escape(c byte) {
	e.esc = append(e.esc, c)
	seq := string(e.esc)
	if len(seq) == 2 {
		if c != '[' && c != 'O' {
			e.esc = e.esc[:0]
		}
		return
	}
	if c >= '0' && c <= '9' || c == ';' {
		if len(seq) > 8 {
			e.esc = e.esc[:0]
		}
		return
	}
	e.esc = e.esc[:0]
	switch seq[2:] {
	case "A":
		e.historyPrev()
	case "B":
		e.historyNext()
	case "C":
		e.right()
	case "D":
		e.left()
	case "H", "1~", "7~":
		e.home()
	case "F", "4~", "8~":
		e.end()
	case "3~":
		e.deleteForward()
	}
}

// width is the number of columns b takes: one per UTF-8 character.
func width(b []byte) int { return utf8.RuneCount(b) }

func backspaces(n int) string { return strings.Repeat("\b", n) }

func (e *editor) insert(b []byte) {
	if len(e.line)+len(b) > maxLine {
		e.tooLong = true
		return
	}
	tail := e.line[e.pos:]
	e.line = append(e.line[:e.pos], append(append([]byte(nil), b...), tail...)...)
	e.pos += len(b)
	tail = e.line[e.pos:]
	e.echo(string(b) + string(tail) + backspaces(width(tail)))
}

func (e *editor) backspace() {
	if e.pos == 0 {
		return
	}
	_, n := utf8.DecodeLastRune(e.line[:e.pos])
	e.line = append(e.line[:e.pos-n], e.line[e.pos:]...)
	e.pos -= n
	tail := e.line[e.pos:]
	e.echo("\b" + string(tail) + " " + backspaces(width(tail)+1))
}

func (e *editor) deleteForward() {
	if e.pos == len(e.line) {
		return
	}
	_, n := utf8.DecodeRune(e.line[e.pos:])
	e.line = append(e.line[:e.pos], e.line[e.pos+n:]...)
	tail := e.line[e.pos:]
	e.echo(string(tail) + " " + backspaces(width(tail)+1))
}

func (e *editor) left() {
	if e.pos == 0 {
		return
	}
	_, n := utf8.DecodeLastRune(e.line[:e.pos])
	e.pos -= n
	e.echo("\b")
}

func (e *editor) right() {
	if e.pos == len(e.line) {
		return
	}
	_, n := utf8.DecodeRune(e.line[e.pos:])
	e.echo(string(e.line[e.pos : e.pos+n]))
	e.pos += n
}

func (e *editor) home() {
	e.echo(backspaces(width(e.line[:e.pos])))
	e.pos = 0
}

func (e *editor) end() {
	e.echo(string(e.line[e.pos:]))
	e.pos = len(e.line)
}

// redraw is what shows the line again, on a fresh line after its prompt,
// with the cursor where it was.
func (e *editor) redraw() string {
	return string(e.line) + backspaces(width(e.line[e.pos:]))
}

// replace shows line instead of the current one, with the cursor at pos.
func (e *editor) replace(line []byte, pos int) {
	old := width(e.line)
	var b strings.Builder
	b.WriteString(backspaces(width(e.line[:e.pos])))
	b.Write(line)
	if extra := old - width(line); extra > 0 {
		b.WriteString(strings.Repeat(" ", extra))
		b.WriteString(backspaces(extra))
	}
	b.WriteString(backspaces(width(line[pos:])))
	e.echo(b.String())
	e.line = append(e.line[:0], line...)
	e.pos = pos
}

func (e *editor) historyPrev() {
	if e.histPos == 0 {
		return
	}
	if e.histPos == len(e.hist.lines) {
		e.saved = append([]byte(nil), e.line...)
	}
	e.histPos--
	h := []byte(e.hist.lines[e.histPos])
	e.replace(h, len(h))
}

func (e *editor) historyNext() {
	if e.histPos >= len(e.hist.lines) {
		return
	}
	e.histPos++
	h := e.saved
	if e.histPos < len(e.hist.lines) {
		h = []byte(e.hist.lines[e.histPos])
	}
	e.replace(append([]byte(nil), h...), len(h))
}

// history keeps the last lines entered by one client.
type history struct {
	lines []string
	conn  uint64 // the input generation of the client whose lines they are
}

// keepFor forgets the lines unless they were entered on the connection of
// input generation conn: history is per client.
func (h *history) keepFor(conn uint64) {
	if h.conn != conn {
		h.lines, h.conn = nil, conn
	}
}

const historySize = 100

func (h *history) add(line string) {
	if strings.TrimSpace(line) == "" || (len(h.lines) > 0 && h.lines[len(h.lines)-1] == line) {
		return
	}
	if len(h.lines) == historySize {
		h.lines = append(h.lines[:0], h.lines[1:]...)
	}
	h.lines = append(h.lines, line)
}
