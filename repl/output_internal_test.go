package repl

import (
	"bytes"
	"sync"
	"testing"
	"time"
)

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestWriteToKeepsToItsConnection: output meant for the connection of one
// generation (a greeting decided before a client came, generation 0 when
// none ever had) never reaches another.
func TestWriteToKeepsToItsConnection(t *testing.T) {
	o := newOutput(1<<10, time.Second)
	none := o.generation()
	var first, second lockedBuffer
	gen := o.attach(&first)
	o.writeTo(none, []byte("decided before anyone came "))
	o.writeTo(gen, []byte("for the first"))
	o.flush(time.Second)
	next := o.attach(&second)
	o.writeTo(gen, []byte("for the first, too late"))
	o.write([]byte("for whoever is there"), false)
	o.flush(time.Second)
	o.detach(next)
	if got := first.String(); got != "for the first" {
		t.Errorf("the first connection got %q", got)
	}
	if got := second.String(); got != "for whoever is there" {
		t.Errorf("the second connection got %q", got)
	}
}
