package mqtt_test

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
	"github.com/moonpin/moonpin/interp"
	"github.com/moonpin/moonpin/interp/host"
	"github.com/moonpin/moonpin/interp/interptest"
	"github.com/moonpin/moonpin/interp/lib/mqtt"
	"github.com/moonpin/moonpin/interp/lib/mqtt/mqtttest"
	lua "github.com/yuin/gopher-lua"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// closedURL is a loopback address nothing listens on: connecting is refused.
func closedURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return "tcp://" + l.Addr().String()
}

// TestScripts runs the checks that need no broker: bad input, the offline
// queue, closing.
func TestScripts(t *testing.T) {
	url := closedURL(t)
	interptest.RunScripts(t, "testdata/*.lua", &interp.Options{
		Setup: func(L *lua.LState, _ *host.Host) error {
			L.SetGlobal("CLOSED", lua.LString(url))
			return nil
		},
	})
}

// harness is a runtime whose Lua code reports to the test through
// notify(text), and whose output comes as "print: ..." events: the test
// waits on the events, never on time.
type harness struct {
	t      *testing.T
	rt     *interp.Runtime
	out    *interptest.Buffer
	events chan string
}

type eventWriter struct {
	buf    *interptest.Buffer
	events chan<- string
}

func (w eventWriter) Write(p []byte) (int, error) {
	w.events <- "print: " + string(p)
	return w.buf.Write(p)
}

func newHarness(t *testing.T, globals map[string]string) *harness {
	t.Helper()
	h := &harness{t: t, events: make(chan string, 10000), out: &interptest.Buffer{}}
	h.rt, _ = interptest.New(t, &interp.Options{
		Out: eventWriter{h.out, h.events},
		Setup: func(L *lua.LState, _ *host.Host) error {
			for k, v := range globals {
				L.SetGlobal(k, lua.LString(v))
			}
			L.SetGlobal("notify", L.NewFunction(func(L *lua.LState) int {
				h.events <- L.CheckString(1)
				return 0
			}))
			return nil
		},
	})
	return h
}

// exec runs a chunk and fails the test on an error.
func (h *harness) exec(code string) {
	h.t.Helper()
	if err := h.rt.Exec("test.lua", code); err != nil {
		h.t.Fatalf("%v\noutput:\n%s", err, h.out)
	}
}

// expect reads events until one starts with prefix and returns it.
func (h *harness) expect(prefix string) string {
	h.t.Helper()
	deadline := time.NewTimer(mqtttest.Timeout)
	defer deadline.Stop()
	var seen []string
	for {
		select {
		case e := <-h.events:
			if strings.HasPrefix(e, prefix) {
				return e
			}
			seen = append(seen, e)
		case <-deadline.C:
			h.t.Fatalf("no event %q within %v; events: %q\noutput:\n%s", prefix, mqtttest.Timeout, seen, h.out)
			return ""
		}
	}
}

