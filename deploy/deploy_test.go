package deploy

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite moonpin.service from the template")

// TestServiceFileIsTheDefaultUnit keeps moonpin.service, the unit people
// read and copy, the one `moonpin install` writes by default.
func TestServiceFileIsTheDefaultUnit(t *testing.T) {
	want, err := RenderUnit(Defaults)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("moonpin.service", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile("moonpin.service")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("moonpin.service differs from RenderUnit(Defaults); regenerate it with go test ./deploy -update\n%s", want)
	}
}

func TestRenderUnit(t *testing.T) {
	u := Defaults
	u.Port, u.Root, u.User, u.Groups = "/dev/ttyAMA0", "/home/pi/lua", "pi", []string{"gpio", "i2c"}
	text, err := RenderUnit(u)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"\nUser=pi\nSupplementaryGroups=gpio i2c\n",
		"\nExecStart=/usr/local/bin/moonpin --port /dev/ttyAMA0 --baud 115200 --root /home/pi/lua $MOONPIN_OPTS\n",
		"\nRestart=on-failure\n",
		"\nEnvironmentFile=-/etc/default/moonpin\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("unit lacks %q:\n%s", want, text)
		}
	}
}
