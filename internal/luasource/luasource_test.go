package luasource

import "testing"

func TestSkipHashLine(t *testing.T) {
	for in, want := range map[string]string{
		"#!/usr/bin/env moonpin\nprint(1)\n": "\nprint(1)\n",
		"# a comment only":                   "",
		"print(1)\n#x\n":                     "print(1)\n#x\n",
		"":                                   "",
	} {
		if got := SkipHashLine(in); got != want {
			t.Errorf("SkipHashLine(%q) = %q, want %q", in, got, want)
		}
	}
}
