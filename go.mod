module github.com/moonpin/moonpin

go 1.25.0

require (
	github.com/creack/pty v1.1.24
	github.com/yuin/gopher-lua v1.1.2
	go.bug.st/serial v1.8.0
	go.uber.org/goleak v1.3.0
	golang.org/x/sys v0.43.0
	golang.org/x/term v0.36.0
	periph.io/x/conn/v3 v3.7.3
	periph.io/x/devices/v3 v3.7.4
	periph.io/x/host/v3 v3.8.5
)

replace github.com/yuin/gopher-lua => ./third_party/gopher-lua
