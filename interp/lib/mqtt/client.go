package mqtt

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
	"github.com/moonpin/moonpin/hal"
	"github.com/moonpin/moonpin/interp/host"
)

// Limits and timings of a connection.
const (
	// MaxPayloadLimit is the largest payload an MQTT packet can carry.
	MaxPayloadLimit = 268435455 - 65535 - 4
	// DefaultMaxPayload guards a small device against building huge
	// messages by mistake; brokers often refuse much less than the protocol allows.
	DefaultMaxPayload = 1 << 20
	// DefaultQueueSize is how many publishes wait while the broker is away.
	DefaultQueueSize = 1000
	// DefaultKeepAlive is the ping interval; the broker declares the client
	// gone (and publishes its will) after 1.5 times this without traffic.
	DefaultKeepAlive = 30 * time.Second

	connectTimeout = 10 * time.Second // dial, TLS and MQTT handshake together
	quiesce        = 250              // ms a clean disconnect may take
	minBackoff     = 500 * time.Millisecond
	maxBackoff     = 30 * time.Second
	// stableAfter is how long a connection must last before a loss restarts
	// the backoff from the minimum: a broker that accepts and then drops
	// the client (a client_id taken over by another device) is not hammered.
	stableAfter = 10 * time.Second
	// window caps the publishes handed to paho and not yet completed.
	window = 1000
	// inboxSize caps received messages waiting for the loop; beyond it the
	// broker connection stops being read, and TCP pushes back on the broker.
	inboxSize = 256
	// inboxBytes caps the bytes of received messages waiting for the loop
	// (at least two of max_payload): 256 messages of 1 MB each would pass
	// the memory limit behind the script's back.
	inboxBytes = 4 << 20
)

// roomWait is how long a publish waits for room in a full queue while
// connected before it drops the oldest message instead (a variable for
// tests).
var roomWait = time.Second

// writeTimeout bounds paho's hand-off of one packet to its writer (a
// variable for tests).
var writeTimeout = 10 * time.Second

// Message is one publish.
type Message struct {
	Topic   string
	Payload []byte
	QoS     byte
	Retain  bool
}

// Config says where a Client connects and how.
type Config struct {
	URL        string // tcp://host[:1883] or tls://host[:8883] (mqtt://, ssl://, mqtts:// too)
	ClientID   string // "" for a random moonpin-<hex>
	Username   string
	Password   string
	KeepAlive  time.Duration // 0 for DefaultKeepAlive
	Will       *Message      // published by the broker if the client vanishes
	TLS        *tls.Config   // for tls:// URLs; nil verifies against the system's CAs
	QueueSize  int           // 0 for DefaultQueueSize
	MaxPayload int           // 0 for DefaultMaxPayload
}

// Handler receives a message on the loop goroutine.
type Handler func(topic string, payload []byte)

// Client is a connection to a broker that keeps itself up: it connects in the
// background, reconnects with backoff, resubscribes, and sends publishes made
// while it was away from a bounded queue. Its methods are for the loop
// goroutine; its hooks and handlers run there too, never on paho's goroutines.
type Client struct {
	h       *host.Host
	cfg     Config
	server  *url.URL // scheme and host:port only: no credentials
	secure  bool
	display string // the URL as messages show it

	// Loop goroutine only.
	connected    bool
	lastErr      string
	subs         []subscription // replaced, never changed in place: deliver iterates a snapshot
	onConnect    []func()
	onDisconnect []func(reason string)
	onClose      []func()
	closed       bool
	replaced     bool // closed by a later client of its broker and client id
	release      func()
	untrack      func()
	// busy: one of the client's deliveries or hooks is running; deliveries
	// that come meanwhile (a handler's publish waits for room, running the
	// loop) wait in deferred until it returns, rather than running inside
	// it, each nesting another wait, without limit.
	busy     bool
	deferred []func()

	// Shared with the connection goroutine, under mu.
	mu       sync.Mutex
	queue    []Message
	pending  int // queued, or handed to paho and not yet complete
	dropped  int
	online   bool
	want     map[string]byte // the subscriptions the broker should have
	wantGen  int
	progress chan struct{} // closed when the queue, pending, online or connected change, if anyone waits

	wake chan struct{} // tells the connection goroutine there is work
	// inboxCount and inboxUsed are the number and the bytes of the
	// received messages waiting for the loop (see inboxSize, inboxBytes);
	// inboxRoom is closed when they shrink.
	inboxMu    sync.Mutex
	inboxCount int
	inboxUsed  int
	inboxRoom  chan struct{}
	stopIn     chan struct{} // closed by Close: received messages are dropped from then on
	// The messages over max_payload dropped since the last notice (see
	// tooBig): how many, the last one's topic (quoted, shortened) and
	// size, and whether a notice is on the loop's queue.
	bigMu     sync.Mutex
	bigCount  int
	bigTopic  string
	bigSize   int
	bigPosted bool
	ctx       context.Context
	cancel    context.CancelFunc
	done      chan struct{} // closed when the connection goroutine has ended
}

