package mqtt

import "time"

// SetWriteTimeout sets paho's hand-off timeout for a test and returns what
// restores it.
func SetWriteTimeout(d time.Duration) (restore func()) {
	old := writeTimeout
	writeTimeout = d
	return func() { writeTimeout = old }
}
