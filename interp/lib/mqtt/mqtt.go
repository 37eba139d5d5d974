// Package mqtt is the Lua `mqtt` module: a client for an MQTT 3.1.1 broker on
// paho.mqtt.golang that connects in the background, reconnects with backoff,
// keeps publishes made while offline in a bounded queue, and runs message and
// connection callbacks on the event loop. Soft reset closes its clients.
//
// The Go side (Client, Connect, CheckConfig, Wrap) is for other modules that
// speak MQTT, such as ha.
package mqtt

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/moonpin/moonpin/hal"
	"github.com/moonpin/moonpin/interp/host"
	fslib "github.com/moonpin/moonpin/interp/lib/fs"
	lua "github.com/yuin/gopher-lua"
)

const clientType = "mqtt.client"

// Defaults of the Lua methods' timeouts.
const (
	closeGrace  = time.Second
	flushWait   = 10 * time.Second
	connectWait = 10 * time.Second
)

var builtins = map[string]lua.LGFunction{
	"connect": connect,
}

var methods = map[string]lua.LGFunction{
	"publish":        publish,
	"subscribe":      subscribe,
	"unsubscribe":    unsubscribe,
	"on":             on,
	"flush":          flush,
	"wait_connected": waitConnected,
	"close":          closeClient,
}

// fields are the client's read-only properties.
var fields = map[string]func(c *luaClient) lua.LValue{
	"connected": func(c *luaClient) lua.LValue { return lua.LBool(c.Connected()) },
	"queued":    func(c *luaClient) lua.LValue { n, _ := c.Stats(); return lua.LNumber(n) },
	"dropped":   func(c *luaClient) lua.LValue { _, n := c.Stats(); return lua.LNumber(n) },
	"url":       func(c *luaClient) lua.LValue { return lua.LString(c.URL()) },
	"client_id": func(c *luaClient) lua.LValue { return lua.LString(c.ClientID()) },
	"closed":    func(c *luaClient) lua.LValue { return lua.LBool(c.Closed()) },
	"error": func(c *luaClient) lua.LValue {
		if e := c.LastError(); e != "" {
			return lua.LString(e)
		}
		return lua.LNil
	},
}

// Loader pushes the module table.
func Loader(L *lua.LState) int {
	mt := L.NewTypeMetatable(clientType)
	methodTable := host.Methods(L, clientType, mt, methods)
	L.SetField(mt, "__index", L.NewFunction(func(L *lua.LState) int {
		c := check(L)
		key := L.CheckString(2)
		if m := methodTable.RawGetString(key); m != lua.LNil {
			L.Push(m)
		} else if f, ok := fields[key]; ok {
			L.Push(f(c))
		} else {
			L.Push(lua.LNil)
		}
		return 1
	}))
	L.SetField(mt, "__tostring", L.NewFunction(func(L *lua.LState) int {
		c := check(L)
		L.Push(lua.LString(fmt.Sprintf("mqtt.client(%s, %s)", c.URL(), c.state())))
		return 1
	}))
	L.Push(host.Module(L, "mqtt", builtins))
	return 1
}

// luaClient is a Client as Lua sees it, with the script's event handlers.
type luaClient struct {
	*Client
	handlers map[string]*lua.LFunction
	reported string // the last reason printed for want of a disconnect handler
}

func (c *luaClient) state() string {
	switch {
	case c.Closed():
		return "closed"
	case c.Connected():
		return "connected"
	case c.LastError() != "":
		return "offline: " + c.LastError()
	}
	return "connecting"
}

// Describe is what the REPL shows: "mqtt client tcp://host:1883 (connected)".
func (c *luaClient) Describe() string {
	return fmt.Sprintf("mqtt client %s (%s)", c.URL(), c.state())
}

// connect implements mqtt.connect{url = ..., ...} and mqtt.connect(url).
func connect(L *lua.LState) int {
	var cfg Config
	if url, ok := L.Get(1).(lua.LString); ok {
		cfg.URL = string(url)
		cfg.Username, cfg.Password = Credentials(cfg.URL)
	} else {
		cfg = CheckConfig(L, L.CheckTable(1), 1)
	}
	c, err := Connect(host.Of(L), cfg, interrupt(L))
	if errors.Is(err, ErrInterrupted) {
		host.RaiseCancel(L)
	}
	if err != nil {
		L.RaiseError("mqtt.connect: %s", err)
	}
	L.Push(Wrap(L, c))
	return 1
}

