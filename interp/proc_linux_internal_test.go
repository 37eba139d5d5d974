package interp

import (
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// TestKillLeftGroupsSparesOtherSessions: a group number kept for what a
// command left running may since have become another group's; one whose
// members are in another session is not killed, one in moonpin's is.
func TestKillLeftGroupsSparesOtherSessions(t *testing.T) {
	start := func(attr *syscall.SysProcAttr) *exec.Cmd {
		cmd := exec.Command("sleep", "60")
		cmd.SysProcAttr = attr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		return cmd
	}
	other := start(&syscall.SysProcAttr{Setsid: true}) // leads its own group, in its own session
	ours := start(&syscall.SysProcAttr{Setpgid: true})
	killLeftGroups(other.Process.Pid, ours.Process.Pid)
	done := make(chan error, 1)
	go func() { done <- ours.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the group in moonpin's session was not killed")
	}
	if err := other.Process.Signal(syscall.Signal(0)); err != nil {
		t.Fatalf("the group of another session was killed: %v", err)
	}
}
