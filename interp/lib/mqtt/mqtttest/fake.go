package mqtttest

import (
	"net"
	"sync"
	"testing"

	"github.com/eclipse/paho.mqtt.golang/packets"
)

// Fake is a misbehaving broker on loopback, for what mosquitto does
// not do: it answers CONNECT with connack, each SUBSCRIBE with suback,
// never acknowledges a PUBLISH, and sends the client what the test puts on
// Send (to whichever client takes it first).
type Fake struct {
	URL string
	// Send takes packets for the client (a PUBLISH made with Publish).
	Send chan *packets.PublishPacket
	// Subs gets each SUBSCRIBE's first filter.
	Subs chan string
	// Acks gets the packet id of each PUBACK from the client (up to 100000).
	Acks chan uint16

	connack byte // CONNACK return code
	suback  byte // SUBACK return code of every filter

	l     net.Listener
	wg    sync.WaitGroup
	mu    sync.Mutex
	conns map[net.Conn]struct{}
}

// StartFake starts a Fake whose CONNACK carries connack and whose SUBACKs
// carry suback; the test's cleanup stops it.
func StartFake(t testing.TB, connack, suback byte) *Fake {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b := &Fake{URL: "tcp://" + l.Addr().String(), connack: connack, suback: suback,
		Send: make(chan *packets.PublishPacket), Subs: make(chan string, 100), Acks: make(chan uint16, 100000), l: l, conns: map[net.Conn]struct{}{}}
	b.wg.Add(1)
	go b.accept()
	t.Cleanup(b.stop)
	return b
}

func (b *Fake) stop() {
	b.l.Close()
	b.mu.Lock()
	for conn := range b.conns {
		conn.Close()
	}
	b.mu.Unlock()
	b.wg.Wait()
}

// Drop closes the connections to the clients, which reconnect.
func (b *Fake) Drop() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for conn := range b.conns {
		conn.Close()
	}
}

func (b *Fake) accept() {
	defer b.wg.Done()
	for {
		conn, err := b.l.Accept()
		if err != nil {
			return
		}
		b.mu.Lock()
		b.conns[conn] = struct{}{}
		b.mu.Unlock()
		b.wg.Add(1)
		go b.serve(conn)
	}
}

func (b *Fake) serve(conn net.Conn) {
	defer b.wg.Done()
	defer func() {
		b.mu.Lock()
		delete(b.conns, conn)
		b.mu.Unlock()
		conn.Close()
	}()
	var wmu sync.Mutex
	write := func(p packets.ControlPacket) error {
		wmu.Lock()
		defer wmu.Unlock()
		return p.Write(conn)
	}
	quit := make(chan struct{})
	defer close(quit)
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		for {
			select {
			case p := <-b.Send:
				if write(p) != nil {
					return
				}
			case <-quit:
				return
			}
		}
	}()
	for {
		cp, err := packets.ReadPacket(conn)
		if err != nil {
			return
		}
		switch p := cp.(type) {
		case *packets.ConnectPacket:
			ack := packets.NewControlPacket(packets.Connack).(*packets.ConnackPacket)
			ack.ReturnCode = b.connack
			write(ack)
		case *packets.SubscribePacket:
			ack := packets.NewControlPacket(packets.Suback).(*packets.SubackPacket)
			ack.MessageID = p.MessageID
			for range p.Topics {
				ack.ReturnCodes = append(ack.ReturnCodes, b.suback)
			}
			write(ack)
			select {
			case b.Subs <- p.Topics[0]:
			default:
			}
		case *packets.UnsubscribePacket:
			ack := packets.NewControlPacket(packets.Unsuback).(*packets.UnsubackPacket)
			ack.MessageID = p.MessageID
			write(ack)
		case *packets.PingreqPacket:
			write(packets.NewControlPacket(packets.Pingresp))
		case *packets.PubackPacket:
			select {
			case b.Acks <- p.MessageID:
			default:
			}
		case *packets.PublishPacket:
			// never acknowledged: the client's window fills
		case *packets.DisconnectPacket:
			return
		}
	}
}

// Publish makes a PUBLISH of payload on topic at QoS 0.
func Publish(topic, payload string) *packets.PublishPacket {
	p := packets.NewControlPacket(packets.Publish).(*packets.PublishPacket)
	p.TopicName = topic
	p.Payload = []byte(payload)
	return p
}
