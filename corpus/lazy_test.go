package corpus_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"

	"github.com/zhengce/zhengce/corpus"
)

// lazyDoc builds a full document with units and targets, fresh on every
// call (as a store decodes one).
func lazyDoc(m corpus.Meta, units int, targets []string) *corpus.Document {
	d := &corpus.Document{Meta: m}
	for i := range units {
		d.Units = append(d.Units, &corpus.Unit{ID: fmt.Sprintf("%s/%d", m.ID, i+1), DocID: m.ID, Path: fmt.Sprint(i + 1),
			Type: corpus.TypeClause, Seq: i, Text: fmt.Sprintf("%s 的第 %d 条正文。", m.ID, i+1)})
	}
	for i, canon := range targets {
		v := float64(90 + i)
		d.Targets = append(d.Targets, &corpus.Target{ID: fmt.Sprintf("%s/1#%d", m.ID, i+1), DocID: m.ID, District: m.District,
			Indicator: canon, Canonical: canon, Unit: "%", Target: corpus.Point{Year: 2025, Value: &v}, Source: corpus.SourceText,
			UnitID: m.ID + "/1", Text: fmt.Sprintf("%s达到%g%%", canon, v), Kind: corpus.KindTarget})
	}
	return d
}

// stubLibrary is a corpus of stubs whose bodies come from full, with the
// loads counted by id.
type stubLibrary struct {
	c    *corpus.Corpus
	mu   sync.Mutex
	full map[string]func() *corpus.Document
	errs map[string]error
	load map[string]int
}

func (s *stubLibrary) loads(id string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.load[id]
}

func (s *stubLibrary) total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, v := range s.load {
		n += v
	}
	return n
}

