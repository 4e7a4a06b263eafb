package corpus

// Cores shares the machine's cores between the steps of a pipelined
// build: a step holds a core (Acquire … Release) while it computes, and
// at most n steps compute at once. A streamed index build has one step
// that cannot be split — bleve's builder indexes a batch on one goroutine
// — and everything else (parsing the next batches, storing them) can be
// done in any order; when that step holds a core for as long as it runs,
// the other steps share the rest instead of slowing it down, and the
// build ends when the work does rather than when the serial step, starved
// of CPU, catches up.
//
// A nil *Cores bounds nothing. Acquire and Release are safe for concurrent
// use.
type Cores struct {
	slots chan struct{}
}

// NewCores returns Cores for n steps at once (n < 1 counts as 1).
func NewCores(n int) *Cores {
	return &Cores{slots: make(chan struct{}, max(n, 1))}
}

// Acquire blocks until a core is free and takes it. Waiting steps get
// cores in the order they asked.
func (c *Cores) Acquire() {
	if c != nil {
		c.slots <- struct{}{}
	}
}

// Release frees a core taken by Acquire.
func (c *Cores) Release() {
	if c != nil {
		<-c.slots
	}
}

// Busy returns how many cores are taken.
func (c *Cores) Busy() int {
	if c == nil {
		return 0
	}
	return len(c.slots)
}
