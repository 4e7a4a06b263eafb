package search

import (
	"context"
	"math"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/zhengce/zhengce/corpus"
)

// sameColumns reports how the columns a and b differ ("" when they hold
// the same values).
func sameColumns(a, b *columns) string {
	switch {
	case a.n != b.n:
		return "entry counts differ"
	case !slices.EqualFunc(flatten(a.e), flatten(b.e), sameEntry):
		for o := range a.n {
			if !sameEntry(*a.e.at(int32(o)), *b.e.at(int32(o))) {
				return "entry " + strconv.Itoa(o) + " differs"
			}
		}
	case !slices.Equal(flatten(a.ord), flatten(b.ord)), !slices.Equal(flatten(a.seq), flatten(b.seq)):
		return "orders differ"
	case !slices.Equal(a.themeIDs, b.themeIDs):
		return "themes differ"
	case !slices.Equal(a.titlesElsewhere, b.titlesElsewhere):
		return "stray titles differ"
	case a.bytes != b.bytes:
		return "byte counts differ"
	case !slices.Equal(a.sectionDict.names, b.sectionDict.names), !slices.Equal(a.typeDict.names, b.typeDict.names),
		!slices.Equal(a.themeDict.names, b.themeDict.names), !slices.Equal(a.districtDict.names, b.districtDict.names):
		return "dictionaries differ"
	case !slices.Equal(a.docDistrict, b.docDistrict), !reflect.DeepEqual(a.docs, b.docs):
		return "document columns differ"
	case !slices.Equal(a.dead, b.dead):
		return "removed entries differ"
	}
	return ""
}

// sameEntry compares two entries' columns, a NaN target (no target)
// equal to itself.
func sameEntry(a, b entryCols) bool {
	ta, tb := math.Float64bits(a.target), math.Float64bits(b.target)
	a.target, b.target = 0, 0
	return ta == tb && a == b
}

// TestIncrementalColumns checks that after uploads, replacements and
// removals the columns a change builds on the previous Service's (sharing
// its chunks) equal the columns built from scratch for the same state,
// and that the sharing happens.
func TestIncrementalColumns(t *testing.T) {
	dir, loader, s := synthLibrary(t, 21, "base", 8)
	l := openLibrary(t, dir, loader)
	ctx := context.Background()
	var prevFirst []entryCols
	prevN := l.cur.Load().svc.cols.n
	check := func(when string, rebuilt bool) {
		t.Helper()
		ref := l.acquire()
		defer ref.mu.RUnlock()
		svc := ref.svc
		full, err := newColumns(svc.ix, svc.spans, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, sp := range svc.spans {
			if sp.dead {
				if full.dead == nil {
					full.dead = make([]bool, full.n)
				}
				for q := sp.start; q < sp.start+sp.n; q++ {
					full.dead[*full.ord.at(q)] = true
				}
			}
		}
		if want := svc.cols.n - prevN; !rebuilt && svc.cols.written != want {
			t.Errorf("%s: %d of %d entries written, want the %d added", when, svc.cols.written, svc.cols.n, want)
		}
		if rebuilt && svc.cols.written != svc.cols.n {
			t.Errorf("%s: %d of %d entries written, want all (a segment went)", when, svc.cols.written, svc.cols.n)
		}
		prevN = svc.cols.n
		if diff := sameColumns(svc.cols, full); diff != "" {
			t.Errorf("%s: incremental columns differ from a full build: %s", when, diff)
		}
		// a chunk is shared once full (TestChunked); these columns are one
		// short chunk, which a change copies: it must not be the same
		if svc.cols.written > 0 && &svc.cols.e.c[0][0] == &prevFirst[0] {
			t.Errorf("%s: a short chunk of the previous Service written in place", when)
		}
		prevFirst = svc.cols.e.c[0]
	}
	prevFirst = l.cur.Load().svc.cols.e.c[0]
	for i := range 6 {
		files := []corpus.File{{Name: "up" + strconv.Itoa(i) + ".txt", Data: []byte(s.text())}}
		if i%2 == 1 { // a new version of a base file: its old entries die
			files = append(files, corpus.File{Name: "base" + strconv.Itoa(i) + ".txt", Data: []byte(s.text())})
		}
		res, err := l.Add(ctx, "upload", files)
		if err != nil || len(res) != len(files) {
			t.Fatalf("Add: %+v, %v", res, err)
		}
		check("after upload "+strconv.Itoa(i), false)
	}
	// a document of the base segment: its entries die, nothing is written
	if _, err := l.Remove(ctx, []string{"base0"}); err != nil {
		t.Fatal(err)
	}
	check("after removing a document of the base", false)
	// the only document of a delta segment: the segment goes, the order
	// of the ordinals changes, the columns are built again
	if _, err := l.Remove(ctx, []string{"up2"}); err != nil {
		t.Fatal(err)
	}
	check("after removing a delta segment", true)
}
