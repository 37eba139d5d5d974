package fs

// ForgetWrites clears Wrote's record, for a test.
func ForgetWrites() { wrote.Store(false) }
