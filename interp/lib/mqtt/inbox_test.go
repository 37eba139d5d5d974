package mqtt

import (
	"testing"
	"time"
)

// The inbox of received messages waiting for the loop is bounded in count
// (inboxSize) and in bytes (inboxBytes, or two of max_payload), and a
// message that does not fit waits, which stops paho reading from the
// broker, until the loop takes one.
func TestInboxBounds(t *testing.T) {
	newClient := func(maxPayload int) *Client {
		c := &Client{inboxRoom: make(chan struct{}), stopIn: make(chan struct{})}
		c.cfg.MaxPayload = maxPayload
		return c
	}
	// reserved reports whether a reservation of n bytes is made within a
	// short wait (a blocked one is let go by closing the client after).
	reserved := func(c *Client, n int) bool {
		done := make(chan bool, 1)
		go func() { done <- c.reserveInbox(n) }()
		select {
		case ok := <-done:
			return ok
		case <-time.After(50 * time.Millisecond):
			close(c.stopIn)
			if <-done {
				t.Fatal("a waiting reservation succeeded after the client closed")
			}
			return false
		}
	}

	t.Run("bytes", func(t *testing.T) {
		c := newClient(1 << 20)
		for i := 0; i < 4; i++ {
			if !c.reserveInbox(1 << 20) {
				t.Fatalf("message %d of 1 MB refused", i+1)
			}
		}
		if reserved(c, 1<<20) {
			t.Fatal("a fifth 1 MB message was taken past the 4 MB bound")
		}
	})
	t.Run("release makes room", func(t *testing.T) {
		c := newClient(1 << 20)
		for i := 0; i < 4; i++ {
			c.reserveInbox(1 << 20)
		}
		done := make(chan bool, 1)
		go func() { done <- c.reserveInbox(1 << 20) }()
		c.releaseInbox(1 << 20)
		select {
		case ok := <-done:
			if !ok {
				t.Fatal("the waiting reservation failed")
			}
		case <-time.After(10 * time.Second):
			t.Fatal("a release did not let the waiting message in")
		}
	})
	t.Run("two of max_payload", func(t *testing.T) {
		c := newClient(8 << 20)
		if !c.reserveInbox(8<<20) || !c.reserveInbox(8<<20) {
			t.Fatal("two messages of max_payload (8 MB) do not fit")
		}
		if reserved(c, 1) {
			t.Fatal("a third message was taken past 16 MB")
		}
	})
	t.Run("count", func(t *testing.T) {
		c := newClient(1 << 20)
		for i := 0; i < inboxSize; i++ {
			if !c.reserveInbox(1) {
				t.Fatalf("small message %d refused", i+1)
			}
		}
		if reserved(c, 1) {
			t.Fatalf("message %d was taken past the count bound", inboxSize+1)
		}
	})
	t.Run("an empty inbox takes any message", func(t *testing.T) {
		c := newClient(1 << 20)
		if !c.reserveInbox(64 << 20) {
			t.Fatal("a message bigger than the bound did not fit an empty inbox")
		}
	})
}
