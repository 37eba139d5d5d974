package mqtt

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
)

// limitedConn is the broker connection as paho reads it, with packets over
// a size dropped before paho sees them. paho reads each packet whole into
// memory before its handler can refuse it, so a broker that delivered a
// 100 MB message (another client published it to a topic the script
// subscribed) made the device allocate 100 MB: past the memory limit, which
// stopped the running script with "memory limit exceeded" for a message it
// never got. A PUBLISH whose payload is over max_payload is read past
// without keeping it (its topic is kept, to say what was dropped); any
// other packet over its protocol's size is a broken stream, which ends the
// connection.
type limitedConn struct {
	net.Conn
	r          *bufio.Reader
	maxPayload int
	// dropped is told of each PUBLISH dropped: its topic and payload size.
	dropped func(topic string, size int)

	head []byte // the current packet's fixed header, not yet handed to paho
	left int    // bytes of the current packet's body not yet handed to paho
}

func newLimitedConn(conn net.Conn, maxPayload int, dropped func(topic string, size int)) *limitedConn {
	return &limitedConn{Conn: conn, r: bufio.NewReaderSize(conn, 4096), maxPayload: maxPayload, dropped: dropped}
}

// maxControlPacket is the largest body of a packet other than PUBLISH a
// broker sends an MQTT 3.1.1 client (a SUBACK for as many filters as one
// SUBSCRIBE can carry has its return codes; the others are 2 bytes).
const maxControlPacket = 64 << 10

const (
	packetConnack = 2
	packetPublish = 3
)

var errPacketTooLarge = errors.New("the broker sent a packet larger than MQTT 3.1.1 allows it to send a client")

func (c *limitedConn) Read(p []byte) (int, error) {
	for {
		if len(c.head) > 0 {
			n := copy(p, c.head)
			c.head = c.head[n:]
			return n, nil
		}
		if c.left > 0 {
			n, err := c.r.Read(p[:min(len(p), c.left)])
			c.left -= n
			return n, err
		}
		if err := c.next(); err != nil {
			return 0, err
		}
	}
}

// next reads the next packet's fixed header and either sets it up to be
// handed to paho or drops the packet.
func (c *limitedConn) next() error {
	head := make([]byte, 1, 5)
	b, err := c.r.ReadByte()
	if err != nil {
		return err
	}
	head[0] = b
	size, shift := 0, 0
	for {
		b, err := c.r.ReadByte()
		if err != nil {
			return err
		}
		head = append(head, b)
		size |= int(b&0x7f) << shift
		if b&0x80 == 0 {
			break
		}
		if shift += 7; shift > 21 {
			return errors.New("the broker sent a malformed packet length")
		}
	}
	typ := head[0] >> 4
	if typ == packetConnack && size == 2 {
		// paho takes a return code MQTT 3.1.1 does not define (6 to
		// 255) for an acceptance, and counts the connection up.
		if b, err := c.r.Peek(2); err == nil && b[1] > 5 {
			return fmt.Errorf("the broker refused the connection with return code %d, which MQTT 3.1.1 does not define", b[1])
		}
	}
	if typ != packetPublish {
		if size > maxControlPacket {
			return errPacketTooLarge
		}
		c.head, c.left = head, size
		return nil
	}
	// A PUBLISH: topic length and topic, a packet id at QoS 1 or 2, then
	// the payload.
	overhead := 2 + 65535
	if head[0]&0x06 != 0 {
		overhead += 2
	}
	if size <= c.maxPayload+overhead {
		// Its payload may still be over max_payload by up to the
		// topic's length; receive refuses it then, at no great cost.
		c.head, c.left = head, size
		return nil
	}
	return c.drop(head, size)
}

// drop reads past a PUBLISH of size bytes of body, keeping only its topic.
// At QoS 1 or 2 it is acknowledged (PUBACK, PUBREC), as paho would have:
// the broker would otherwise hold it in flight, and stop sending once its
// window of unacknowledged messages is full. A write of the four bytes is
// whole, between paho's own writes (net.Conn's writes are serialised).
func (c *limitedConn) drop(head []byte, size int) error {
	var n [2]byte
	if _, err := io.ReadFull(c.r, n[:]); err != nil {
		return err
	}
	topicLen := int(binary.BigEndian.Uint16(n[:]))
	qos := head[0] >> 1 & 3
	overhead := 2 + topicLen
	if qos > 0 {
		overhead += 2
	}
	if overhead > size {
		return fmt.Errorf("the broker sent a malformed PUBLISH (topic of %d bytes in a packet of %d)", topicLen, size)
	}
	topic := make([]byte, topicLen)
	if _, err := io.ReadFull(c.r, topic); err != nil {
		return err
	}
	var id [2]byte
	if qos > 0 {
		if _, err := io.ReadFull(c.r, id[:]); err != nil {
			return err
		}
	}
	if _, err := c.r.Discard(size - overhead); err != nil {
		return err
	}
	if c.dropped != nil {
		c.dropped(string(topic), size-overhead)
	}
	switch qos {
	case 1:
		_, err := c.Conn.Write([]byte{0x40, 2, id[0], id[1]}) // PUBACK
		if err != nil {
			return err
		}
	case 2:
		_, err := c.Conn.Write([]byte{0x50, 2, id[0], id[1]}) // PUBREC
		if err != nil {
			return err
		}
	}
	return nil
}
