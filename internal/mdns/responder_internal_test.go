package mdns

import (
	"net"
	"sync"
	"testing"
	"time"

	"github.com/moonpin/moonpin/internal/mdns/mdnstest"
)

// TestAnnouncesOnInterfaceThatComesUp: a board whose service starts at
// boot, before Wi-Fi has joined its network, announces itself when the
// interface comes up, and a second time at the scan after.
func TestAnnouncesOnInterfaceThatComesUp(t *testing.T) {
	l := mdnstest.New(t)
	group := l.Listen(t)
	defer func(d time.Duration) { rescanEvery = d }(rescanEvery)
	rescanEvery = 20 * time.Millisecond
	var mu sync.Mutex
	var up []net.Interface
	r, err := start(Announcement{Instance: "late", Host: "late", Port: 22}, Config{Addr: l.Addr}, func() ([]net.Interface, error) {
		mu.Lock()
		defer mu.Unlock()
		return up, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	mu.Lock()
	up = []net.Interface{l.Interface}
	mu.Unlock()
	const name = "late." + Service
	group.Response(name, ttl, 5*time.Second)
	group.Response(name, ttl, 5*time.Second)
}
