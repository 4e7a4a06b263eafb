package search

// chunkBits sets the size of a chunk of the served columns: 1<<16 values.
const (
	chunkBits = 16
	chunkSize = 1 << chunkBits
	chunkMask = chunkSize - 1
)

// chunked is an array of n values kept in chunks of chunkSize (the last
// may be shorter). The served columns are kept so: the Service a change
// builds shares every full chunk of the Service before it and writes only
// the values of the entries the change added, and a Service that maps its
// columns (servedFile) uses chunks of the mapping. Chunks are never
// written once a Service serves them.
type chunked[T any] struct {
	c [][]T
	n int
}

// at returns the value at i.
func (a *chunked[T]) at(i int32) *T { return &a.c[i>>chunkBits][i&chunkMask] }

// chunksOf returns the values of s as chunks sharing its memory.
func chunksOf[T any](s []T) chunked[T] {
	a := chunked[T]{n: len(s), c: make([][]T, 0, (len(s)+chunkMask)/chunkSize)}
	for lo := 0; lo < len(s); lo += chunkSize {
		a.c = append(a.c, s[lo:min(lo+chunkSize, len(s)):min(lo+chunkSize, len(s))])
	}
	return a
}

// newChunked returns n zero values.
func newChunked[T any](n int) chunked[T] {
	return chunked[T]{}.grown(n)
}

// grown returns the values of a followed by zero values up to n in all:
// a's full chunks are shared, its last chunk, when short, is copied (a
// Service serving a still reads it), the new chunks are allocated.
func (a chunked[T]) grown(n int) chunked[T] {
	out := chunked[T]{n: n, c: make([][]T, 0, (n+chunkMask)/chunkSize)}
	out.c = append(out.c, a.c...)
	filled := a.n
	if k := len(out.c); k > 0 && len(out.c[k-1]) < chunkSize && n > a.n {
		last := make([]T, min(chunkSize, len(out.c[k-1])+n-a.n))
		copy(last, out.c[k-1])
		filled += len(last) - len(out.c[k-1])
		out.c[k-1] = last
	}
	for filled < n {
		k := min(chunkSize, n-filled)
		out.c = append(out.c, make([]T, k))
		filled += k
	}
	return out
}
