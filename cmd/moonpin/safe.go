package main

import (
	"fmt"
	"time"

	"github.com/moonpin/moonpin/hal"
	"periph.io/x/conn/v3/gpio"
)

// safePinSettle is how long the safe pin must read low twice over: its
// pull-up has long charged the line by then, and a bouncing button or a
// glitch does not make a safe boot.
const safePinSettle = 10 * time.Millisecond

// safePinHeld reports whether the pin named is held low: read as an input
// with its pull-up on, low at first and still low safePinSettle later. The
// pin is released again either way.
func safePinHeld(board hal.Board, name string, wait func(time.Duration)) (bool, error) {
	p, err := board.Pin(name)
	if err != nil {
		return false, err
	}
	defer p.Close()
	if err := p.In(gpio.PullUp, gpio.NoEdge); err != nil {
		return false, fmt.Errorf("pin %s: %w", name, err)
	}
	if p.Read() != gpio.Low {
		return false, nil
	}
	wait(safePinSettle)
	return p.Read() == gpio.Low, nil
}

// bootPlan is what this start runs: boot.lua and main.lua, or neither
// (safe, with the reason for the REPL), and what moonpin should tell the
// user about its configuration.
type bootPlan struct {
	safeReason string
	notices    []string
	counter    *bootCounter // nil unless the start is recorded
}

// planBoot decides whether this start is safe: --safe, the safe pin held
// low, or a crash loop on record for the root. A safe pin the board does not
// have, or a record that cannot be written, is a notice, not a failure: the
// REPL must come up.
func planBoot(c *config, board hal.Board, root string) bootPlan {
	var plan bootPlan
	if c.safe {
		plan.safeReason = "--safe"
		return plan
	}
	if c.safePin != "" {
		held, err := safePinHeld(board, c.safePin, time.Sleep)
		switch {
		case err != nil:
			plan.notices = append(plan.notices, fmt.Sprintf("--safe-pin %s: %v; booting normally", c.safePin, err))
		case held:
			plan.safeReason = c.safePin + " held low at start"
			return plan
		}
	}
	counter := newBootCounter(root)
	crashLoop, err := counter.begin()
	switch {
	case err != nil:
		plan.notices = append(plan.notices, fmt.Sprintf("crash-loop guard off: %v", err))
	case crashLoop:
		plan.safeReason = fmt.Sprintf("boot.lua or main.lua crashed moonpin %d times in a row within a minute", crashLimit)
	default:
		plan.counter = counter
	}
	return plan
}

// stopCleanly forgets the starts on record: this process did not crash.
func (p bootPlan) stopCleanly() error {
	if p.counter == nil {
		return nil
	}
	return p.counter.clear()
}