// Wrap returns the Lua value for c. Call it once per client: the value holds
// the script's handlers.
func Wrap(L *lua.LState, c *Client) *lua.LUserData {
	h := host.Of(L)
	lc := &luaClient{Client: c, handlers: map[string]*lua.LFunction{}}
	c.OnConnect(func() {
		lc.reported = ""
		if fn := lc.handlers["connect"]; fn != nil {
			h.Callback(fn)
		}
	})
	c.OnDisconnect(func(reason string) {
		if fn := lc.handlers["disconnect"]; fn != nil {
			h.Callback(fn, lua.LString(reason))
		} else if reason != lc.reported {
			lc.reported = reason
			fmt.Fprintf(h.Out, "mqtt: %s: %s; retrying in the background\n", c.URL(), reason)
		}
	})
	return host.NewHandle(L, clientType, lc)
}

// options are mqtt.connect's keys, in the order errors list them.
var options = []string{
	"url", "client_id", "username", "password", "keepalive", "will",
	"ca_file", "cert_file", "key_file", "queue", "max_payload",
}

// CheckConfig reads mqtt.connect's options from tbl, argument n, raising a
// Lua error for a bad one. Keys in extra belong to the caller and are
// skipped; any other unknown key is an error (a typo would otherwise pass
// silently). Relative file names are under the script root.
func CheckConfig(L *lua.LState, tbl *lua.LTable, n int, extra ...string) Config {
	host.CheckOptions(L, tbl, n, append(slices.Clone(options), extra...)...)
	str := func(key string) string {
		switch v := tbl.RawGetString(key).(type) {
		case *lua.LNilType:
			return ""
		case lua.LString:
			return string(v)
		default:
			host.ArgError(L, n, "%s must be a string, got %s", key, v.Type())
			return ""
		}
	}
	cfg := Config{
		URL:      str("url"),
		ClientID: str("client_id"),
		Username: str("username"),
		Password: str("password"),
	}
	if cfg.URL == "" {
		host.ArgError(L, n, "url is required, e.g. url = \"tcp://192.168.1.10:1883\"")
	}
	if cfg.Username == "" {
		cfg.Username, cfg.Password = Credentials(cfg.URL)
	}
	if len(cfg.ClientID) > 65535 {
		host.ArgError(L, n, "client_id is too long")
	}
	if !utf8.ValidString(cfg.ClientID) || strings.ContainsRune(cfg.ClientID, 0) {
		// MQTT strings are UTF-8 without NUL: a broker drops the
		// connection, over and over.
		host.ArgError(L, n, "client_id %s must be UTF-8 text without NUL bytes", hal.Quoted(cfg.ClientID))
	}
	if v := number(L, tbl, n, "keepalive", 1, 65535); v > 0 {
		cfg.KeepAlive = time.Duration(v * float64(time.Second))
	}
	cfg.QueueSize = int(number(L, tbl, n, "queue", 1, 1e7))
	cfg.MaxPayload = int(number(L, tbl, n, "max_payload", 1, MaxPayloadLimit))
	switch w := tbl.RawGetString("will").(type) {
	case *lua.LNilType:
	case *lua.LTable:
		cfg.Will = checkWill(L, w, n)
	default:
		host.ArgError(L, n, "will must be a table {topic = ..., payload = ..., retain = ...}")
	}
	ca, cert, key := str("ca_file"), str("cert_file"), str("key_file")
	if ca != "" || cert != "" || key != "" {
		tlsConfig, err := loadTLS(L, ca, cert, key)
		if err != nil {
			L.RaiseError("mqtt.connect: %s", err)
		}
		cfg.TLS = tlsConfig
	}
	return cfg
}

