package mqtt

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/moonpin/moonpin/hal"
)

// CheckTopic accepts a topic to publish to: not empty, no wildcards, no NUL,
// valid UTF-8 of at most 65535 bytes (MQTT 3.1.1, 4.7).
func CheckTopic(topic string) error {
	if err := checkName(topic, "topic"); err != nil {
		return err
	}
	if strings.ContainsAny(topic, "+#") {
		return fmt.Errorf("topic %s has a wildcard (+ or #); wildcards are for subscribe, a publish names one topic", hal.Quoted(topic))
	}
	return nil
}

// CheckFilter accepts a subscription filter: # only as the whole last level,
// + only as a whole level.
func CheckFilter(filter string) error {
	if err := checkName(filter, "filter"); err != nil {
		return err
	}
	levels := strings.Split(filter, "/")
	for i, l := range levels {
		switch {
		case strings.Contains(l, "#") && (l != "#" || i != len(levels)-1):
			return fmt.Errorf("filter %s: # must be a whole level and the last one, as in \"a/#\"", hal.Quoted(filter))
		case strings.Contains(l, "+") && l != "+":
			return fmt.Errorf("filter %s: + must be a whole level, as in \"a/+/c\"", hal.Quoted(filter))
		}
	}
	return nil
}

func checkName(s, what string) error {
	switch {
	case s == "":
		return fmt.Errorf("empty %s", what)
	case len(s) > 65535:
		return fmt.Errorf("%s of %d bytes is over MQTT's 65535", what, len(s))
	case !utf8.ValidString(s):
		return fmt.Errorf("%s %s is not valid UTF-8", what, hal.Quoted(s))
	case strings.ContainsRune(s, 0):
		return fmt.Errorf("%s %s contains a NUL byte", what, hal.Quoted(s))
	}
	return nil
}

// Match reports whether topic matches filter. Wildcards at the first level
// do not match topics that start with $ ($SYS/...), as MQTT 3.1.1, 4.7.2 says.
func Match(filter, topic string) bool {
	if strings.HasPrefix(topic, "$") && (strings.HasPrefix(filter, "+") || strings.HasPrefix(filter, "#")) {
		return false
	}
	for {
		f, fRest, fMore := strings.Cut(filter, "/")
		if f == "#" {
			return true
		}
		t, tRest, tMore := strings.Cut(topic, "/")
		if f != "+" && f != t {
			return false
		}
		if !fMore || !tMore {
			// "a/#" matches "a" too: the # stands for the parent level as well.
			return fMore == tMore || (fMore && fRest == "#")
		}
		filter, topic = fRest, tRest
	}
}