type subscription struct {
	filter string
	fn     Handler
}

// Connect starts a client and returns at once; the connection comes up in the
// background (watch it with OnConnect and OnDisconnect). The client is closed
// by a soft reset if the script does not close it, and keeps `moonpin
// script.lua` running while open. Loop goroutine.
//
// A client of the same broker and client id that is open is closed first,
// giving its queue up to a second; interrupt (the Lua context's) cuts that
// short, and Connect then returns ErrInterrupted.
func Connect(h *host.Host, cfg Config, interrupt <-chan struct{}) (*Client, error) {
	server, secure, err := ParseURL(cfg.URL)
	if err != nil {
		return nil, err
	}
	if cfg.TLS != nil && !secure {
		return nil, fmt.Errorf("TLS options need a tls:// url, not %s", Redact(cfg.URL))
	}
	if cfg.ClientID == "" {
		var b [6]byte
		rand.Read(b[:])
		cfg.ClientID = "moonpin-" + hex.EncodeToString(b[:])
	}
	if cfg.KeepAlive == 0 {
		cfg.KeepAlive = DefaultKeepAlive
	}
	if cfg.QueueSize == 0 {
		cfg.QueueSize = DefaultQueueSize
	}
	if cfg.MaxPayload == 0 {
		cfg.MaxPayload = DefaultMaxPayload
	}
	if cfg.Will != nil {
		if err := CheckTopic(cfg.Will.Topic); err != nil {
			return nil, fmt.Errorf("will: %w", err)
		}
	}
	if secure && cfg.TLS == nil {
		cfg.TLS = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	ctx, cancel := context.WithCancel(context.Background())
	c := &Client{
		h: h, cfg: cfg, server: server, secure: secure,
		display:   server.Scheme + "://" + server.Host,
		want:      map[string]byte{},
		wake:      make(chan struct{}, 1),
		inboxRoom: make(chan struct{}),
		stopIn:    make(chan struct{}),
		ctx:       ctx, cancel: cancel,
		done: make(chan struct{}),
	}
	if secure {
		c.display = "tls://" + server.Host
	}
	if old, ok := clients.Swap(h, c.key(), c); ok {
		// A broker keeps one connection per client id and drops the
		// older: two clients of one id, each reconnecting in the
		// background, would drop each other for good. The script has
		// made the new one (typically by running its set-up again in the
		// REPL, the old client's value lost), so the old one goes.
		old.replaced = true
		err := old.CloseWithin(time.Second, interrupt)
		fmt.Fprintf(h.Out, "mqtt: closed the earlier client %s of %s: a broker keeps one connection per client id\n", hal.Quoted(cfg.ClientID), c.display)
		if err != nil {
			clients.Drop(h, c.key(), c)
			cancel()
			return nil, err
		}
	}
	c.untrack = track(h, c)
	c.release = h.Loop.Hold()
	go c.run()
	return c, nil
}

// clients are the open clients of each runtime by broker and client id.
var clients host.Newest[clientKey, *Client]

type clientKey struct{ display, clientID string }

func (c *Client) key() clientKey { return clientKey{c.display, c.cfg.ClientID} }

// ParseURL checks a broker URL and returns it without credentials, and
// whether it asks for TLS. Its errors never show a password.
func ParseURL(raw string) (server *url.URL, secure bool, err error) {
	bad := func(why string) (*url.URL, bool, error) {
		return nil, false, fmt.Errorf("bad url %s: %s; want tcp://host[:port] or tls://host[:port]", hal.Quoted(Redact(raw)), why)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Opaque != "" {
		return bad("not a URL" + encodeHint(raw))
	}
	port := "1883"
	switch u.Scheme {
	case "tcp", "mqtt":
	case "tls", "ssl", "mqtts":
		secure, port = true, "8883"
	case "":
		return bad("no scheme")
	default:
		return bad("unsupported scheme " + u.Scheme)
	}
	if u.Hostname() == "" {
		return bad("no host")
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.Fragment != "" {
		return bad("a broker URL has no path, query or fragment" + encodeHint(raw))
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return bad("port must be 1 to 65535")
		}
		port = p
	} else if strings.HasSuffix(u.Host, ":") {
		return bad("empty port")
	}
	scheme := "tcp"
	if secure {
		scheme = "ssl"
	}
	return &url.URL{Scheme: scheme, Host: net.JoinHostPort(u.Hostname(), port)}, secure, nil
}

// encodeHint is the hint of a bad URL with credentials: a '/', '?' or '#'
// in a password ends the host there.
func encodeHint(raw string) string {
	if !strings.Contains(raw, "@") {
		return ""
	}
	return " (percent-encode a user name or password that holds '/', '?', '#', '@' or '%': %2F, %3F, %23, %40, %25; or give username = and password =)"
}

// Credentials returns the user name and password written into a URL
// (tcp://user:pass@host), if any.
func Credentials(raw string) (user, password string) {
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		p, _ := u.User.Password()
		return u.User.Username(), p
	}
	return "", ""
}

// Redact hides the credentials of a URL, even one too broken to parse.
func Redact(raw string) string {
	rest := raw
	scheme := ""
	if i := strings.Index(raw, "://"); i >= 0 {
		scheme, rest = raw[:i+3], raw[i+3:]
	}
	// Up to the last '@': a password may hold '/', '?', '#' or '@'
	// not percent-encoded (a broker URL has no path or query that could).
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		return scheme + "xxxxx@" + rest[at+1:]
	}
	return raw
}