func TestRoundTrip(t *testing.T) {
	b := mqtttest.Start(t, mqtttest.Options{})
	watcher := b.Client(t, "watcher")
	seen := mqtttest.Watch(t, watcher, "moonpin/#")
	h := newHarness(t, map[string]string{"BROKER": b.URL})
	h.exec(`
		c = mqtt.connect{url = BROKER, client_id = "lua-roundtrip"}
		received = 0
		c:subscribe("cmd/#", function(topic, payload)
			received = received + 1
			notify(topic .. "=" .. payload)
		end, 1)
		c:on("connect", function() notify("connected " .. tostring(c.connected)) end)
		assert(c:wait_connected(10), "not connected")
	`)
	h.expect("connected true")

	h.exec(`
		c:publish("moonpin/qos0", "zero")
		c:publish("moonpin/qos1", 42, {qos = 1})
		c:publish("moonpin/retained", "kept", {qos = 1, retain = true})
		assert(c:flush(10), "not flushed")
		assert(c.queued == 0 and c.dropped == 0)
	`)
	for _, want := range []mqtttest.Msg{{Topic: "moonpin/qos0", Payload: "zero"}, {Topic: "moonpin/qos1", Payload: "42", QoS: 1}} {
		mqtttest.Until(t, seen, fmt.Sprint(want), func(m mqtttest.Msg) bool { return m == want })
	}
	late := mqtttest.Watch(t, b.Client(t, "late"), "moonpin/retained")
	mqtttest.Until(t, late, "retained", func(m mqtttest.Msg) bool { return m.Payload == "kept" && m.Retained })

	if tok := watcher.Publish("cmd/light", 1, false, "on"); !tok.WaitTimeout(mqtttest.Timeout) || tok.Error() != nil {
		t.Fatal(tok.Error())
	}
	h.expect("cmd/light=on")

	// A burst bigger than the inbox arrives whole and in order (mosquitto
	// queues up to 1000 messages for a slow subscriber, and drops the rest).
	const burst = 1000
	h.exec(fmt.Sprintf(`
		received = 0
		c:subscribe("burst", function(_, payload)
			received = received + 1
			if tonumber(payload) ~= received then notify("out of order: " .. payload) end
			if received == %d then notify("burst done") end
		end, 1)
		c:publish("moonpin/subscribed", "yes", {qos = 1})
	`, burst))
	mqtttest.Until(t, seen, "subscribed", func(m mqtttest.Msg) bool { return m.Topic == "moonpin/subscribed" })
	for i := 1; i <= burst; i++ {
		watcher.Publish("burst", 1, false, fmt.Sprint(i))
	}
	if e := h.expect(""); e != "burst done" {
		t.Fatalf("got %q, want burst done", e)
	}

	// Connected, a full queue makes publish wait for room: nothing is dropped.
	h.exec(`
		local fast = mqtt.connect{url = BROKER, queue = 10}
		assert(fast:wait_connected(10))
		for i = 1, 2000 do fast:publish("flood/many", i, {qos = 1}) end
		assert(fast:flush(10), "not flushed")
		assert(fast.dropped == 0, "dropped " .. fast.dropped)
		fast:close()
	`)

	// close sends what is queued first.
	h.exec(`c:publish("moonpin/last", "bye", {qos = 1}); c:close()`)
	mqtttest.Until(t, seen, "last", func(m mqtttest.Msg) bool { return m.Payload == "bye" })
	b.WaitLog("Client lua-roundtrip disconnected.")
}

func TestBrokerRestart(t *testing.T) {
	b := mqtttest.Start(t, mqtttest.Options{})
	h := newHarness(t, map[string]string{"BROKER": b.URL})
	h.exec(`
		c = mqtt.connect{url = BROKER, client_id = "lua-restart"}
		c:on("connect", function() notify("connected") end)
		c:on("disconnect", function(reason) notify("disconnected: " .. reason) end)
		c:subscribe("queued/#", function(_, payload) notify("got " .. payload) end, 1)
	`)
	h.expect("connected")
	b.Kill()
	h.expect("disconnected: connection lost")
	h.exec(`
		assert(not c.connected)
		for i = 1, 5 do c:publish("queued/n", tostring(i), {qos = 1}) end
		assert(c.queued == 5, c.queued)
	`)
	b.Restart()
	h.expect("connected")
	for i := 1; i <= 5; i++ {
		if e, want := h.expect("got "), fmt.Sprintf("got %d", i); e != want {
			t.Fatalf("got %q, want %q", e, want)
		}
	}
	h.exec(`assert(c:flush(10) and c.queued == 0 and c.dropped == 0)`)
}

