package bench

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"
)

// BenchmarkStartup runs `moonpin -e ""` as a whole process: the time from
// exec to exit and the peak RSS (the targets are 20 ms and 15 MB).
func BenchmarkStartup(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "moonpin")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/moonpin").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	var times []time.Duration
	var peak int64
	for b.Loop() {
		cmd := exec.Command(bin, "-e", "")
		cmd.Dir = b.TempDir()
		start := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v: %s", err, out)
		}
		times = append(times, time.Since(start))
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			peak = max(peak, ru.Maxrss) // KB on Linux
		}
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(peak)/1024, "peak-RSS-MB")
	os.Remove(bin)
}
