package expect

import (
	"fmt"
	"io"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fakeT records the failure of a Fatalf instead of failing the test.
type fakeT struct {
	testing.TB
	msg string
}

func (f *fakeT) Helper() {}

func (f *fakeT) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// failure runs fn as a test would and returns what it failed with ("" if
// it did not).
func (f *fakeT) failure(fn func()) string {
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	<-done
	return f.msg
}

// pipe returns a Stream on one end of a connection and the other end.
func pipe(t testing.TB) (*Stream, net.Conn) {
	host, dev := net.Pipe()
	t.Cleanup(func() { dev.Close() })
	return New(t, host), dev
}

func TestExpectConsumes(t *testing.T) {
	s, dev := pipe(t)
	go dev.Write([]byte("a> b> c> "))
	if got := s.Expect("b> "); got != "a> b> " {
		t.Fatalf("Expect = %q", got)
	}
	s.Exact("c> ")
	go dev.Write([]byte("0123456789"))
	if got := s.Next(4); got != "0123" {
		t.Fatalf("Next = %q", got)
	}
	if got := s.Expect("9"); got != "456789" {
		t.Fatalf("Expect after Next = %q", got)
	}
	if got := s.String(); got != "a> b> c> 0123456789" {
		t.Fatalf("String = %q", got)
	}
}

func TestSend(t *testing.T) {
	s, dev := pipe(t)
	got := make(chan string, 1)
	go func() {
		p := make([]byte, 10)
		n, _ := io.ReadFull(dev, p[:5])
		got <- string(p[:n])
	}()
	s.Send("hello")
	if g := <-got; g != "hello" {
		t.Fatalf("sent %q", g)
	}
}

func TestExactFailsOnExtraBytes(t *testing.T) {
	ft := &fakeT{TB: t}
	b := NewBuffer(ft)
	b.Write([]byte("noise> "))
	msg := ft.failure(func() { b.Exact("> ") })
	if msg != `got "noise> ", want exactly "> "` {
		t.Fatalf("failure %q", msg)
	}
}

func TestTimeoutShowsTail(t *testing.T) {
	ft := &fakeT{TB: t}
	b := NewBuffer(ft)
	b.Timeout = 10 * time.Millisecond
	b.Tail = 5
	b.Write([]byte("seen> 0123456789"))
	b.Expect("seen> ")
	msg := ft.failure(func() { b.Expect("never") })
	if msg != `timed out waiting for "never"; got "...56789"` {
		t.Fatalf("failure %q", msg)
	}
	msg = ft.failure(func() { b.Next(20) })
	if msg != `timed out waiting for 20 bytes; got "...56789"` {
		t.Fatalf("failure %q", msg)
	}
	b.Tail = 0
	msg = ft.failure(func() { b.Expect("never") })
	if msg != `timed out waiting for "never"; got "0123456789"` {
		t.Fatalf("failure %q", msg)
	}
}

// TestClosedFailsFast: a wait ends when the connection does, with what
// came before it, not at the deadline.
func TestClosedFailsFast(t *testing.T) {
	ft := &fakeT{TB: t}
	host, dev := net.Pipe()
	s := New(ft, host)
	go func() {
		dev.Write([]byte("last words"))
		dev.Close()
	}()
	start := time.Now()
	msg := ft.failure(func() { s.Expect("more") })
	if msg != `connection closed waiting for "more"; got "last words"` {
		t.Fatalf("failure %q", msg)
	}
	if d := time.Since(start); d > DefaultTimeout/2 {
		t.Fatalf("failed after %v", d)
	}
	if s.WaitFor("more", time.Hour) {
		t.Fatal("WaitFor found what never came")
	}
	if !s.WaitFor("words", time.Hour) {
		t.Fatal("WaitFor missed what came before the end")
	}
}

func TestWaitForTimesOut(t *testing.T) {
	s, dev := pipe(t)
	if s.WaitFor("x", 10*time.Millisecond) {
		t.Fatal("WaitFor found what never came")
	}
	go dev.Write([]byte("..x"))
	if !s.WaitFor("x", DefaultTimeout) {
		t.Fatal("WaitFor missed x")
	}
}

func TestRead(t *testing.T) {
	s, dev := pipe(t)
	go dev.Write([]byte("abcdef"))
	s.Expect("ab")
	p := make([]byte, 3)
	if n, err := io.ReadFull(s, p); err != nil || string(p[:n]) != "cde" {
		t.Fatalf("Read = %q, %v", p[:n], err)
	}
	dev.Close()
	if rest, err := io.ReadAll(s); err != nil || string(rest) != "f" {
		t.Fatalf("ReadAll = %q, %v", rest, err)
	}
	b := NewBuffer(t)
	b.Timeout = 10 * time.Millisecond
	if _, err := b.Read(p); err == nil || !strings.Contains(err.Error(), "nothing came") {
		t.Fatalf("Read of an empty Buffer: %v", err)
	}
}

// TestCloseEndsReader: Close ends the reading goroutine (goleak checks) and
// may be called again.
func TestCloseEndsReader(t *testing.T) {
	s, _ := pipe(t)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s.Close()
}
