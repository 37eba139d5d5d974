// Package mqtttest runs a real mosquitto broker on a random loopback port for
// tests, with Go clients to watch and drive it. Tests that need the broker
// are skipped, with a message saying so, where mosquitto is not installed
// (`apt-get install mosquitto`). It is for tests only.
package mqtttest

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
)

// Timeout bounds every wait in this package.
const Timeout = 15 * time.Second

// Options configure a broker; the zero value is an anonymous plain-TCP broker.
type Options struct {
	Users map[string]string // user → password; anonymous clients are refused when set
	TLS   *Certs            // serve TLS with these certificates
}

// Broker is a running mosquitto. Its methods are for the test goroutine.
type Broker struct {
	URL  string // tcp://127.0.0.1:port, or tls://127.0.0.1:port
	Port int

	t    testing.TB
	conf string
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited and its log is read

	mu     sync.Mutex
	lines  []string
	cursor int           // WaitLog looks at lines from here on
	grown  chan struct{} // closed and replaced when a line arrives
}

// Pause stops the broker (SIGSTOP) until Resume: it reads nothing, as a
// broker on a stalled link; the test's cleanup resumes it.
func (b *Broker) Pause() {
	b.t.Helper()
	if err := b.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		b.t.Fatal(err)
	}
	b.t.Cleanup(b.Resume)
}

// Resume lets a paused broker go on.
func (b *Broker) Resume() {
	if b.cmd != nil {
		b.cmd.Process.Signal(syscall.SIGCONT)
	}
}

