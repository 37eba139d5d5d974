package ha

import "testing"

// isID and isKey accept what the patterns they replaced,
// ^[a-zA-Z0-9_-]+$ and ^[a-z][a-z0-9_]*$, accepted.
func TestIDsAndKeys(t *testing.T) {
	for s, want := range map[string]bool{
		"kitchen": true, "Kitchen-2_b": true, "0": true, "-": true,
		"": false, "a b": false, "a.b": false, "a/b": false, "é": false, "a\n": false, "+": false,
	} {
		if got := isID(s); got != want {
			t.Errorf("isID(%q) = %v, want %v", s, got, want)
		}
	}
	for s, want := range map[string]bool{
		"icon": true, "device_class": true, "x2": true,
		"": false, "Icon": false, "2x": false, "_x": false, "a-b": false, "a b": false, "a\n": false,
	} {
		if got := isKey(s); got != want {
			t.Errorf("isKey(%q) = %v, want %v", s, got, want)
		}
	}
}
