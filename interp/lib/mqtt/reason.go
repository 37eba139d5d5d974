package mqtt

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/eclipse/paho.mqtt.golang/packets"
)

// describe says in a few words why connecting failed or the connection was
// lost. Nothing in it comes from the configuration, so no password can leak.
func describe(err error) string {
	var dnsErr *net.DNSError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalidCert x509.CertificateInvalidError
	var verifyErr *tls.CertificateVerificationError
	var netErr net.Error
	var lost lostError
	switch {
	case errors.As(err, &lost):
		return "connection lost: " + describe(lost.err)
	case errors.Is(err, packets.ErrorRefusedBadUsernameOrPassword):
		return "the broker refused the connection: bad user name or password"
	case errors.Is(err, packets.ErrorRefusedNotAuthorised):
		return "the broker refused the connection: not authorized (check username and password)"
	case errors.Is(err, packets.ErrorRefusedIDRejected):
		return "the broker rejected the client_id"
	case errors.Is(err, packets.ErrorRefusedServerUnavailable):
		return "the broker refused the connection: server unavailable"
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return fmt.Sprintf("unknown host %s", dnsErr.Name)
	case errors.As(err, &dnsErr):
		return fmt.Sprintf("cannot look up host %s: %s", dnsErr.Name, dnsErr.Err)
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused (is the broker running and listening on that port?)"
	case errors.As(err, &unknownCA), errors.As(err, &hostErr), errors.As(err, &invalidCert), errors.As(err, &verifyErr):
		return fmt.Sprintf("TLS: the broker's certificate is not trusted (%s); give the CA that signed it with ca_file=", certReason(err))
	case errors.As(err, &netErr) && netErr.Timeout():
		return "timed out"
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return "the broker closed the connection"
	case errors.Is(err, syscall.ECONNRESET):
		return "the broker reset the connection"
	}
	// The rest can name the connection's addresses, whose ephemeral port
	// changes every attempt: the reason would be new each time, and
	// printed each time (see Wrap).
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Err != nil {
		return opErr.Op + ": " + opErr.Err.Error()
	}
	return strings.TrimPrefix(err.Error(), "network Error : ")
}

// plainPort reports whether a TLS connection attempt failed as one to a
// port that does not speak TLS does: a reset, an end of stream or a reply
// that is no TLS record.
func plainPort(err error) bool {
	var lost lostError
	var header tls.RecordHeaderError
	if errors.As(err, &lost) {
		return false
	}
	return errors.As(err, &header) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// lostError is the end of a connection that was up.
type lostError struct{ err error }

func (e lostError) Error() string { return "connection lost: " + e.err.Error() }
func (e lostError) Unwrap() error { return e.err }

// certReason is the x509 part of a TLS verification error.
func certReason(err error) string {
	var verifyErr *tls.CertificateVerificationError
	if errors.As(err, &verifyErr) {
		err = verifyErr.Err
	}
	return err.Error()
}