func TestConnectFailures(t *testing.T) {
	user, password := "moonpin", "wrong-s3cret"
	// broker returns the URL of a broker that knows user by another password.
	broker := func(t *testing.T, userinfo string) string {
		b := mqtttest.Start(t, mqtttest.Options{Users: map[string]string{user: "right-horse"}})
		return strings.Replace(b.URL, "://", "://"+userinfo, 1)
	}
	cases := []struct {
		name, want string
		url        func(t *testing.T) string
	}{
		{"wrong port", "connection refused", closedURL},
		// "cannot look up host" where no resolver answers.
		{"unknown host", "host nonexistent.invalid", func(*testing.T) string { return "tcp://nonexistent.invalid:1883" }},
		{"bad credentials", "the broker refused the connection: ", func(t *testing.T) string { return broker(t, "") }},
		{"credentials in the url", "the broker refused the connection: ", func(t *testing.T) string { return broker(t, user+":"+password+"@") }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, map[string]string{"URL": tc.url(t), "USER": user, "PASSWORD": password})
			h.exec(`
				local opts = {url = URL}
				if not URL:find("@") then opts.username, opts.password = USER, PASSWORD end
				c = mqtt.connect(opts)
				c:on("disconnect", function(reason) notify("down: " .. reason) end)
				ticks = 0
				t = timer.every(1, function() ticks = ticks + 1 end)
			`)
			reason := h.expect("down: ")
			if !strings.Contains(reason, tc.want) {
				t.Errorf("reason %q, want %q", reason, tc.want)
			}
			// The script and its timers go on.
			h.exec(`
				time.sleep_ms(5)
				assert(ticks > 0, "timers stopped")
				notify("running " .. tostring(c.connected) .. " " .. c.error .. " " .. tostring(c))
			`)
			state := h.expect("running ")
			if !strings.HasPrefix(state, "running false "+strings.TrimPrefix(reason, "down: ")) {
				t.Errorf("state %q", state)
			}
			for _, s := range []string{state, reason, h.out.String()} {
				if strings.Contains(s, password) {
					t.Errorf("the password shows in %q", s)
				}
			}
		})
	}
}

// TestCloseDuringHandshake checks that connect returns at once even when
// the broker never answers, and that close then ends the attempt: the
// connection is closed and no goroutine is left (goleak).
func TestCloseDuringHandshake(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		if conn, err := l.Accept(); err == nil {
			accepted <- conn
		}
	}()
	h := newHarness(t, map[string]string{"URL": "tcp://" + l.Addr().String()})
	h.exec(`c = mqtt.connect(URL)`)
	var conn net.Conn
	select {
	case conn = <-accepted:
	case <-time.After(mqtttest.Timeout):
		t.Fatal("the client did not connect")
	}
	defer conn.Close()
	h.exec(`assert(not c.connected); c:close()`)
	conn.SetReadDeadline(time.Now().Add(mqtttest.Timeout))
	buf := make([]byte, 1024)
	for {
		if _, err := conn.Read(buf); err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Fatal("the client left its connection open")
			}
			break
		}
	}
}

// TestDefaultReport checks that a client without a disconnect handler
// prints why it cannot connect.
func TestDefaultReport(t *testing.T) {
	url := closedURL(t)
	h := newHarness(t, map[string]string{"URL": url})
	h.exec(`c = mqtt.connect(URL)`)
	want := "print: mqtt: " + url + ": connection refused (is the broker running and listening on that port?); retrying in the background\n"
	if e := h.expect("print: "); e != want {
		t.Fatalf("got %q, want %q", e, want)
	}
}

func TestTLS(t *testing.T) {
	certs := mqtttest.NewCerts(t)
	b := mqtttest.Start(t, mqtttest.Options{TLS: certs})
	h := newHarness(t, map[string]string{"BROKER": b.URL})
	ca, err := os.ReadFile(certs.CA)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(h.rt.Root(), "ca.pem"), ca, 0o600); err != nil {
		t.Fatal(err)
	}
	h.exec(`
		unverified = mqtt.connect{url = BROKER}
		unverified:on("disconnect", function(reason) notify("unverified: " .. reason) end)
	`)
	if e := h.expect("unverified: "); !strings.Contains(e, "TLS: the broker's certificate is not trusted (x509: certificate signed by unknown authority); give the CA that signed it with ca_file=") {
		t.Errorf("got %q", e)
	}
	h.exec(`
		unverified:close()
		c = mqtt.connect{url = BROKER, ca_file = "ca.pem"}
		c:subscribe("secure", function(_, payload) notify("secure " .. payload) end)
		c:publish("secure", "hello", {qos = 1})
	`)
	h.expect("secure hello")
}

// TestSoftReset checks that a soft reset closes the connection cleanly (a
// DISCONNECT, so the broker does not publish the will) and that the new
// state connects again.
func TestSoftReset(t *testing.T) {
	b := mqtttest.Start(t, mqtttest.Options{})
	h := newHarness(t, map[string]string{"BROKER": b.URL})
	h.exec(`
		c = mqtt.connect{url = BROKER, client_id = "lua-reset", will = {topic = "will/lua-reset", payload = "gone"}}
		c:subscribe("x", function() end)
		assert(c:wait_connected(10))
	`)
	b.WaitLog("New client connected", "as lua-reset")
	if err := h.rt.Reset(); err != nil {
		t.Fatal(err)
	}
	b.WaitLog("Client lua-reset disconnected.")
	h.exec(`
		c = mqtt.connect{url = BROKER, client_id = "lua-after"}
		assert(c:wait_connected(10))
	`)
	b.WaitLog("New client connected", "as lua-after")
}