// number reads an optional number option between lo and hi; 0 when absent.
func number(L *lua.LState, tbl *lua.LTable, n int, key string, lo, hi float64) float64 {
	switch v := tbl.RawGetString(key).(type) {
	case *lua.LNilType:
		return 0
	case lua.LNumber:
		f := float64(v)
		if f >= lo && f <= hi && !math.IsNaN(f) {
			return f
		}
	}
	host.ArgError(L, n, "%s must be a number from %s to %s", key, host.Number(lo), host.Number(hi))
	return 0
}

func checkWill(L *lua.LState, w *lua.LTable, n int) *Message {
	host.CheckKeys(L, w, n, "will option", "topic", "payload", "retain", "qos")
	m := &Message{}
	topic, ok := w.RawGetString("topic").(lua.LString)
	if !ok {
		host.ArgError(L, n, "will.topic must be a string")
	}
	m.Topic = string(topic)
	switch p := w.RawGetString("payload").(type) {
	case *lua.LNilType:
	case lua.LString, lua.LNumber:
		m.Payload = []byte(p.String())
	default:
		host.ArgError(L, n, "will.payload must be a string")
	}
	m.Retain = lua.LVAsBool(w.RawGetString("retain"))
	m.QoS = byte(number(L, w, n, "qos", 0, 1))
	if err := CheckTopic(m.Topic); err != nil {
		host.ArgError(L, n, "will: %s", err)
	}
	return m
}

