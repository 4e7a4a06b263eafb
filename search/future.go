package search

// future is a value computed on another goroutine: the parts of a
// Service that no search needs before its first answer of their kind
// (title lookups) are built while the rest of opening goes on.
type future[T any] struct {
	done chan struct{}
	v    T
}

// goFuture starts computing fn.
func goFuture[T any](fn func() T) *future[T] {
	f := &future[T]{done: make(chan struct{})}
	go func() {
		defer close(f.done)
		f.v = fn()
	}()
	return f
}

// get waits for the value.
func (f *future[T]) get() T {
	<-f.done
	return f.v
}