// Binary returns mosquitto's path, or "" where it is not installed.
func Binary() string {
	if p, err := exec.LookPath("mosquitto"); err == nil {
		return p
	}
	for _, p := range []string{"/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// Start runs a broker until the test ends, or skips the test where
// mosquitto is not installed.
func Start(t testing.TB, opts Options) *Broker {
	t.Helper()
	bin := Binary()
	if bin == "" {
		t.Skip("mosquitto is not installed (apt-get install mosquitto); skipping the tests against a real broker")
	}
	dir := t.TempDir()
	port := freePort(t)
	conf := []string{
		fmt.Sprintf("listener %d 127.0.0.1", port),
		"persistence false",
		"log_dest stderr", // unbuffered, unlike stdout into a pipe
		"log_type error", "log_type warning", "log_type notice", "log_type information",
		"connection_messages true",
	}
	if u, err := user.Current(); err == nil {
		conf = append(conf, "user "+u.Username) // root would otherwise switch to user mosquitto
	}
	if len(opts.Users) > 0 {
		conf = append(conf, "allow_anonymous false", "password_file "+passwordFile(t, dir, bin, opts.Users))
	} else {
		conf = append(conf, "allow_anonymous true")
	}
	scheme := "tcp"
	if c := opts.TLS; c != nil {
		scheme = "tls"
		conf = append(conf, "certfile "+c.ServerCert, "keyfile "+c.ServerKey)
	}
	b := &Broker{
		URL:  fmt.Sprintf("%s://127.0.0.1:%d", scheme, port),
		Port: port,
		t:    t,
		conf: filepath.Join(dir, "mosquitto.conf"),
	}
	if err := os.WriteFile(b.conf, []byte(strings.Join(conf, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	b.start()
	t.Cleanup(b.Kill)
	return b
}

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// passwordFile writes users into a mosquitto password file with
// mosquitto_passwd, which hashes them as this mosquitto expects.
func passwordFile(t testing.TB, dir, bin string, users map[string]string) string {
	t.Helper()
	tool, err := exec.LookPath("mosquitto_passwd")
	if err != nil {
		tool = filepath.Join(filepath.Dir(filepath.Dir(bin)), "bin", "mosquitto_passwd")
	}
	file := filepath.Join(dir, "passwd")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for name, password := range users {
		if out, err := exec.Command(tool, "-b", file, name, password).CombinedOutput(); err != nil {
			t.Fatalf("mosquitto_passwd: %v\n%s", err, out)
		}
	}
	return file
}

// start runs mosquitto and waits until it listens.
func (b *Broker) start() {
	b.t.Helper()
	cmd := exec.Command(Binary(), "-c", b.conf)
	out, err := cmd.StderrPipe()
	if err != nil {
		b.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.t.Fatalf("starting mosquitto: %v", err)
	}
	b.mu.Lock()
	b.cmd, b.done, b.grown = cmd, make(chan struct{}), make(chan struct{})
	b.mu.Unlock()
	go func(done chan struct{}) {
		defer close(done)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			b.mu.Lock()
			b.lines = append(b.lines, sc.Text())
			close(b.grown)
			b.grown = make(chan struct{})
			b.mu.Unlock()
		}
		cmd.Wait()
	}(b.done)
	if !b.waitLog([]string{"mosquitto version", " running"}, b.done) {
		b.t.Fatalf("mosquitto did not start:\n%s", b.Log())
	}
}

// Kill ends the broker at once, as a crash would (no clean shutdown), and
// waits for it to exit. Killing a stopped broker does nothing.
func (b *Broker) Kill() {
	if b.cmd == nil {
		return
	}
	b.cmd.Process.Kill()
	<-b.done
	b.cmd = nil
}

// Restart starts a killed broker again on the same port.
func (b *Broker) Restart() {
	b.t.Helper()
	b.Kill()
	b.start()
}

// Log returns everything the broker has logged.
func (b *Broker) Log() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Join(b.lines, "\n")
}

// WaitLog waits for a log line, after the one the previous WaitLog matched,
// that contains every one of parts; it fails the test after Timeout.
func (b *Broker) WaitLog(parts ...string) {
	b.t.Helper()
	if !b.waitLog(parts, nil) {
		b.t.Fatalf("mosquitto did not log %q within %v; log:\n%s", parts, Timeout, b.Log())
	}
}

// waitLog waits for a line containing all parts, giving up at Timeout or
// when stop closes.
func (b *Broker) waitLog(parts []string, stop <-chan struct{}) bool {
	deadline := time.NewTimer(Timeout)
	defer deadline.Stop()
	for {
		b.mu.Lock()
		for i := b.cursor; i < len(b.lines); i++ {
			if containsAll(b.lines[i], parts) {
				b.cursor = i + 1
				b.mu.Unlock()
				return true
			}
		}
		grown := b.grown
		b.mu.Unlock()
		select {
		case <-grown:
		case <-stop:
			return false
		case <-deadline.C:
			return false
		}
	}
}

func containsAll(s string, parts []string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// Msg is a message a watching client received.
type Msg struct {
	Topic    string
	Payload  string
	Retained bool
	QoS      byte
}

// Client connects a Go client (paho, no auto-reconnect) for the test to
// publish with and watch through; it disconnects when the test ends.
func (b *Broker) Client(t testing.TB, id string, configure ...func(*paho.ClientOptions)) paho.Client {
	t.Helper()
	o := paho.NewClientOptions().AddBroker(strings.Replace(b.URL, "tls://", "ssl://", 1)).
		SetClientID(id).SetAutoReconnect(false).SetProtocolVersion(4)
	for _, f := range configure {
		f(o)
	}
	c := paho.NewClient(o)
	if tok := c.Connect(); !tok.WaitTimeout(Timeout) || tok.Error() != nil {
		t.Fatalf("test client %s: connect to %s: %v", id, b.URL, tok.Error())
	}
	t.Cleanup(func() { c.Disconnect(250) })
	return c
}

// Watch subscribes c to filter at QoS 1 and returns the messages it receives.
func Watch(t testing.TB, c paho.Client, filter string) <-chan Msg {
	t.Helper()
	ch := make(chan Msg, 100000)
	tok := c.Subscribe(filter, 1, func(_ paho.Client, m paho.Message) {
		select {
		case ch <- Msg{m.Topic(), string(m.Payload()), m.Retained(), m.Qos()}:
		default:
			t.Errorf("watch %s: too many messages unread", filter)
		}
	})
	if !tok.WaitTimeout(Timeout) || tok.Error() != nil {
		t.Fatalf("subscribe %s: %v", filter, tok.Error())
	}
	return ch
}

// Until reads messages from ch until one satisfies ok and returns it; it
// fails the test after Timeout, saying what it was waiting for.
func Until(t testing.TB, ch <-chan Msg, what string, ok func(Msg) bool) Msg {
	t.Helper()
	deadline := time.NewTimer(Timeout)
	defer deadline.Stop()
	var seen []string
	for {
		select {
		case m := <-ch:
			if ok(m) {
				return m
			}
			seen = append(seen, m.Topic+" "+strconv.Quote(m.Payload))
		case <-deadline.C:
			t.Fatalf("no message %s within %v; received:\n%s", what, Timeout, strings.Join(seen, "\n"))
		}
	}
}

// Certs are a test CA and a server certificate it signed for 127.0.0.1
// and localhost, as PEM files.
type Certs struct {
	CA, ServerCert, ServerKey string
}

// NewCerts writes a fresh CA and server certificate into a temporary
// directory.
func NewCerts(t testing.TB) *Certs {
	t.Helper()
	dir := t.TempDir()
	caKey, caCert, caDER := newCert(t, nil, nil, &x509.Certificate{
		Subject:               pkix.Name{CommonName: "moonpin test CA"},
		IsCA:                  true,
		KeyUsage:              x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
	})
	srvKey, _, srvDER := newCert(t, caKey, caCert, &x509.Certificate{
		Subject:     pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:    []string{"localhost"},
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	})
	keyDER, err := x509.MarshalPKCS8PrivateKey(srvKey)
	if err != nil {
		t.Fatal(err)
	}
	c := &Certs{
		CA:         filepath.Join(dir, "ca.pem"),
		ServerCert: filepath.Join(dir, "server.pem"),
		ServerKey:  filepath.Join(dir, "server.key"),
	}
	for file, block := range map[string]*pem.Block{
		c.CA:         {Type: "CERTIFICATE", Bytes: caDER},
		c.ServerCert: {Type: "CERTIFICATE", Bytes: srvDER},
		c.ServerKey:  {Type: "PRIVATE KEY", Bytes: keyDER},
	} {
		if err := os.WriteFile(file, pem.EncodeToMemory(block), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// newCert makes a key and a certificate from template, signed by parent
// (self-signed when parent is nil).
func newCert(t testing.TB, parentKey *ecdsa.PrivateKey, parent, template *x509.Certificate) (*ecdsa.PrivateKey, *x509.Certificate, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		t.Fatal(err)
	}
	template.SerialNumber = serial
	template.NotBefore = time.Now().Add(-time.Hour)
	template.NotAfter = time.Now().Add(24 * time.Hour)
	if parent == nil {
		parent, parentKey = template, key
	}
	der, err := x509.CreateCertificate(rand.Reader, template, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return key, cert, der
}
