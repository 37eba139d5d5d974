package spi_test

import (
	"testing"

	"github.com/moonpin/moonpin/interp/interptest"
)

func TestScripts(t *testing.T) { interptest.RunScripts(t, "testdata/*.lua", nil) }
