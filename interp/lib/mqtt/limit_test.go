package mqtt

import (
	"bytes"
	"net"
	"runtime"
	"testing"
	"time"

	"github.com/eclipse/paho.mqtt.golang/packets"
)

// TestLimitedConnDropsBigPublishes: a PUBLISH over max_payload from the
// broker is read past without being kept (paho read each packet whole: a
// 100 MB message made a subscriber under a 64 MB limit stop its script with
// "memory limit exceeded"), acknowledged at QoS 1 and 2, and reported with
// its topic and size; the packets around it reach paho as they were, and a
// control packet larger than any a broker sends ends the connection.
func TestLimitedConnDropsBigPublishes(t *testing.T) {
	// Over loopback TCP, whose buffers hold an acknowledgement while the
	// broker's side writes (a net.Pipe would deadlock, as no broker does).
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	device, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	broker, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer broker.Close()
	type drop struct {
		topic string
		size  int
	}
	dropped := make(chan drop, 4)
	conn := newLimitedConn(device, 1<<20, func(topic string, size int) { dropped <- drop{topic, size} })
	defer conn.Close()

	const big = 50 << 20
	publish := func(topic string, qos byte, id uint16, size int) {
		p := packets.NewControlPacket(packets.Publish).(*packets.PublishPacket)
		p.TopicName, p.Qos, p.MessageID = topic, qos, id
		if size <= 1<<20 {
			p.Payload = bytes.Repeat([]byte("p"), size)
			p.Write(broker)
			return
		}
		StreamPublish(broker, topic, qos, id, size)
	}
	acks := make(chan []byte, 4)
	go func() {
		publish("small/1", 0, 0, 10)
		publish("big/0", 0, 0, big)
		publish("big/1", 1, 7, big)
		publish("small/2", 1, 8, 1<<20)
		acks <- readN(broker, 4) // the PUBACK for big/1
		publish("big/2", 2, 9, 2<<20)
		acks <- readN(broker, 4) // the PUBREC for big/2
		(&packets.PingrespPacket{FixedHeader: packets.FixedHeader{MessageType: packets.Pingresp}}).Write(broker)
		// A SUBACK far larger than any: a broken stream.
		broker.Write([]byte{0x90, 0xff, 0xff, 0x7f})
	}()

	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	for _, want := range []string{"small/1", "small/2"} {
		cp, err := packets.ReadPacket(conn)
		if err != nil {
			t.Fatal(err)
		}
		p, ok := cp.(*packets.PublishPacket)
		if !ok || p.TopicName != want {
			t.Fatalf("paho read %v, want the PUBLISH on %s", cp, want)
		}
	}
	if cp, err := packets.ReadPacket(conn); err != nil || !isPingresp(cp) {
		t.Fatalf("after the drops, paho read %v, %v; want the PINGRESP", cp, err)
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 8<<20 {
		t.Errorf("reading past %d MB of messages allocated %d MB", 2*big>>20, grew>>20)
	}
	for _, want := range []drop{{"big/0", big}, {"big/1", big}, {"big/2", 2 << 20}} {
		select {
		case got := <-dropped:
			if got != want {
				t.Errorf("dropped %v, want %v", got, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("no report of %v", want)
		}
	}
	if got := <-acks; !bytes.Equal(got, []byte{0x40, 2, 0, 7}) {
		t.Errorf("for a QoS 1 message dropped the broker got % x, want a PUBACK of id 7", got)
	}
	if got := <-acks; !bytes.Equal(got, []byte{0x50, 2, 0, 9}) {
		t.Errorf("for a QoS 2 message dropped the broker got % x, want a PUBREC of id 9", got)
	}
	if _, err := packets.ReadPacket(conn); err != errPacketTooLarge {
		t.Errorf("a 2 MB SUBACK: %v, want errPacketTooLarge", err)
	}
}

func isPingresp(cp packets.ControlPacket) bool {
	_, ok := cp.(*packets.PingrespPacket)
	return ok
}

// readN reads n bytes from c.
func readN(c net.Conn, n int) []byte {
	b := make([]byte, n)
	for got := 0; got < n; {
		m, err := c.Read(b[got:])
		if err != nil {
			return b[:got]
		}
		got += m
	}
	return b
}
