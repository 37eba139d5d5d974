package lua

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unsafe"
)

func intMin(a, b int) int {
	if a < b {
		return a
	} else {
		return b
	}
}

func intMax(a, b int) int {
	if a > b {
		return a
	} else {
		return b
	}
}

func defaultFormat(v interface{}, f fmt.State, c rune) {
	buf := make([]string, 0, 10)
	buf = append(buf, "%")
	for i := 0; i < 128; i++ {
		if f.Flag(i) {
			buf = append(buf, string(rune(i)))
		}
	}

	if w, ok := f.Width(); ok {
		buf = append(buf, strconv.Itoa(w))
	}
	if p, ok := f.Precision(); ok {
		buf = append(buf, "."+strconv.Itoa(p))
	}
	buf = append(buf, string(c))
	format := strings.Join(buf, "")
	fmt.Fprintf(f, format, v)
}

type flagScanner struct {
	flag       byte
	start      string
	end        string
	buf        []byte
	str        string
	Length     int
	Pos        int
	HasFlag    bool
	ChangeFlag bool
}

func newFlagScanner(flag byte, start, end, str string) *flagScanner {
	return &flagScanner{flag, start, end, make([]byte, 0, len(str)), str, len(str), 0, false, false}
}

func (fs *flagScanner) AppendString(str string) { fs.buf = append(fs.buf, str...) }

func (fs *flagScanner) AppendChar(ch byte) { fs.buf = append(fs.buf, ch) }

func (fs *flagScanner) String() string { return string(fs.buf) }

func (fs *flagScanner) Next() (byte, bool) {
	c := byte('\000')
	fs.ChangeFlag = false
	if fs.Pos == fs.Length {
		if fs.HasFlag {
			fs.AppendString(fs.end)
		}
		return c, true
	} else {
		c = fs.str[fs.Pos]
		if c == fs.flag {
			if fs.Pos < (fs.Length-1) && fs.str[fs.Pos+1] == fs.flag {
				fs.HasFlag = false
				fs.AppendChar(fs.flag)
				fs.Pos += 2
				return fs.Next()
			} else if fs.Pos != fs.Length-1 {
				if fs.HasFlag {
					fs.AppendString(fs.end)
				}
				fs.AppendString(fs.start)
				fs.ChangeFlag = true
				fs.HasFlag = true
			}
		}
	}
	fs.Pos++
	return c, false
}

// strftime formats t as C's strftime does cfmt. moonpin: each conversion
// is made once (t is one time), so a format of millions of them makes no
// garbage per conversion; the result is sized first, so it is allocated
// once (a doubling builder peaked at twice it); and poll, if not nil, is
// called at each conversion, for the interrupt (os.date(("%c"):rep(5e6))
// ran for seconds that Ctrl-C could not stop).
func strftime(t time.Time, cfmt string, poll func()) string {
	var made [256]*string
	conv := func(c byte) string {
		if poll != nil {
			poll()
		}
		if made[c] == nil {
			s := strftimeConv(t, c)
			made[c] = &s
		}
		return *made[c]
	}
	// walk gives piece each literal byte and each conversion's text
	walk := func(piece func(s string)) {
		for i := 0; i < len(cfmt); i++ {
			if c := cfmt[i]; c != '%' || i == len(cfmt)-1 {
				piece(cfmt[i : i+1])
				continue
			}
			i++
			piece(conv(cfmt[i]))
		}
	}
	n := 0
	walk(func(s string) { n += len(s) })
	var b strings.Builder
	b.Grow(n)
	walk(func(s string) { b.WriteString(s) })
	return b.String()
}

func strftimeConv(t time.Time, c byte) string {
	pad2 := func(n int) string { return fmt.Sprintf("%02d", n) }
	hour12 := t.Hour() % 12
	if hour12 == 0 {
		hour12 = 12
	}
	switch c {
	case 'a':
		return t.Weekday().String()[:3]
	case 'A':
		return t.Weekday().String()
	case 'b', 'h':
		return t.Month().String()[:3]
	case 'B':
		return t.Month().String()
	case 'c':
		return t.Format("Mon Jan _2 15:04:05 2006")
	case 'C':
		return pad2(t.Year() / 100)
	case 'd':
		return pad2(t.Day())
	case 'D':
		return t.Format("01/02/06")
	case 'e':
		return fmt.Sprintf("%2d", t.Day())
	case 'F':
		return t.Format("2006-01-02")
	case 'g':
		y, _ := t.ISOWeek()
		return pad2(y % 100)
	case 'G':
		y, _ := t.ISOWeek()
		return strconv.Itoa(y)
	case 'H':
		return pad2(t.Hour())
	case 'I':
		return pad2(hour12)
	case 'j':
		return fmt.Sprintf("%03d", t.YearDay())
	case 'k':
		return fmt.Sprintf("%2d", t.Hour())
	case 'l':
		return fmt.Sprintf("%2d", hour12)
	case 'm':
		return pad2(int(t.Month()))
	case 'M':
		return pad2(t.Minute())
	case 'n':
		return "\n"
	case 'p':
		return t.Format("PM")
	case 'P':
		return t.Format("pm")
	case 'r':
		return t.Format("03:04:05 PM")
	case 'R':
		return t.Format("15:04")
	case 's':
		return strconv.FormatInt(t.Unix(), 10)
	case 'S':
		return pad2(t.Second())
	case 't':
		return "\t"
	case 'T', 'X':
		return t.Format("15:04:05")
	case 'u':
		return strconv.Itoa((int(t.Weekday())+6)%7 + 1)
	case 'U':
		return pad2((t.YearDay() + 6 - int(t.Weekday())) / 7)
	case 'V':
		_, w := t.ISOWeek()
		return pad2(w)
	case 'w':
		return strconv.Itoa(int(t.Weekday()))
	case 'W':
		return pad2((t.YearDay() + 6 - (int(t.Weekday())+6)%7) / 7)
	case 'x':
		return t.Format("01/02/06")
	case 'y':
		return pad2(t.Year() % 100)
	case 'Y':
		return strconv.Itoa(t.Year())
	case 'z':
		return t.Format("-0700")
	case 'Z':
		return t.Format("MST")
	case '%':
		return "%"
	}
	return "%" + string(c) // glibc leaves an unknown conversion as written
}