// loadTLS builds the TLS configuration: the server's certificate checked
// against ca (or the system's CAs), and the client's own certificate where
// the broker asks for one (AWS IoT and the like).
func loadTLS(L *lua.LState, ca, cert, key string) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	read := func(option, name string) ([]byte, error) {
		target, err := fslib.LocateFor(host.Of(L), name, fslib.Read)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", option, err)
		}
		b, err := target.ReadFileFor(L)
		if err != nil {
			if inner := errors.Unwrap(err); inner != nil {
				err = inner
			}
			return nil, fmt.Errorf("%s: cannot read %s: %w", option, name, err)
		}
		return b, nil
	}
	if ca != "" {
		pem, err := read("ca_file", ca)
		if err != nil {
			return nil, err
		}
		cfg.RootCAs = x509.NewCertPool()
		if !cfg.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("ca_file: no PEM certificate in %s", ca)
		}
	}
	if (cert == "") != (key == "") {
		return nil, errors.New("cert_file and key_file go together: the client certificate and its private key")
	}
	if cert != "" {
		certPEM, err := read("cert_file", cert)
		if err != nil {
			return nil, err
		}
		keyPEM, err := read("key_file", key)
		if err != nil {
			return nil, err
		}
		pair, err := tls.X509KeyPair(certPEM, keyPEM)
		if err != nil {
			return nil, fmt.Errorf("cert_file and key_file: %w", err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	return cfg, nil
}

func check(L *lua.LState) *luaClient {
	if c, ok := L.CheckUserData(1).Value.(*luaClient); ok {
		return c
	}
	L.ArgError(1, "mqtt client expected")
	return nil
}

func interrupt(L *lua.LState) <-chan struct{} {
	if ctx := L.Context(); ctx != nil {
		return ctx.Done()
	}
	return nil
}

// raise turns an error of a client method into a Lua error.
func raise(L *lua.LState, method string, err error) {
	if errors.Is(err, ErrInterrupted) {
		host.RaiseCancel(L)
	}
	L.RaiseError("mqtt: %s: %s", method, err)
}

// seconds reads an optional timeout in seconds at argument n.
func seconds(L *lua.LState, n int, def time.Duration) time.Duration {
	if L.Get(n) == lua.LNil {
		return def
	}
	s := float64(L.CheckNumber(n))
	if s < 0 || math.IsNaN(s) || math.IsInf(s, 0) {
		L.ArgError(n, "expected a timeout in seconds, 0 or more")
	}
	return host.Duration(s, time.Second)
}

func qos(L *lua.LState, v lua.LValue, n int) byte {
	switch v {
	case lua.LNil, lua.LNumber(0):
		return 0
	case lua.LNumber(1):
		return 1
	}
	got := v.Type().String()
	if f, ok := v.(lua.LNumber); ok {
		got = host.Number(float64(f))
	}
	host.ArgError(L, n, "qos must be 0 or 1, got %s", got)
	return 0
}

// publish(topic, payload, {qos = 0|1, retain = false}) queues a message.
func publish(L *lua.LState) int {
	c := check(L)
	m := Message{Topic: L.CheckString(2)}
	switch p := L.Get(3).(type) {
	case lua.LString:
		// The string's bytes, not a copy: the offline queue holds up to
		// a thousand payloads, and a copy of each (a megabyte, say) took
		// the heap past the memory limit between two of its samples.
		// Nothing writes to a payload; paho only sends it.
		m.Payload = unsafe.Slice(unsafe.StringData(string(p)), len(p))
	case lua.LNumber:
		m.Payload = []byte(p.String())
	default:
		L.ArgError(3, "payload must be a string or a number, got "+p.Type().String())
	}
	if opts := L.OptTable(4, nil); opts != nil {
		host.CheckOptions(L, opts, 4, "qos", "retain")
		m.QoS = qos(L, opts.RawGetString("qos"), 4)
		m.Retain = lua.LVAsBool(opts.RawGetString("retain"))
	}
	if err := c.Publish(m, interrupt(L)); err != nil {
		raise(L, "publish", err)
	}
	return 0
}

// subscribe(filter, fn(topic, payload), qos) calls fn for each message.
func subscribe(L *lua.LState) int {
	c := check(L)
	filter := L.CheckString(2)
	fn := L.CheckFunction(3)
	q := qos(L, L.Get(4), 4)
	h := host.Of(L)
	err := c.Subscribe(filter, q, func(topic string, payload []byte) {
		h.Callback(fn, lua.LString(topic), lua.LString(payload))
	})
	if err != nil {
		raise(L, "subscribe", err)
	}
	return 0
}

// unsubscribe(filter) returns whether there was such a subscription.
func unsubscribe(L *lua.LState) int {
	ok, err := check(L).Unsubscribe(L.CheckString(2))
	if err != nil {
		raise(L, "unsubscribe", err)
	}
	L.Push(lua.LBool(ok))
	return 1
}

// on("connect", fn()) or on("disconnect", fn(reason)) sets the handler of
// an event (nil removes it). A connect handler set while connected runs
// soon for the connection that is up.
func on(L *lua.LState) int {
	c := check(L)
	event := L.CheckString(2)
	if event != "connect" && event != "disconnect" {
		host.ArgError(L, 2, "unknown event %s; events are connect and disconnect", hal.Quoted(event))
	}
	fn := L.OptFunction(3, nil)
	if L.Get(3) != lua.LNil && fn == nil {
		L.ArgError(3, "expected a function or nil")
	}
	if fn == nil {
		delete(c.handlers, event)
		return 0
	}
	c.handlers[event] = fn
	if event == "connect" && c.Connected() {
		h := host.Of(L)
		h.Loop.Post(func() {
			if c.handlers["connect"] == fn && c.Connected() {
				h.Callback(fn)
			}
		})
	}
	return 0
}

// flush([timeout_s]) waits for queued publishes to reach the broker and
// returns whether they all did.
func flush(L *lua.LState) int {
	c := check(L)
	ok, err := c.Flush(seconds(L, 2, flushWait), interrupt(L))
	if err != nil {
		raise(L, "flush", err)
	}
	L.Push(lua.LBool(ok))
	return 1
}

// wait_connected([timeout_s]) waits for the connection and returns whether
// it is up.
func waitConnected(L *lua.LState) int {
	c := check(L)
	ok, err := c.WaitConnected(seconds(L, 2, connectWait), interrupt(L))
	if err != nil {
		raise(L, "wait_connected", err)
	}
	L.Push(lua.LBool(ok))
	return 1
}

// close([timeout_s]) gives queued publishes up to timeout_s to reach the
// broker, then disconnects. Ctrl-C ends the wait, closed, and raises the
// interrupt.
func closeClient(L *lua.LState) int {
	c := check(L)
	if err := c.CloseWithin(seconds(L, 2, closeGrace), interrupt(L)); err != nil {
		raise(L, "close", err)
	}
	return 0
}
