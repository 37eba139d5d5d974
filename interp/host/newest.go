package host

import "sync"

// Newest keeps, for each runtime and key, the one value of a kind in use,
// where the newest a script makes takes the place of the one before: a
// client id that a broker lets connect once, a pin that is watched through
// one handle. The one before may be lost to the script (its set-up run
// again in the REPL, the old value's variable reassigned), so the module
// that swaps it out closes it. The zero Newest is ready to use.
type Newest[K, V comparable] struct {
	mu sync.Mutex
	m  map[newestKey[K]]V
}

type newestKey[K comparable] struct {
	h *Host
	k K
}

// Swap makes v the value of k in h's runtime and returns the value it
// replaces, if there was one.
func (n *Newest[K, V]) Swap(h *Host, k K, v V) (old V, ok bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.m == nil {
		n.m = map[newestKey[K]]V{}
	}
	key := newestKey[K]{h, k}
	old, ok = n.m[key]
	n.m[key] = v
	return old, ok
}

// Take removes the value of k in h's runtime and returns it, if there was one.
func (n *Newest[K, V]) Take(h *Host, k K) (v V, ok bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	key := newestKey[K]{h, k}
	v, ok = n.m[key]
	delete(n.m, key)
	return v, ok
}

// Drop removes the value of k in h's runtime if it is still v: a value that
// ends by itself leaves the one that replaced it in place.
func (n *Newest[K, V]) Drop(h *Host, k K, v V) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if key := (newestKey[K]{h, k}); n.m[key] == v {
		delete(n.m, key)
	}
}
