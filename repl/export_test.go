package repl

// Discards counts the output discards (Ctrl-C) so far: a test that sends
// Ctrl-C waits for it to have been acted on before it reads what follows.
func (d *Device) Discards() uint64 {
	d.out.mu.Lock()
	defer d.out.mu.Unlock()
	return d.out.cut
}
