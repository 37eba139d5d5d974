package interp_test

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/moonpin/moonpin/interp"
	"github.com/moonpin/moonpin/interp/interptest"
	lua "github.com/yuin/gopher-lua"
)

// The workloads live in bench/ so that bench/run.sh can time the same files
// under the reference lua5.1.
var workloads = []string{"fib", "loop", "pattern"}

func workload(b *testing.B, name string) string {
	code, err := os.ReadFile(filepath.Join("..", "bench", name+".lua"))
	if err != nil {
		b.Fatal(err)
	}
	return string(code)
}

// BenchmarkBare runs the workloads on a bare gopher-lua state with no
// context: the baseline for the runtime's overhead.
func BenchmarkBare(b *testing.B) {
	for _, name := range workloads {
		code := workload(b, name)
		b.Run(name, func(b *testing.B) {
			L := lua.NewState()
			defer L.Close()
			fn, err := L.LoadString(code)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				L.Push(fn)
				if err := L.PCall(0, 0, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRuntime runs the same workloads under the moonpin Runtime: its
// interrupt context, memory guard and loop goroutine.
func BenchmarkRuntime(b *testing.B) {
	for _, name := range workloads {
		code := workload(b, name)
		b.Run(name, func(b *testing.B) {
			rt, _ := interptest.New(b, &interp.Options{MemLimit: 256 << 20})
			for b.Loop() {
				if err := rt.Exec(name, code); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkInterrupt measures from Interrupt to the chunk returning, for a
// tight loop (ns/op is the latency).
func BenchmarkInterrupt(b *testing.B) {
	rt, _ := interptest.New(b, nil)
	var total time.Duration
	for b.Loop() {
		result := make(chan error, 1)
		go func() { result <- rt.Exec("spin", `while true do end`) }()
		for !rt.Busy() {
			runtime.Gosched()
		}
		start := time.Now()
		rt.Interrupt()
		<-result
		total += time.Since(start)
	}
	b.ReportMetric(float64(total.Microseconds())/float64(b.N), "µs/interrupt")
}
