package host

import "testing"

func TestSuggest(t *testing.T) {
	for _, c := range []struct {
		got   string
		names []string
		want  string
	}{
		{"adr", []string{"addr", "filter", "standby_ms"}, "addr"},
		{"Hz", []string{"bits", "hz", "mode"}, "hz"},
		{"temp", []string{"addr", "bus", "humidity", "pressure", "temperature"}, "temperature"},
		{"debounce", []string{"debounce_ms"}, "debounce_ms"},
		{"retian", []string{"qos", "retain"}, "retain"},
		{"passwrod", []string{"password", "username"}, "password"},
		{"speed", []string{"bits", "hz", "mode"}, ""},
		{"rate", []string{"addr", "range"}, ""}, // two edits from a short name: a guess too far
		{"bis", []string{"bits", "bias"}, ""},   // one edit from either: no guess
		{"", []string{"a"}, ""},
		{"x", nil, ""},
	} {
		if got := Suggest(c.got, c.names); got != c.want {
			t.Errorf("Suggest(%q, %q) = %q, want %q", c.got, c.names, got, c.want)
		}
	}
}