// newStubLibrary assembles stubs of docs (made by the functions, in
// order) with a counting loader; errs fail the loads of their ids.
func newStubLibrary(t *testing.T, docs []func() *corpus.Document, errs map[string]error) *stubLibrary {
	t.Helper()
	s := &stubLibrary{full: map[string]func() *corpus.Document{}, errs: errs, load: map[string]int{}}
	var stubs []*corpus.Document
	for _, mk := range docs {
		d := mk()
		s.full[d.ID] = mk
		stubs = append(stubs, corpus.NewStub(d.Meta, d.Counts()))
	}
	c, err := corpus.Assemble(stubs, corpus.Extras{Load: func(id string) (*corpus.Document, error) {
		s.mu.Lock()
		s.load[id]++
		s.mu.Unlock()
		if err := s.errs[id]; err != nil {
			return nil, err
		}
		mk, ok := s.full[id]
		if !ok {
			return nil, corpus.Errorf(corpus.ENOTFOUND, "未找到文档：%s", id)
		}
		return mk(), nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	s.c = c
	return s
}

// threeDocs are two versions of one regulation (a older, b newer) and a
// plan with targets in another district.
func threeDocs() []func() *corpus.Document {
	return []func() *corpus.Document{
		func() *corpus.Document {
			return lazyDoc(corpus.Meta{ID: "a", Title: "某某市教育条例", IssueDate: "2020-01-01", District: "甲区"}, 2, []string{"学前三年毛入园率"})
		},
		func() *corpus.Document {
			return lazyDoc(corpus.Meta{ID: "b", Title: "某某市教育条例", IssueDate: "2023-05-01", District: "甲区"}, 1, nil)
		},
		func() *corpus.Document {
			return lazyDoc(corpus.Meta{ID: "c", Title: "乙区教育规划", District: "乙区"}, 3, []string{"学前三年毛入园率", "高中阶段毛入学率"})
		},
	}
}

// TestStubCorpus checks a corpus of stubs: Documents lists stubs with the
// counts of their bodies, Document and Unit load a body once (then from
// the cache), with the status and versions linked over the stubs, and
// the target queries load only documents that have targets.
func TestStubCorpus(t *testing.T) {
	s := newStubLibrary(t, threeDocs(), nil)
	c := s.c
	want := map[string]corpus.Counts{"a": {Units: 2, Targets: 1}, "b": {Units: 1}, "c": {Units: 3, Targets: 2}}
	for _, d := range c.Documents() {
		if !d.IsStub() || d.Units != nil || d.Targets != nil {
			t.Errorf("%s: listed with its body (stub %v)", d.ID, d.IsStub())
		}
		if d.Counts() != want[d.ID] {
			t.Errorf("%s: counts %+v, want %+v", d.ID, d.Counts(), want[d.ID])
		}
	}
	if d, ok := c.Stub("a"); !ok || !d.IsStub() {
		t.Errorf("Stub(a) = %v, %v", d, ok)
	}
	if _, ok := c.Stub("zz"); ok {
		t.Error("Stub of an unknown id found")
	}
	if n := s.total(); n != 0 {
		t.Fatalf("listing loaded %d bodies", n)
	}
	// versions are linked over the stubs; a loaded body takes them
	a, err := c.Document("a")
	if err != nil {
		t.Fatal(err)
	}
	if a.IsStub() || len(a.Units) != 2 || len(a.Targets) != 1 {
		t.Fatalf("Document(a): stub %v, %d units, %d targets", a.IsStub(), len(a.Units), len(a.Targets))
	}
	if a.Status != corpus.StatusAmended || !reflect.DeepEqual(a.Versions, []string{"b", "a"}) {
		t.Errorf("a: status %q versions %v, want %s of [b a]", a.Status, a.Versions, corpus.StatusAmended)
	}
	if a.Counts() != want["a"] {
		t.Errorf("loaded a: counts %+v", a.Counts())
	}
	b, err := c.Document("b")
	if err != nil || b.Status != corpus.StatusCurrent || !reflect.DeepEqual(b.Versions, []string{"b", "a"}) {
		t.Errorf("b: %v status %q versions %v", err, b.Status, b.Versions)
	}
	again, err := c.Document("a")
	if err != nil || again != a || s.loads("a") != 1 {
		t.Errorf("second Document(a): %v, same %v, %d loads", err, again == a, s.loads("a"))
	}
	if _, err := c.Document("zz"); corpus.ErrorCode(err) != corpus.ENOTFOUND {
		t.Errorf("Document(zz): %v, want ENOTFOUND", err)
	}
	// units load their document
	u, err := c.Unit("c/2")
	if err != nil || u.Text != "c 的第 2 条正文。" {
		t.Errorf("Unit(c/2) = %+v, %v", u, err)
	}
	for _, id := range []string{"c/9", "zz/1", "c", ""} {
		if _, err := c.Unit(id); corpus.ErrorCode(err) != corpus.ENOTFOUND {
			t.Errorf("Unit(%q): %v, want ENOTFOUND", id, err)
		}
	}
	if s.loads("c") != 1 {
		t.Errorf("c loaded %d times", s.loads("c"))
	}
	if s.loads("zz") != 0 {
		t.Errorf("a unit of an unknown document was loaded %d times", s.loads("zz"))
	}

	t.Run("targets", func(t *testing.T) {
		s := newStubLibrary(t, threeDocs(), nil)
		ts := s.c.Targets(corpus.TargetFilter{})
		var ids []string
		for _, tg := range ts {
			ids = append(ids, tg.ID)
		}
		if !reflect.DeepEqual(ids, []string{"a/1#1", "c/1#1", "c/1#2"}) {
			t.Errorf("targets %v", ids)
		}
		if s.loads("a") != 1 || s.loads("b") != 0 || s.loads("c") != 1 {
			t.Errorf("Targets loaded a %d, b %d, c %d times; want the documents with targets once", s.loads("a"), s.loads("b"), s.loads("c"))
		}
		if ts := s.c.Targets(corpus.TargetFilter{Query: "入园率", Districts: []string{"乙区"}}); len(ts) != 1 || ts[0].ID != "c/1#1" {
			t.Errorf("filtered targets %v", ts)
		}
		cmp := s.c.CompareTargets("学前三年毛入园率")
		if len(cmp) != 1 || len(cmp[0].Districts) != 2 || len(cmp[0].Districts[0].Targets) != 1 || len(cmp[0].Districts[1].Targets) != 1 {
			t.Errorf("comparison %+v", cmp)
		}
		if s.loads("b") != 0 || s.total() != 2 {
			t.Errorf("target queries loaded %v", s.load)
		}
	})
}

// TestStubCacheEvicts loads many more documents than the cache keeps,
// from several goroutines: every load is right, and the oldest are
// loaded again once evicted.
func TestStubCacheEvicts(t *testing.T) {
	const n = 300
	var docs []func() *corpus.Document
	for i := range n {
		id := fmt.Sprintf("d%03d", i)
		docs = append(docs, func() *corpus.Document {
			return lazyDoc(corpus.Meta{ID: id, Title: "文件" + id}, 1+i%4, nil)
		})
	}
	s := newStubLibrary(t, docs, nil)
	check := func(id string, units int) error {
		d, err := s.c.Document(id)
		if err != nil {
			return err
		}
		if d.ID != id || len(d.Units) != units || d.Units[0].DocID != id {
			return fmt.Errorf("Document(%s) = %s with %d units", id, d.ID, len(d.Units))
		}
		return nil
	}
	var wg sync.WaitGroup
	errs := make(chan error, n*2)
	for w := range 4 {
		wg.Go(func() {
			for i := range n {
				j := (i + w*37) % n
				if err := check(fmt.Sprintf("d%03d", j), 1+j%4); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// sequentially: all of them, then the first again
	for i := range n {
		if err := check(fmt.Sprintf("d%03d", i), 1+i%4); err != nil {
			t.Fatal(err)
		}
	}
	before := s.loads("d000")
	if err := check("d000", 1); err != nil {
		t.Fatal(err)
	}
	if s.loads("d000") != before+1 {
		t.Errorf("d000 not evicted after %d other documents were loaded (%d loads, then %d)", n-1, before, s.loads("d000"))
	}
	if err := check("d000", 1); err != nil || s.loads("d000") != before+1 {
		t.Errorf("d000 loaded again right after it was cached: %v, %d loads", err, s.loads("d000"))
	}
}

// TestStubLoadErrors checks that a failed load surfaces from Document and
// Unit (and is not cached), that a loader returning another document is
// an internal error, and that target queries skip what cannot be loaded.
func TestStubLoadErrors(t *testing.T) {
	broken := errors.New("文档库损坏")
	s := newStubLibrary(t, threeDocs(), map[string]error{"c": broken})
	if _, err := s.c.Document("c"); !errors.Is(err, broken) {
		t.Errorf("Document(c): %v, want the load error", err)
	}
	if _, err := s.c.Unit("c/1"); !errors.Is(err, broken) {
		t.Errorf("Unit(c/1): %v, want the load error", err)
	}
	if s.loads("c") != 2 {
		t.Errorf("a failed load was cached: %d loads", s.loads("c"))
	}
	if ts := s.c.Targets(corpus.TargetFilter{}); len(ts) != 1 || ts[0].DocID != "a" {
		t.Errorf("targets with c unreadable: %v", ts)
	}
	// the loader answers with another document
	s.mu.Lock()
	s.full["b"] = s.full["a"]
	s.mu.Unlock()
	if _, err := s.c.Document("b"); corpus.ErrorCode(err) != corpus.EINTERNAL {
		t.Errorf("Document(b) given a's body: %v, want EINTERNAL", err)
	}
}

// TestStubOriginals checks that Original of a stub corpus reads through
// Extras.Originals with the stub's format, and that a corpus without
// originals says so.
func TestStubOriginals(t *testing.T) {
	stub := corpus.NewStub(corpus.Meta{ID: "x", Format: corpus.FormatMD}, corpus.Counts{Units: 1})
	c, err := corpus.Assemble([]*corpus.Document{stub}, corpus.Extras{
		Load: func(id string) (*corpus.Document, error) {
			return lazyDoc(corpus.Meta{ID: id, Format: corpus.FormatMD}, 1, nil), nil
		},
		Originals: func(_ context.Context, id string) ([]byte, error) { return []byte("# " + id), nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	data, f, err := c.Original(context.Background(), "x")
	if err != nil || string(data) != "# x" || f != corpus.FormatMD {
		t.Errorf("Original(x) = %q, %q, %v", data, f, err)
	}
	if _, _, err := c.Original(context.Background(), "y"); corpus.ErrorCode(err) != corpus.ENOTFOUND {
		t.Errorf("Original(y): %v", err)
	}
	bare, err := corpus.Assemble([]*corpus.Document{corpus.NewStub(corpus.Meta{ID: "x"}, corpus.Counts{})}, corpus.Extras{
		Load: func(id string) (*corpus.Document, error) { return lazyDoc(corpus.Meta{ID: id}, 1, nil), nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := bare.Original(context.Background(), "x"); corpus.ErrorCode(err) != corpus.ENOTFOUND {
		t.Errorf("Original without originals: %v, want ENOTFOUND", err)
	}
}
