package host

import "testing"

func TestNewest(t *testing.T) {
	var n Newest[string, int]
	a, b := &Host{}, &Host{}
	if _, ok := n.Swap(a, "k", 1); ok {
		t.Fatal("a first value replaced one")
	}
	if old, ok := n.Swap(a, "k", 2); !ok || old != 1 {
		t.Fatalf("Swap = %d, %v; want 1, true", old, ok)
	}
	if _, ok := n.Swap(b, "k", 3); ok {
		t.Fatal("another runtime's value replaced one")
	}
	n.Drop(a, "k", 1) // replaced already: 2 stays
	if v, ok := n.Take(a, "k"); !ok || v != 2 {
		t.Fatalf("Take = %d, %v; want 2, true", v, ok)
	}
	if _, ok := n.Take(a, "k"); ok {
		t.Fatal("Take twice found a value")
	}
	n.Drop(b, "k", 3)
	if _, ok := n.Take(b, "k"); ok {
		t.Fatal("Drop left the value")
	}
}