// URL is the broker's address as messages show it, without credentials.
func (c *Client) URL() string { return c.display }

// MaxPayload is the largest payload the client publishes or receives.
func (c *Client) MaxPayload() int { return c.cfg.MaxPayload }

// ClientID is the MQTT client identifier.
func (c *Client) ClientID() string { return c.cfg.ClientID }

// Connected reports whether the broker connection is up, as the loop has
// heard so far (OnConnect and OnDisconnect hooks have run).
func (c *Client) Connected() bool { return c.connected }

// LastError is why the last connection attempt failed or the connection was
// lost; "" while connected or before the first attempt ends.
func (c *Client) LastError() string { return c.lastErr }

// Closed reports whether Close has been called.
func (c *Client) Closed() bool { return c.closed }

// Stats returns how many messages are queued or in flight, and how many the
// full queue has dropped since the client started. Any goroutine.
func (c *Client) Stats() (pending, dropped int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pending, c.dropped
}

// OnConnect adds fn to what runs each time the connection comes up.
func (c *Client) OnConnect(fn func()) { c.onConnect = append(c.onConnect, fn) }

// OnDisconnect adds fn to what runs each time the connection is lost or an
// attempt to connect fails; reason says why.
func (c *Client) OnDisconnect(fn func(reason string)) {
	c.onDisconnect = append(c.onDisconnect, fn)
}

// OnClose adds fn to what Close runs first, while the client can still
// publish (a last "offline" message).
func (c *Client) OnClose(fn func()) { c.onClose = append(c.onClose, fn) }

// ErrClosed is returned by a closed client's methods.
var ErrClosed = errors.New("the client is closed")

// closedErr is ErrClosed, saying why when the client did not close itself.
func (c *Client) closedErr() error {
	if c.replaced {
		return fmt.Errorf("%w: a later mqtt.connect with client id %s took its place", ErrClosed, hal.Quoted(c.cfg.ClientID))
	}
	return ErrClosed
}

// ErrInterrupted is returned when interrupt closes while a call waits.
var ErrInterrupted = errors.New("interrupted")

// Publish queues m for sending and returns; the connection goroutine sends
// it as soon as the broker is there. A full queue drops its oldest message
// while offline; while connected, Publish first waits up to a second for
// room, running loop callbacks (but not this client's deliveries while one
// of its handlers runs). interrupt (the Lua context's, for Ctrl-C and the
// memory limit) ends that wait.
func (c *Client) Publish(m Message, interrupt <-chan struct{}) error {
	return c.publish(m, interrupt, true)
}

// PublishFromHook is Publish for Go code run by the loop (a connection hook,
// a message handler of a module): it never waits, a full queue dropping its
// oldest message (counted in Stats), since no Lua code is there to
// interrupt the wait.
func (c *Client) PublishFromHook(m Message) error {
	return c.publish(m, nil, false)
}

func (c *Client) publish(m Message, interrupt <-chan struct{}, wait bool) error {
	if c.closed {
		return c.closedErr()
	}
	if err := CheckTopic(m.Topic); err != nil {
		return err
	}
	if m.QoS > 1 {
		return fmt.Errorf("qos must be 0 or 1, got %d", m.QoS)
	}
	if len(m.Payload) > c.cfg.MaxPayload {
		return fmt.Errorf("payload of %d bytes is over the limit of %d (max_payload)", len(m.Payload), c.cfg.MaxPayload)
	}
	deadline := time.Time{}
	c.mu.Lock()
	for len(c.queue) >= c.cfg.QueueSize {
		now := c.h.Loop.Clock().Now()
		if deadline.IsZero() {
			deadline = now.Add(roomWait)
		}
		if !wait || !c.online || !now.Before(deadline) {
			c.queue[0] = Message{}
			c.queue = c.queue[1:]
			c.pending--
			c.dropped++
			break
		}
		progress := c.progressLocked()
		c.mu.Unlock()
		if err := c.await(progress, interrupt, deadline.Sub(now)); err != nil {
			return err
		}
		if c.closed {
			return c.closedErr()
		}
		c.mu.Lock()
	}
	c.queue = append(c.queue, m)
	c.pending++
	c.mu.Unlock()
	c.poke()
	return nil
}

