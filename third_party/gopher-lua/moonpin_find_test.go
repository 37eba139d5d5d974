package lua

import (
	"strings"
	"testing"
)

// indexLooking finds what strings.Index finds, wherever the match falls
// against its pieces: across a boundary, right at one, in the last piece,
// with a needle longer than a piece, and none.
func TestMoonpinIndexLookingAcrossPieces(t *testing.T) {
	L := NewState()
	defer L.Close()
	long := strings.Repeat("n", findPiece+10)
	for _, c := range []struct {
		name     string
		s, sub   string
		wantSome bool
	}{
		{"across a boundary", strings.Repeat("a", findPiece-3) + "needle" + strings.Repeat("a", 100), "needle", true},
		{"at a boundary", strings.Repeat("a", findPiece) + "needle", "needle", true},
		{"just before a boundary", strings.Repeat("a", findPiece-6) + "needle" + strings.Repeat("a", findPiece), "needle", true},
		{"in the last piece", strings.Repeat("a", 3*findPiece+5) + "needle", "needle", true},
		{"twice, the first found", strings.Repeat("a", findPiece-2) + "needle" + strings.Repeat("a", findPiece) + "needle", "needle", true},
		{"longer than a piece", "xx" + long + "yy", long, true},
		{"none", strings.Repeat("a", 2*findPiece+7), "needle", false},
		{"empty needle", strings.Repeat("a", 2*findPiece), "", true},
		{"short subject", "hello moon", "moon", true},
	} {
		want := strings.Index(c.s, c.sub)
		if got := indexLooking(L, c.s, c.sub); got != want || (want >= 0) != c.wantSome {
			t.Errorf("%s: %d, want %d", c.name, got, want)
		}
	}
	if hasSpecials(L, strings.Repeat("a", 2*findPiece)) || !hasSpecials(L, strings.Repeat("a", 2*findPiece)+"%") {
		t.Error("hasSpecials is wrong past the first piece")
	}
}
