package watch

import "time"

// SetClock makes w read the time from now instead of time.Now, for the
// external tests (package watch_test) that step through Settle.
func SetClock(w *Watcher, now func() time.Time) { w.clock = now }