// Flush waits up to d, running loop callbacks, until every queued publish
// has been sent (QoS 0) or acknowledged (QoS 1); it reports whether they
// all were.
func (c *Client) Flush(d time.Duration, interrupt <-chan struct{}) (bool, error) {
	return c.waitFor(d, interrupt, func() bool { return c.pending == 0 })
}

// WaitConnected waits up to d, running loop callbacks, for the connection to
// come up and the connect hooks to have run.
func (c *Client) WaitConnected(d time.Duration, interrupt <-chan struct{}) (bool, error) {
	return c.waitFor(d, interrupt, func() bool { return c.connected })
}

// waitFor runs loop callbacks until cond (called under mu) holds, d passes,
// or interrupt closes.
func (c *Client) waitFor(d time.Duration, interrupt <-chan struct{}, cond func() bool) (bool, error) {
	deadline := c.h.Loop.Clock().Now().Add(d)
	for {
		c.mu.Lock()
		ok := cond()
		progress := c.progressLocked()
		c.mu.Unlock()
		left := deadline.Sub(c.h.Loop.Clock().Now())
		if ok || left <= 0 || c.closed {
			return ok, nil
		}
		if err := c.await(progress, interrupt, left); err != nil {
			return false, err
		}
	}
}

// await runs loop callbacks for up to d or until progress or interrupt
// closes; it returns ErrInterrupted if interrupt did.
func (c *Client) await(progress, interrupt <-chan struct{}, d time.Duration) error {
	woken := make(chan struct{})
	stop := make(chan struct{})
	go func() {
		select {
		case <-progress:
		case <-interrupt:
		case <-stop:
		}
		close(woken)
	}()
	c.h.Loop.Sleep(woken, d)
	close(stop)
	select {
	case <-interrupt:
		return ErrInterrupted
	default:
		return nil
	}
}

// progressLocked returns a channel closed at the next change of the queue,
// pending, online or connected.
func (c *Client) progressLocked() <-chan struct{} {
	if c.progress == nil {
		c.progress = make(chan struct{})
	}
	return c.progress
}

func (c *Client) notifyLocked() {
	if c.progress != nil {
		close(c.progress)
		c.progress = nil
	}
}

// poke wakes the connection goroutine.
func (c *Client) poke() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// Subscribe asks the broker for messages matching filter and calls fn with
// each on the loop goroutine; subscribing to a filter again replaces its
// handler. Subscriptions are renewed on every reconnection.
func (c *Client) Subscribe(filter string, qos byte, fn Handler) error {
	if c.closed {
		return c.closedErr()
	}
	if err := CheckFilter(filter); err != nil {
		return err
	}
	if qos > 1 {
		return fmt.Errorf("qos must be 0 or 1, got %d", qos)
	}
	subs := make([]subscription, 0, len(c.subs)+1)
	for _, s := range c.subs {
		if s.filter != filter {
			subs = append(subs, s)
		}
	}
	c.subs = append(subs, subscription{filter, fn})
	c.mu.Lock()
	c.want[filter] = qos
	c.wantGen++
	c.mu.Unlock()
	c.poke()
	return nil
}

// Unsubscribe drops the subscription to filter; it reports whether there was one.
func (c *Client) Unsubscribe(filter string) (bool, error) {
	if c.closed {
		return false, c.closedErr()
	}
	subs := make([]subscription, 0, len(c.subs))
	for _, s := range c.subs {
		if s.filter != filter {
			subs = append(subs, s)
		}
	}
	if len(subs) == len(c.subs) {
		return false, nil
	}
	c.subs = subs
	c.mu.Lock()
	delete(c.want, filter)
	c.wantGen++
	c.mu.Unlock()
	c.poke()
	return true, nil
}

// CloseWithin runs the OnClose hooks, gives queued publishes up to grace to
// reach the broker (while connected), disconnects cleanly (so the broker
// does not publish the will) and waits for the connection goroutine to end.
// interrupt (may be nil) cuts the waits short, and CloseWithin then returns
// ErrInterrupted; the client is closed all the same. Closing again does
// nothing.
func (c *Client) CloseWithin(grace time.Duration, interrupt <-chan struct{}) error {
	if !c.beginClose() {
		return nil
	}
	deadline, stop := after(grace)
	defer stop()
	if c.finishClose(deadline, interrupt, c.h.Stopping) {
		return ErrInterrupted
	}
	return nil
}

