package loop_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/moonpin/moonpin/interp/loop"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// start runs l on its own goroutine until the test ends.
func start(t *testing.T, l *loop.Loop) {
	t.Helper()
	stop, done := make(chan struct{}), make(chan struct{})
	go func() { defer close(done); l.Run(stop) }()
	t.Cleanup(func() { close(stop); <-done })
}

// call runs fn on the loop goroutine and waits for it.
func call(t *testing.T, l *loop.Loop, fn func()) {
	t.Helper()
	done := make(chan struct{})
	if err := l.Post(func() { fn(); close(done) }); err != nil {
		t.Fatal(err)
	}
	recv(t, done)
}

func recv[T any](t *testing.T, c <-chan T) T {
	t.Helper()
	select {
	case v := <-c:
		return v
	case <-time.After(5 * time.Second):
		t.Fatal("timed out waiting for the loop")
		panic("unreachable")
	}
}

func TestPostRunsInOrderOnOneGoroutine(t *testing.T) {
	l := loop.New(nil)
	start(t, l)
	const producers, each = 4, 500
	var mu sync.Mutex
	last := make([]int, producers)
	var wg sync.WaitGroup
	for p := range producers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 1; i <= each; i++ {
				l.Post(func() {
					mu.Lock()
					defer mu.Unlock()
					if last[p] != i-1 {
						t.Errorf("producer %d: job %d ran after %d", p, i, last[p])
					}
					last[p] = i
				})
			}
		}()
	}
	wg.Wait()
	call(t, l, func() {})
	for p, n := range last {
		if n != each {
			t.Errorf("producer %d: %d jobs ran, want %d", p, n, each)
		}
	}
}

func TestEveryFiresEachPeriodUntilStopped(t *testing.T) {
	clock := loop.NewFakeClock(epoch)
	l := loop.New(clock)
	start(t, l)
	ticks := make(chan time.Time, 10)
	var tm *loop.Timer
	call(t, l, func() { tm = l.Every(100*time.Millisecond, func() { ticks <- clock.Now() }) })
	for i := 1; i <= 3; i++ {
		clock.Advance(100 * time.Millisecond)
		if got, want := recv(t, ticks), epoch.Add(time.Duration(i)*100*time.Millisecond); !got.Equal(want) {
			t.Fatalf("tick %d at %v, want %v", i, got, want)
		}
	}
	call(t, l, func() {
		if !tm.Stop() {
			t.Error("Stop of an active timer returned false")
		}
	})
	clock.Advance(time.Second)
	call(t, l, func() {})
	if len(ticks) != 0 {
		t.Fatalf("%d ticks after Stop", len(ticks))
	}
}

func TestAfterFiresOnceAndTimersRunInDeadlineOrder(t *testing.T) {
	clock := loop.NewFakeClock(epoch)
	l := loop.New(clock)
	start(t, l)
	order := make(chan string, 10)
	call(t, l, func() {
		l.After(30*time.Millisecond, func() { order <- "c" })
		l.After(10*time.Millisecond, func() { order <- "a" })
		l.After(20*time.Millisecond, func() { order <- "b" })
	})
	clock.Advance(time.Second)
	for _, want := range []string{"a", "b", "c"} {
		if got := recv(t, order); got != want {
			t.Fatalf("got %s, want %s", got, want)
		}
	}
	clock.Advance(time.Second)
	call(t, l, func() {})
	if len(order) != 0 {
		t.Fatal("a one-shot timer fired twice")
	}
}

func TestSleepRunsTimersAndReturnsAfterDuration(t *testing.T) {
	clock := loop.NewFakeClock(epoch)
	l := loop.New(clock)
	fired := 0
	l.Every(100*time.Millisecond, func() { fired++ })
	result := make(chan error)
	waiting := clock.Waiting()
	go func() { result <- l.Sleep(nil, 350*time.Millisecond) }()
	for range 4 {
		<-waiting
		waiting = clock.Waiting()
		clock.Advance(100 * time.Millisecond)
	}
	if err := recv(t, result); err != nil {
		t.Fatal(err)
	}
	if fired != 3 {
		t.Fatalf("timer fired %d times during a 350 ms sleep, want 3", fired)
	}
	if got := clock.Now().Sub(epoch); got < 350*time.Millisecond {
		t.Fatalf("Sleep returned at +%v, before its 350 ms", got)
	}
}

func TestSleepStopsWhenDoneCloses(t *testing.T) {
	l := loop.New(nil)
	done := make(chan struct{})
	result := make(chan error)
	go func() { result <- l.Sleep(done, time.Hour) }()
	close(done)
	if err := recv(t, result); !errors.Is(err, loop.ErrInterrupted) {
		t.Fatalf("Sleep returned %v, want ErrInterrupted", err)
	}
}

