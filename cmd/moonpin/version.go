package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// versionText is what `moonpin --version` prints: the version, the Go
// release and target, the commit it was built from and the versions of the
// libraries that matter on a device.
func versionText() string {
	var b strings.Builder
	fmt.Fprintf(&b, "moonpin %s\n", version)
	info, ok := debug.ReadBuildInfo()
	if !ok {
		fmt.Fprintf(&b, "%s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
		return b.String()
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	target := []string{runtime.Version(), runtime.GOOS + "/" + runtime.GOARCH}
	for _, key := range []string{"GOARM", "GOARM64", "GOAMD64", "CGO_ENABLED", "-trimpath"} {
		if v, ok := settings[key]; ok {
			target = append(target, key+"="+v)
		}
	}
	fmt.Fprintln(&b, strings.Join(target, " "))
	if rev := settings["vcs.revision"]; rev != "" {
		line := "commit " + rev
		var notes []string
		if t := settings["vcs.time"]; t != "" {
			notes = append(notes, t)
		}
		if settings["vcs.modified"] == "true" {
			notes = append(notes, "modified")
		}
		if len(notes) > 0 {
			line += " (" + strings.Join(notes, ", ") + ")"
		}
		fmt.Fprintln(&b, line)
	}
	for _, d := range info.Deps {
		name, ok := keyDeps[d.Path]
		if !ok {
			continue
		}
		v := d.Version
		if d.Replace != nil {
			v += " (patched copy in " + d.Replace.Path + ")"
		}
		fmt.Fprintf(&b, "%s %s\n", name, v)
	}
	return b.String()
}

// keyDeps are the libraries --version names.
var keyDeps = map[string]string{
	"github.com/yuin/gopher-lua": "gopher-lua",
	"periph.io/x/host/v3":        "periph host",
	"periph.io/x/conn/v3":        "periph conn",
	"periph.io/x/devices/v3":     "periph devices",
	"go.bug.st/serial":           "go.bug.st/serial",
}