// beginClose runs the OnClose hooks and marks the client closed; false if
// it was already. Loop goroutine.
func (c *Client) beginClose() bool {
	if c.closed {
		return false
	}
	for _, fn := range c.onClose {
		fn()
	}
	c.closed, c.connected = true, false
	clients.Drop(c.h, c.key(), c)
	close(c.stopIn)
	c.untrack()
	c.release()
	return true
}

// finishClose waits for queued publishes to reach the broker until
// deadline, ends the connection and waits a little for the connection
// goroutine. interrupt ends the waits at once (it reports whether it
// did); stopping (the runtime is being stopped) leaves them stopGrace at
// most. Any goroutine: closes at a soft reset run together.
func (c *Client) finishClose(deadline, interrupt, stopping <-chan struct{}) (interrupted bool) {
	var stopTimer <-chan time.Time
	stopped := func() {
		stopping = nil
		stopTimer = time.After(stopGrace)
	}
drain:
	for {
		c.mu.Lock()
		drained := !c.online || c.pending == 0
		progress := c.progressLocked()
		c.mu.Unlock()
		if drained {
			break
		}
		select {
		case <-progress:
		case <-deadline:
			break drain
		case <-stopTimer:
			break drain
		case <-stopping:
			stopped()
		case <-interrupt:
			interrupted = true
			break drain
		}
	}
	c.cancel()
	if interrupted {
		return true
	}
	// The connection goroutine ends once paho lets go, which a broker
	// that stopped reading can delay by paho's own 10 s write timeout:
	// it is not waited for that long (close and a soft reset hung for it,
	// and Ctrl-C could not stop them). It touches nothing of the script's
	// once closed.
	abandon := time.NewTimer(abandonAfter)
	defer abandon.Stop()
	for {
		select {
		case <-c.done:
			return false
		case <-abandon.C:
			return false
		case <-stopTimer:
			return false
		case <-stopping:
			stopped()
		case <-interrupt:
			return true
		}
	}
}

// after returns a channel closed when d has passed, for any number of
// waiters, and what stops its timer.
func after(d time.Duration) (<-chan struct{}, func()) {
	ch := make(chan struct{})
	t := time.AfterFunc(d, func() { close(ch) })
	return ch, func() { t.Stop() }
}

// abandonAfter is how long closing waits for the connection goroutine
// after it has been told to stop.
const abandonAfter = 250 * time.Millisecond

// stopGrace is what is left of closing's waits once the runtime is being
// stopped: time for a last "offline" message to a broker that is there,
// well within the 500 ms that a stop gives Lua.
const stopGrace = 100 * time.Millisecond

// Close is CloseWithin(time.Second, nil).
func (c *Client) Close() error {
	return c.CloseWithin(time.Second, nil)
}

// resetGrace is how long a soft reset or the exit gives the open clients'
// queues, all together.
const resetGrace = time.Second

// group is a runtime's open clients, which a soft reset (or the exit)
// closes together: one after the other, 10 clients with unacknowledged
// publishes took 10 s to exit.
type group struct {
	h       *host.Host
	clients map[*Client]struct{}
	untrack func() // takes it off the loop's list
}

var (
	groupsMu sync.Mutex
	groups   = map[*host.Host]*group{}
)

// track puts c in its runtime's group, which the loop closes at a soft
// reset; the returned func takes it out. Loop goroutine.
func track(h *host.Host, c *Client) (untrack func()) {
	groupsMu.Lock()
	g := groups[h]
	fresh := g == nil
	if fresh {
		g = &group{h: h, clients: map[*Client]struct{}{}}
		groups[h] = g
	}
	g.clients[c] = struct{}{}
	groupsMu.Unlock()
	if fresh {
		g.untrack = h.Loop.Track(g)
	}
	return func() {
		groupsMu.Lock()
		delete(g.clients, c)
		empty := len(g.clients) == 0 && groups[h] == g
		if empty {
			delete(groups, h)
		}
		groupsMu.Unlock()
		if empty {
			g.untrack()
		}
	}
}

// Close closes the group's clients: their OnClose hooks one by one, then
// their queues and connections together, within resetGrace (stopGrace
// once the runtime is being stopped). Loop goroutine.
func (g *group) Close() error {
	groupsMu.Lock()
	if groups[g.h] == g {
		delete(groups, g.h)
	}
	open := make([]*Client, 0, len(g.clients))
	for c := range g.clients {
		open = append(open, c)
	}
	groupsMu.Unlock()
	var closing []*Client
	for _, c := range open {
		if c.beginClose() {
			closing = append(closing, c)
		}
	}
	deadline, stop := after(resetGrace)
	defer stop()
	var wg sync.WaitGroup
	for _, c := range closing {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.finishClose(deadline, nil, g.h.Stopping)
		}()
	}
	wg.Wait()
	return nil
}

