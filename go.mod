module github.com/moonpin/moonpin

go 1.26.0

require (
	github.com/creack/pty v1.1.24 // indirect
	github.com/yuin/gopher-lua v1.1.2 // indirect
	go.bug.st/serial v1.8.0 // indirect
	go.uber.org/goleak v1.3.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/term v0.48.0 // indirect
	periph.io/x/conn/v3 v3.7.3 // indirect
	periph.io/x/devices/v3 v3.7.4 // indirect
	periph.io/x/host/v3 v3.8.5 // indirect
)

replace github.com/yuin/gopher-lua => ./third_party/gopher-lua
