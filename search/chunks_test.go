package search

import (
	"slices"
	"testing"
)

// TestChunked checks growing chunked arrays: values kept, full chunks
// shared, the short last chunk copied, every index reachable.
func TestChunked(t *testing.T) {
	for _, tc := range []struct{ from, to int }{
		{0, 0}, {0, 5}, {0, chunkSize}, {0, chunkSize + 1}, {3, 3}, {3, 10},
		{chunkSize - 1, chunkSize}, {chunkSize - 1, 3*chunkSize + 7}, {chunkSize, chunkSize + 1}, {2*chunkSize + 5, 2*chunkSize + 9},
	} {
		s := make([]int32, tc.from)
		for i := range s {
			s[i] = int32(i) + 1
		}
		a := chunksOf(s)
		if a.n != tc.from {
			t.Fatalf("chunksOf: n %d, want %d", a.n, tc.from)
		}
		b := a.grown(tc.to)
		if b.n != tc.to {
			t.Fatalf("%d → %d: n %d", tc.from, tc.to, b.n)
		}
		total := 0
		for k, c := range b.c {
			if k < len(b.c)-1 && len(c) != chunkSize {
				t.Fatalf("%d → %d: chunk %d of %d values", tc.from, tc.to, k, len(c))
			}
			total += len(c)
		}
		if total != tc.to {
			t.Fatalf("%d → %d: chunks hold %d values", tc.from, tc.to, total)
		}
		for i := range tc.to {
			want := int32(0)
			if i < tc.from {
				want = int32(i) + 1
			}
			if got := *b.at(int32(i)); got != want {
				t.Fatalf("%d → %d: value %d is %d, want %d", tc.from, tc.to, i, got, want)
			}
		}
		// writing the new values leaves a's alone
		for i := tc.from; i < tc.to; i++ {
			*b.at(int32(i)) = -1
		}
		for i := range tc.from {
			if *a.at(int32(i)) != int32(i)+1 {
				t.Fatalf("%d → %d: growing changed value %d of the original", tc.from, tc.to, i)
			}
		}
		if tc.from >= chunkSize && &a.c[0][0] != &b.c[0][0] {
			t.Errorf("%d → %d: full chunk copied, not shared", tc.from, tc.to)
		}
		if !slices.Equal(s, flatten(a)) {
			t.Errorf("%d: chunks differ from the slice", tc.from)
		}
	}
}

func flatten[T any](a chunked[T]) []T {
	out := make([]T, 0, a.n)
	for _, c := range a.c {
		out = append(out, c...)
	}
	return out
}