// exclusive runs job, a delivery (deferrable) or a connection hook, as the
// client's only one: a delivery that comes while another delivery or hook
// runs (and waits, running the loop) is deferred until that returns. Hooks
// run at once: they come at most once a connection attempt. Loop goroutine.
func (c *Client) exclusive(job func(), deferrable bool) {
	if c.busy {
		if deferrable {
			c.deferred = append(c.deferred, job)
		} else {
			job()
		}
		return
	}
	c.busy = true
	defer func() { c.busy = false }()
	job()
	for len(c.deferred) > 0 {
		next := c.deferred[0]
		c.deferred[0] = nil
		c.deferred = c.deferred[1:]
		next()
	}
	c.deferred = nil
}

// deliver hands a received message to the handlers whose filters match.
// Loop goroutine.
func (c *Client) deliver(topic string, payload []byte) {
	for _, s := range c.subs {
		if c.closed {
			return
		}
		if Match(s.filter, topic) {
			s.fn(topic, payload)
		}
	}
}

func (c *Client) connectedEvent() {
	if c.closed {
		return
	}
	c.connected, c.lastErr = true, ""
	c.exclusive(func() {
		for _, fn := range c.onConnect {
			fn()
		}
	}, false)
	c.changed()
}

func (c *Client) disconnectedEvent(reason string) {
	if c.closed {
		return
	}
	c.connected, c.lastErr = false, reason
	c.exclusive(func() {
		for _, fn := range c.onDisconnect {
			fn(reason)
		}
	}, false)
	c.changed()
}

// changed wakes the waiters (WaitConnected) once the hooks have run.
func (c *Client) changed() {
	c.mu.Lock()
	c.notifyLocked()
	c.mu.Unlock()
}

// The connection goroutine: run, connect, serve and the session they share.

type session struct {
	pc         paho.Client
	lost       chan error // from paho's connection-lost handler
	stopAbort  func() bool
	subscribed map[string]byte
	subTokens  []paho.Token // SUBSCRIBEs not yet checked (see checkSubscriptions)
	gen        int
	inflight   []flight
}

type flight struct {
	msg Message
	tok paho.Token
}