func isInteger(v LNumber) bool {
	return float64(v) == float64(int64(v))
	//_, frac := math.Modf(float64(v))
	//return frac == 0.0
}

func isArrayKey(v LNumber) bool {
	return isInteger(v) && v < LNumber(int((^uint(0))>>1)) && v > LNumber(0) && v < LNumber(MaxArrayIndex)
}

var errNotNumber = errors.New("not a number")

// parseNumber converts a string as Lua 5.1's luaO_str2d does (strtod, then
// strtoul for 0x): surrounding white space, decimal, hex ("0x1F", and
// glibc's hex floats "0x1p4"), exponents ("13e2"), inf and nan. moonpin:
// upstream tried Go's ParseInt with base 0 first, which read "017" as octal
// 15, "0b1" as binary and "1_000" as 1000.
func parseNumber(number string) (LNumber, error) {
	// moonpin: Lua 5.1 reads a string as a C string, up to its first zero
	// byte: "10\0" is 10.
	if z := strings.IndexByte(number, 0); z >= 0 {
		number = number[:z]
	}
	s := strings.Trim(number, " \t\n\v\f\r")
	if v, ok := parseNaN(s); ok {
		return v, nil
	}
	if s == "" || strings.IndexByte(s, '_') >= 0 {
		return 0, errNotNumber
	}
	digits := strings.TrimLeft(s, "+-")
	if len(s)-len(digits) > 1 {
		return 0, errNotNumber
	}
	if len(digits) > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X') && strings.IndexAny(digits, "pP") < 0 {
		s += "p0" // Go reads a hex float only with its exponent.
	}
	v, err := strconv.ParseFloat(s, LNumberBit)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, err
	}
	return LNumber(v), nil
}

// parseNaN reads C's strtod forms of NaN, which Lua 5.1 takes as numbers
// (moonpin; Go's ParseFloat takes "nan" but no sign before it and no
// "nan(...)"): a sign, "nan" in any case, and "(" letters, digits and '_'
// ")". "-nan" is NaN with its sign set, as tostring(-(0/0)) writes it.
func parseNaN(s string) (LNumber, bool) {
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg, s = s[0] == '-', s[1:]
	}
	if len(s) < 3 || !strings.EqualFold(s[:3], "nan") {
		return 0, false
	}
	if rest := s[3:]; rest != "" {
		if len(rest) < 2 || rest[0] != '(' || rest[len(rest)-1] != ')' {
			return 0, false
		}
		for _, c := range []byte(rest[1 : len(rest)-1]) {
			if !(c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
				return 0, false
			}
		}
	}
	n := math.NaN()
	if neg {
		n = math.Copysign(n, -1)
	}
	return LNumber(n), true
}

func popenArgs(arg string) (string, []string) {
	cmd := "/bin/sh"
	args := []string{"-c"}
	if LuaOS == "windows" {
		cmd = "C:\\Windows\\system32\\cmd.exe"
		args = []string{"/c"}
	}
	args = append(args, arg)
	return cmd, args
}

func isGoroutineSafe(lv LValue) bool {
	switch v := lv.(type) {
	case *LFunction, *LUserData, *LState:
		return false
	case *LTable:
		return v.Metatable == nil
	default:
		return true
	}
}

func readBufioSize(reader *bufio.Reader, size int64) ([]byte, error, bool) {
	result := []byte{}
	read := int64(0)
	var err error
	var n int
	for read != size {
		buf := make([]byte, size-read)
		n, err = reader.Read(buf)
		if err != nil {
			break
		}
		read += int64(n)
		result = append(result, buf[:n]...)
	}
	e := err
	if e != nil && e == io.EOF {
		e = nil
	}

	return result, e, len(result) == 0 && err == io.EOF
}

func readBufioLine(reader *bufio.Reader) ([]byte, error, bool) {
	result := []byte{}
	var buf []byte
	var err error
	var isprefix bool = true
	for isprefix {
		buf, isprefix, err = reader.ReadLine()
		if err != nil {
			break
		}
		result = append(result, buf...)
	}
	e := err
	if e != nil && e == io.EOF {
		e = nil
	}

	return result, e, len(result) == 0 && err == io.EOF
}

func int2Fb(val int) int {
	e := 0
	x := val
	for x >= 16 {
		x = (x + 1) >> 1
		e++
	}
	if x < 8 {
		return x
	}
	return ((e + 1) << 3) | (x - 8)
}

func unsafeFastStringToReadOnlyBytes(s string) (bs []byte) {
	sh := (*reflect.StringHeader)(unsafe.Pointer(&s))
	bh := (*reflect.SliceHeader)(unsafe.Pointer(&bs))
	bh.Data = sh.Data
	bh.Cap = sh.Len
	bh.Len = sh.Len
	return
}
