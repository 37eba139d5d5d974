package mqtt

import (
	"io"
	"time"
)

// SetWriteTimeout sets paho's hand-off timeout for a test and returns what
// restores it.
func SetWriteTimeout(d time.Duration) (restore func()) {
	old := writeTimeout
	writeTimeout = d
	return func() { writeTimeout = old }
}

// StreamPublish writes to w a PUBLISH of size zero bytes on topic at qos
// (id its packet id at QoS 1 and 2), its payload in pieces, so that the
// test holds no more of it than the device should.
func StreamPublish(w io.Writer, topic string, qos byte, id uint16, size int) error {
	varHead := []byte{byte(len(topic) >> 8), byte(len(topic))}
	varHead = append(varHead, topic...)
	if qos > 0 {
		varHead = append(varHead, byte(id>>8), byte(id))
	}
	head := []byte{0x30 | qos<<1}
	for body := len(varHead) + size; ; {
		d := byte(body % 128)
		if body /= 128; body > 0 {
			d |= 0x80
		}
		head = append(head, d)
		if body == 0 {
			break
		}
	}
	if _, err := w.Write(append(head, varHead...)); err != nil {
		return err
	}
	piece := make([]byte, 64<<10)
	for n := size; n > 0; n -= len(piece) {
		if _, err := w.Write(piece[:min(n, len(piece))]); err != nil {
			return err
		}
	}
	return nil
}

// SetRoomWait sets how long a publish waits for room in a full queue, for a
// test, and returns what restores it.
func SetRoomWait(d time.Duration) (restore func()) {
	old := roomWait
	roomWait = d
	return func() { roomWait = old }
}