func TestPeriodicCallbackThatSleepsDoesNotReenter(t *testing.T) {
	clock := loop.NewFakeClock(epoch)
	l := loop.New(clock)
	depth, maxDepth, runs := 0, 0, 0
	l.Every(10*time.Millisecond, func() {
		runs++
		depth++
		maxDepth = max(maxDepth, depth)
		l.Sleep(nil, 25*time.Millisecond)
		depth--
	})
	result := make(chan error)
	waiting := clock.Waiting()
	go func() { result <- l.Sleep(nil, 100*time.Millisecond) }()
	for {
		select {
		case err := <-result:
			if err != nil {
				t.Fatal(err)
			}
			if maxDepth != 1 || runs < 2 {
				t.Fatalf("runs=%d maxDepth=%d, want several runs never nested", runs, maxDepth)
			}
			return
		case <-waiting:
			waiting = clock.Waiting()
			clock.AdvanceToNext()
		case <-time.After(5 * time.Second):
			t.Fatal("timed out")
		}
	}
}

type closeCounter struct{ n *int }

func (c closeCounter) Close() error { *c.n++; return nil }

func TestCloseStopsTimersAndClosesTracked(t *testing.T) {
	l := loop.New(nil)
	closed := 0
	l.Track(closeCounter{&closed})
	untrack := l.Track(closeCounter{&closed})
	untrack()
	tm := l.Every(time.Millisecond, func() { t.Error("timer ran after Close") })
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if closed != 1 {
		t.Fatalf("Close closed %d resources, want 1 (one was untracked)", closed)
	}
	if tm.Active() {
		t.Fatal("timer still active after Close")
	}
	if err := l.Post(func() {}); !errors.Is(err, loop.ErrClosed) {
		t.Fatalf("Post after Close: %v, want ErrClosed", err)
	}
}

type panicCloser struct{}

func (panicCloser) Close() error { panic("driver failed in Close") }

// A tracked resource whose Close panics (driver code: a device's halt, a
// bus's close) fails the reset with an error; the others still close and
// the process lives on.
func TestResetSurvivesAPanickingClose(t *testing.T) {
	l := loop.New(nil)
	closed := 0
	l.Track(closeCounter{&closed})
	l.Track(panicCloser{})
	l.Track(closeCounter{&closed})
	if err := l.Reset(); err == nil || err.Error() != "closing loop_test.panicCloser: driver failed in Close" {
		t.Fatalf("Reset returned %v, want the panic as an error", err)
	}
	if closed != 2 || l.Tracked() != 0 {
		t.Fatalf("closed %d, %d still tracked; want 2 and 0", closed, l.Tracked())
	}
}

func TestRunUntilIdleWaitsForTimersAndHolds(t *testing.T) {
	clock := loop.NewFakeClock(epoch)
	l := loop.New(clock)
	release := l.Hold()
	l.After(50*time.Millisecond, func() { release() })
	idle := make(chan bool)
	// Asked before the loop starts: Waiting only tells of timers made later.
	waiting := clock.Waiting()
	go func() { idle <- l.RunUntilIdle(nil) }()
	<-waiting
	select {
	case <-idle:
		t.Fatal("RunUntilIdle returned with a timer and a hold outstanding")
	default:
	}
	clock.Advance(50 * time.Millisecond)
	if !recv(t, idle) {
		t.Fatal("RunUntilIdle reported it was stopped")
	}
}

// TestRunUntilIdleEnds: a job's EndIdle, or stop closing, ends RunUntilIdle
// although a periodic timer is due again at once (a busy callback that
// takes its whole period), so the loop never waits.
func TestRunUntilIdleEnds(t *testing.T) {
	for _, how := range []string{"EndIdle", "stop"} {
		t.Run(how, func(t *testing.T) {
			clock := loop.NewFakeClock(epoch)
			l := loop.New(clock)
			stop := make(chan struct{})
			runs := 0
			l.Every(time.Millisecond, func() {
				runs++
				clock.Advance(time.Millisecond)
				if runs == 3 {
					if how == "stop" {
						close(stop)
					} else {
						l.EndIdle()
					}
				}
			})
			idle := make(chan bool)
			waiting := clock.Waiting()
			go func() { idle <- l.RunUntilIdle(stop) }()
			<-waiting
			clock.Advance(time.Millisecond)
			if recv(t, idle) {
				t.Fatal("RunUntilIdle reported idle with a timer active")
			}
			if runs != 3 {
				t.Fatalf("the timer ran %d times, want 3", runs)
			}
		})
	}
}

// TestEndIdleOutsideRunUntilIdle: an EndIdle with no RunUntilIdle going
// does not end the next one early.
func TestEndIdleOutsideRunUntilIdle(t *testing.T) {
	l := loop.New(nil)
	l.EndIdle()
	ran := false
	l.After(0, func() { ran = true })
	if !l.RunUntilIdle(nil) || !ran {
		t.Fatalf("RunUntilIdle ended early (timer ran: %v)", ran)
	}
}

// The loop arms its wait with an absolute deadline: under load, a test's
// Advance could land between the loop reading Now and arming a relative
// timer, which then waited a whole extra period (CI saw a tick never come).
func TestFakeTimerAtAPassedDeadlineFiresAtOnce(t *testing.T) {
	clock := loop.NewFakeClock(epoch)
	clock.Advance(200 * time.Millisecond)
	c, stop := clock.TimerAt(epoch.Add(100 * time.Millisecond))
	defer stop()
	select {
	case got := <-c:
		if want := epoch.Add(200 * time.Millisecond); !got.Equal(want) {
			t.Fatalf("fired at %v, want %v", got, want)
		}
	default:
		t.Fatal("a timer armed for a time already passed did not fire")
	}
}