// startBigSubscriber starts a broker, a test client on it (watcher) and a
// script whose client, with max_payload 1000, subscribes to big/# at QoS
// 1 and notifies "got TOPIC SIZE" of each message.
func startBigSubscriber(t *testing.T) (*mqtttest.Broker, paho.Client, *harness) {
	t.Helper()
	b := mqtttest.Start(t, mqtttest.Options{})
	watcher := b.Client(t, "watcher")
	seen := mqtttest.Watch(t, watcher, "moonpin/#")
	h := newHarness(t, map[string]string{"BROKER": b.URL})
	h.exec(`
		c = mqtt.connect{url = BROKER, max_payload = 1000}
		c:subscribe("big/#", function(topic, payload) notify("got " .. topic .. " " .. #payload) end, 1)
		assert(c:wait_connected(10), "not connected")
		c:publish("moonpin/subscribed", "yes", {qos = 1})
	`)
	mqtttest.Until(t, seen, "subscribed", func(m mqtttest.Msg) bool { return m.Topic == "moonpin/subscribed" })
	return b, watcher, h
}

// TestIncomingOverMaxPayload: a message over the client's max_payload is
// dropped with a line saying so, as a publish over it is refused; it had
// reached Lua whatever its size (200 MB under a 32 MB limit). Smaller ones
// after it arrive.
func TestIncomingOverMaxPayload(t *testing.T) {
	_, watcher, h := startBigSubscriber(t)
	for _, m := range []struct {
		topic string
		size  int
	}{{"big/a", 2000}, {"big/c", 200000}, {"big/b", 10}} {
		if tok := watcher.Publish(m.topic, 1, false, strings.Repeat("x", m.size)); !tok.WaitTimeout(mqtttest.Timeout) || tok.Error() != nil {
			t.Fatal(tok.Error())
		}
	}
	// One far over max_payload never reaches paho (see limitedConn), and
	// is acknowledged: the broker goes on sending. Its notice can come
	// before the other's, which paho was still handing on, or both in one
	// (see tooBig).
	notices := h.expect("print: mqtt: dropped")
	if !strings.Contains(notices, "dropped 2 messages over max_payload (1000)") {
		notices += h.expect("print: mqtt: dropped")
		for _, want := range []string{`"big/a": 2000 bytes, over max_payload (1000)`, `"big/c": 200000 bytes, over max_payload (1000)`} {
			if !strings.Contains(notices, want) {
				t.Fatalf("the notices %q lack %q", notices, want)
			}
		}
	}
	h.expect("got big/b 10")
	h.exec(`c:close()`)
}

