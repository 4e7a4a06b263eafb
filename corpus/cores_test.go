package corpus_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/zhengce/zhengce/corpus"
)

// TestCores checks the bound: n steps hold cores at once, a further one
// waits for a release, and a nil *Cores bounds nothing.
func TestCores(t *testing.T) {
	var none *corpus.Cores
	none.Acquire()
	none.Acquire()
	none.Release()
	if none.Busy() != 0 {
		t.Errorf("nil Cores busy %d", none.Busy())
	}
	if got := corpus.NewCores(0).Busy(); got != 0 {
		t.Errorf("new Cores busy %d", got)
	}
	c := corpus.NewCores(2)
	c.Acquire()
	c.Acquire()
	if c.Busy() != 2 {
		t.Fatalf("busy %d after two acquires, want 2", c.Busy())
	}
	got := make(chan struct{})
	go func() {
		c.Acquire()
		close(got)
	}()
	select {
	case <-got:
		t.Fatal("a third step took a core of two")
	default:
	}
	c.Release()
	<-got // the waiting step gets the released core
	if c.Busy() != 2 {
		t.Errorf("busy %d, want 2", c.Busy())
	}
	c.Release()
	c.Release()
	if c.Busy() != 0 {
		t.Errorf("busy %d after every release", c.Busy())
	}
}

// coresParser is countingParser that records, for every file, whether
// its Loader held a core while parsing it, and how many files were
// parsed at once.
type coresParser struct {
	countingParser
	cores      *corpus.Cores
	idle       atomic.Int64 // files parsed while no core was held
	running    atomic.Int64
	mostAtOnce atomic.Int64
}

func (p *coresParser) Parse(m corpus.Meta, data []byte) (*corpus.Document, error) {
	n := p.running.Add(1)
	defer p.running.Add(-1)
	for {
		most := p.mostAtOnce.Load()
		if n <= most || p.mostAtOnce.CompareAndSwap(most, n) {
			break
		}
	}
	if p.cores.Busy() < 1 {
		p.idle.Add(1)
	}
	return p.countingParser.Parse(m, data)
}

// TestLoaderHoldsCores checks that a Loader with Cores parses each file
// holding a core, never more files at once than there are cores, and
// frees them all.
func TestLoaderHoldsCores(t *testing.T) {
	dir, _ := streamFolder(t, 40)
	for _, n := range []int{1, 3} {
		p := &coresParser{cores: corpus.NewCores(n)}
		l := &corpus.Loader{Parser: p, Cores: p.cores}
		docs := 0
		if _, _, err := l.StreamDir(context.Background(), dir, func(b *corpus.Corpus) error {
			docs += len(b.Documents())
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if docs < 40 || int64(docs) != p.n.Load() {
			t.Errorf("cores %d: %d documents of %d files parsed, want every one of at least 40", n, docs, p.n.Load())
		}
		if p.n.Load() == 0 || p.idle.Load() != 0 {
			t.Errorf("cores %d: %d of %d files parsed without holding a core", n, p.idle.Load(), p.n.Load())
		}
		if most := p.mostAtOnce.Load(); most > int64(n) {
			t.Errorf("cores %d: %d files parsed at once", n, most)
		}
		if p.cores.Busy() != 0 {
			t.Errorf("cores %d: %d still held after the load", n, p.cores.Busy())
		}
	}
}