// run keeps the client connected until Close.
func (c *Client) run() {
	defer close(c.done)
	backoff := minBackoff
	for {
		s, err := c.connect()
		if err == nil {
			start := time.Now()
			err = c.serve(s)
			if time.Since(start) >= stableAfter {
				backoff = minBackoff
			}
		}
		if c.ctx.Err() != nil {
			return
		}
		reason := describe(err)
		if c.secure && plainPort(err) {
			reason += "; does the port speak TLS? (tls:// to a plain MQTT port fails so)"
		}
		c.h.Loop.Post(func() { c.disconnectedEvent(reason) })
		// Up to a quarter more, so that a fleet does not return in step.
		delay := backoff + time.Duration(mrand.Int64N(int64(backoff/4)+1))
		select {
		case <-time.After(delay):
		case <-c.ctx.Done():
			return
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

// connect makes one attempt; Close aborts it.
func (c *Client) connect() (*session, error) {
	s := &session{lost: make(chan error, 1), subscribed: map[string]byte{}}
	o := paho.NewClientOptions()
	o.AddBroker(c.server.String())
	o.SetClientID(c.cfg.ClientID)
	o.SetUsername(c.cfg.Username)
	o.SetPassword(c.cfg.Password)
	o.SetProtocolVersion(4)
	o.SetCleanSession(true)
	o.SetKeepAlive(c.cfg.KeepAlive)
	o.SetConnectTimeout(connectTimeout)
	o.SetWriteTimeout(writeTimeout)
	// The client reconnects itself: paho's own retries sleep without a way
	// to stop them, which would outlive Close.
	o.SetAutoReconnect(false)
	o.SetConnectRetry(false)
	o.SetDefaultPublishHandler(c.receive)
	o.SetConnectionLostHandler(func(_ paho.Client, err error) {
		select {
		case s.lost <- err:
		default:
		}
	})
	o.SetCustomOpenConnectionFn(func(u *url.URL, _ paho.ClientOptions) (net.Conn, error) {
		return c.dial(u, s)
	})
	if w := c.cfg.Will; w != nil {
		o.SetBinaryWill(w.Topic, w.Payload, w.QoS, w.Retain)
	}
	s.pc = paho.NewClient(o)
	tok := s.pc.Connect()
	<-tok.Done() // bounded by connectTimeout, and cut short by Close through dial
	if s.stopAbort != nil {
		s.stopAbort()
	}
	if err := tok.Error(); err != nil {
		return nil, err
	}
	if c.ctx.Err() != nil {
		s.pc.Disconnect(quiesce)
		return nil, c.ctx.Err()
	}
	return s, nil
}

// dial opens the network connection for paho; Close before the MQTT
// handshake is done closes it.
func (c *Client) dial(u *url.URL, s *session) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(c.ctx, connectTimeout)
	defer cancel()
	d := &net.Dialer{}
	var conn net.Conn
	var err error
	if c.secure {
		conn, err = (&tls.Dialer{NetDialer: d, Config: c.cfg.TLS}).DialContext(ctx, "tcp", u.Host)
	} else {
		conn, err = d.DialContext(ctx, "tcp", u.Host)
	}
	if err != nil {
		return nil, err
	}
	s.stopAbort = context.AfterFunc(c.ctx, func() { conn.Close() })
	return newLimitedConn(conn, c.cfg.MaxPayload, c.tooBig), nil
}

// tooBig says on the output that a message over max_payload was dropped
// (see limitedConn and receive). Any goroutine.
//
// At most one notice waits on the loop, counting the messages dropped
// since the last: one closure a message, each holding its topic, took a
// busy script past its memory limit under a flood of them.
func (c *Client) tooBig(topic string, size int) {
	c.bigMu.Lock()
	c.bigCount++
	c.bigTopic, c.bigSize = hal.Quoted(topic), size
	post := !c.bigPosted
	c.bigPosted = true
	c.bigMu.Unlock()
	if post && c.h.Loop.Post(c.reportBig) != nil {
		c.bigMu.Lock()
		c.bigPosted = false
		c.bigMu.Unlock()
	}
}

// reportBig writes tooBig's notice. Loop goroutine.
func (c *Client) reportBig() {
	c.bigMu.Lock()
	n, topic, size := c.bigCount, c.bigTopic, c.bigSize
	c.bigCount, c.bigTopic, c.bigPosted = 0, "", false
	c.bigMu.Unlock()
	if n == 1 {
		fmt.Fprintf(c.h.Out, "mqtt: dropped a message on %s: %d bytes, over max_payload (%d); connect with a larger max_payload to receive it\n", topic, size, c.cfg.MaxPayload)
	} else {
		fmt.Fprintf(c.h.Out, "mqtt: dropped %d messages over max_payload (%d), the last on %s: %d bytes; connect with a larger max_payload to receive them\n", n, c.cfg.MaxPayload, topic, size)
	}
}

// receive is paho's handler for every incoming message (on paho's
// goroutine): it hands the message to the loop, waiting while the inbox is
// full, which stops paho reading from the broker.
//
// A message over max_payload is dropped with a line on the output, as a
// publish over it is refused: the script does not hold it (a 200 MB one
// had reached Lua under a 32 MB limit). Most never reach paho (see
// limitedConn); one over by less than its topic's length does.
func (c *Client) receive(_ paho.Client, m paho.Message) {
	topic, payload := m.Topic(), m.Payload()
	if len(payload) > c.cfg.MaxPayload {
		c.tooBig(topic, len(payload))
		return
	}
	if !c.reserveInbox(len(payload)) {
		return
	}
	// The inbox keeps the message until it is delivered: deferred
	// deliveries (see exclusive) count against it.
	job := func() { c.releaseInbox(len(payload)); c.deliver(topic, payload) }
	if c.h.Loop.Post(func() { c.exclusive(job, true) }) != nil {
		c.releaseInbox(len(payload))
	}
}

// reserveInbox waits until one more message of n bytes fits the inbox:
// fewer than inboxSize messages, and n more bytes within inboxBytes (or two
// of max_payload; one message always fits). Waiting stops paho reading from
// the broker. False when the client closes.
func (c *Client) reserveInbox(n int) bool {
	limit := max(inboxBytes, 2*c.cfg.MaxPayload)
	for {
		c.inboxMu.Lock()
		if c.inboxCount < inboxSize && (c.inboxUsed == 0 || c.inboxUsed+n <= limit) {
			c.inboxCount++
			c.inboxUsed += n
			c.inboxMu.Unlock()
			return true
		}
		room := c.inboxRoom
		c.inboxMu.Unlock()
		select {
		case <-room:
		case <-c.stopIn:
			return false
		}
	}
}

func (c *Client) releaseInbox(n int) {
	c.inboxMu.Lock()
	c.inboxCount--
	c.inboxUsed -= n
	close(c.inboxRoom)
	c.inboxRoom = make(chan struct{})
	c.inboxMu.Unlock()
}

// serve runs a live connection: it renews subscriptions and sends the
// queue, until the connection fails (the error says why) or Close (nil).
func (c *Client) serve(s *session) error {
	c.mu.Lock()
	c.online = true
	c.notifyLocked()
	c.mu.Unlock()
	c.h.Loop.Post(c.connectedEvent)
	var batch []Message
	for {
		if err := c.reap(s); err != nil {
			return c.endSession(s, lostError{err})
		}
		c.syncSubscriptions(s)
		c.checkSubscriptions(s)
		batch = c.take(batch[:0], window-len(s.inflight))
		for _, m := range batch {
			if c.ctx.Err() != nil {
				// Closed: paho's Publish, with no broker taking
				// packets, would wait writeTimeout for each of the rest.
				break
			}
			s.inflight = append(s.inflight, flight{m, s.pc.Publish(m.Topic, m.QoS, m.Retain, m.Payload)})
		}
		clear(batch)
		if len(batch) > 0 {
			continue
		}
		var head, subHead <-chan struct{}
		if len(s.inflight) > 0 {
			head = s.inflight[0].tok.Done()
		}
		if len(s.subTokens) > 0 {
			subHead = s.subTokens[0].Done()
		}
		select {
		case <-c.wake:
		case <-head:
		case <-subHead:
		case err := <-s.lost:
			return c.endSession(s, lostError{err})
		case <-c.ctx.Done():
			s.pc.Disconnect(quiesce)
			return nil
		}
	}
}

// take moves up to n messages from the queue into batch.
func (c *Client) take(batch []Message, n int) []Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	n = min(n, len(c.queue))
	if n == 0 {
		return batch
	}
	batch = append(batch, c.queue[:n]...)
	clear(c.queue[:n])
	c.queue = c.queue[n:]
	c.notifyLocked()
	return batch
}

// reap retires completed publishes from the head of the flight; a publish
// that failed means the connection did.
func (c *Client) reap(s *session) error {
	done := 0
	var err error
	for done < len(s.inflight) {
		tok := s.inflight[done].tok
		if !isDone(tok) {
			break
		}
		if err = tok.Error(); err != nil {
			break
		}
		done++
	}
	if done > 0 {
		clear(s.inflight[:done])
		s.inflight = s.inflight[done:]
		c.mu.Lock()
		c.pending -= done
		c.notifyLocked()
		c.mu.Unlock()
	}
	return err
}

func isDone(tok paho.Token) bool {
	select {
	case <-tok.Done():
		return true
	default:
		return false
	}
}

// syncSubscriptions brings the broker's subscriptions in line with want.
func (c *Client) syncSubscriptions(s *session) {
	c.mu.Lock()
	if s.gen == c.wantGen {
		c.mu.Unlock()
		return
	}
	want := make(map[string]byte, len(c.want))
	for f, q := range c.want {
		want[f] = q
	}
	s.gen = c.wantGen
	c.mu.Unlock()
	add := map[string]byte{}
	for f, q := range want {
		if old, ok := s.subscribed[f]; !ok || old != q {
			add[f] = q
		}
	}
	var drop []string
	for f := range s.subscribed {
		if _, ok := want[f]; !ok {
			drop = append(drop, f)
		}
	}
	if len(add) > 0 {
		s.subTokens = append(s.subTokens, s.pc.SubscribeMultiple(add, nil))
	}
	if len(drop) > 0 {
		s.pc.Unsubscribe(drop...)
	}
	s.subscribed = want
}

// checkSubscriptions reports the filters the broker refused (a SUBACK's
// 0x80: its ACL does not allow them, say) and leaves them out of what the
// session has, so that the next change of subscriptions or connection
// asks for them again.
func (c *Client) checkSubscriptions(s *session) {
	for len(s.subTokens) > 0 && isDone(s.subTokens[0]) {
		tok, _ := s.subTokens[0].(*paho.SubscribeToken)
		s.subTokens[0] = nil
		s.subTokens = s.subTokens[1:]
		if tok == nil || tok.Error() != nil {
			continue
		}
		var refused []string
		for f, code := range tok.Result() {
			if code == 0x80 {
				refused = append(refused, f)
				delete(s.subscribed, f)
			}
		}
		slices.Sort(refused)
		for _, f := range refused {
			c.h.Loop.Post(func() {
				if !c.closed {
					fmt.Fprintf(c.h.Out, "mqtt: %s: the broker refused the subscription to %s (its access rules, or a filter it does not take); asking again at the next connection\n", c.display, hal.Quoted(f))
				}
			})
		}
	}
}

// endSession puts the publishes the broker has not acknowledged back at the
// front of the queue, dropping the oldest beyond its size, and goes offline.
func (c *Client) endSession(s *session, err error) error {
	s.pc.Disconnect(0)
	var retry []Message
	acked := 0
	for _, f := range s.inflight {
		if isDone(f.tok) && f.tok.Error() == nil {
			acked++
		} else {
			retry = append(retry, f.msg)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.online = false
	c.pending -= acked
	c.queue = append(retry, c.queue...)
	if over := len(c.queue) - c.cfg.QueueSize; over > 0 {
		clear(c.queue[:over])
		c.queue = c.queue[over:]
		c.pending -= over
		c.dropped += over
	}
	c.notifyLocked()
	return err
}