// TestIncomingFarOverMaxPayloadIsNotRead: a message far over max_payload
// is read past, not into memory: paho read each packet whole, so a 64 MB
// message from the broker allocated 64 MB on the device (under a memory
// limit, the running script stopped with "memory limit exceeded" for a
// message it never got). The publisher streams its payload, so what this
// process allocates is the subscriber's.
func TestIncomingFarOverMaxPayloadIsNotRead(t *testing.T) {
	b, watcher, h := startBigSubscriber(t)

	conn, err := net.Dial("tcp", strings.TrimPrefix(b.URL, "tcp://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// CONNECT (MQTT 3.1.1, clean session, client id "streamer"), then wait
	// for the CONNACK.
	connect := []byte{0x10, 20, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 30, 0, 8, 's', 't', 'r', 'e', 'a', 'm', 'e', 'r'}
	if _, err := conn.Write(connect); err != nil {
		t.Fatal(err)
	}
	ack := make([]byte, 4)
	conn.SetReadDeadline(time.Now().Add(mqtttest.Timeout))
	if _, err := io.ReadFull(conn, ack); err != nil || ack[0] != 0x20 || ack[3] != 0 {
		t.Fatalf("CONNACK % x, %v", ack, err)
	}
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	const size = 64 << 20
	if err := mqtt.StreamPublish(conn, "big/huge", 0, 0, size); err != nil {
		t.Fatal(err)
	}
	if tok := watcher.Publish("big/after", 1, false, "0123456789"); !tok.WaitTimeout(mqtttest.Timeout) || tok.Error() != nil {
		t.Fatal(tok.Error())
	}
	if e := h.expect("print: mqtt: dropped"); !strings.Contains(e, fmt.Sprintf(`"big/huge": %d bytes, over max_payload (1000)`, size)) {
		t.Fatalf("the notice: %q", e)
	}
	h.expect("got big/after 10")
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 16<<20 {
		t.Errorf("receiving a %d MB message over max_payload allocated %d MB", size>>20, grew>>20)
	}
	h.exec(`c:close()`)
}

// TestCloseWithAStalledBroker: close with a broker that stopped reading
// (its socket full of a big queue) returns within its timeout and a
// little; it waited for paho's 10 s write timeout, and Ctrl-C and soft
// resets with it.
func TestCloseWithAStalledBroker(t *testing.T) {
	// 5 s, where 10 s is the default: long enough to tell a close that
	// waits for it, short enough for the abandoned goroutine to end here.
	defer mqtt.SetWriteTimeout(5 * time.Second)()
	b := mqtttest.Start(t, mqtttest.Options{})
	h := newHarness(t, map[string]string{"BROKER": b.URL})
	h.exec(`
		c = mqtt.connect{url = BROKER, queue = 100000}
		assert(c:wait_connected(10), "not connected")
	`)
	b.Pause()
	h.exec(`
		local big = ("x"):rep(50000)
		for i = 1, 2000 do c:publish("flood/big", big, {qos = 1}) end
	`)
	// About 1.25 s: the second close(1) gives the queue, and 250 ms for
	// the connection goroutine; it waited the write timeout too.
	start := time.Now()
	h.exec(`c:close(1)`)
	if took := time.Since(start); took > 3500*time.Millisecond {
		t.Fatalf("close(1) with a stalled broker took %v", took)
	}
	// The connection goroutine ends once paho lets go (writeTimeout).
	b.Resume()
	deadline := time.Now().Add(10 * time.Second)
	for stack := make([]byte, 1<<20); ; {
		if !bytes.Contains(stack[:runtime.Stack(stack, true)], []byte("mqtt.(*Client).run")) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the abandoned connection goroutine still runs 10 s after close")
		}
		runtime.Gosched()
	}
}

// TestSameClientIDReplaces: connecting again with a client id in use (the
// set-up of a script run twice in the REPL) closes the earlier client, with
// a notice, rather than leaving two that drop each other at the broker for
// as long as the runtime lives.
func TestSameClientIDReplaces(t *testing.T) {
	b := mqtttest.Start(t, mqtttest.Options{})
	h := newHarness(t, map[string]string{"BROKER": b.URL})
	h.exec(`
		first = mqtt.connect{url = BROKER, client_id = "twice"}
		assert(first:wait_connected(10), "first not connected")
		second = mqtt.connect{url = BROKER, client_id = "twice"}
		assert(second:wait_connected(10), "second not connected")
		-- a round trip on the second: the broker has seen all that came before
		second:publish("twice/ping", "1", {qos = 1})
		assert(second:flush(10), "not flushed")
		local ok, err = pcall(first.publish, first, "t", "x")
		assert(not ok and err:find('the client is closed: a later mqtt.connect with client id "twice" took its place', 1, true), err)
		assert(tostring(first):find("closed", 1, true), tostring(first))
		other = mqtt.connect{url = BROKER, client_id = "another"}
		assert(other:wait_connected(10) and second.connected, "a different id replaced nothing")
		other:close()
		second:close()
	`)
	h.expect(`print: mqtt: closed the earlier client "twice" of ` + b.URL + `: a broker keeps one connection per client id`)
	if log := b.Log(); strings.Contains(log, "already connected") {
		t.Fatalf("the broker saw client id twice connected twice:\n%s", log)
	}
	if strings.Contains(h.out.String(), "connection lost") {
		t.Fatalf("a client lost its connection:\n%s", h.out)
	}
}
