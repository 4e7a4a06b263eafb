package corpus_test

import (
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/parse"
)

// parser and seeds are the default parser and the parsed seed corpus,
// built once for the package's tests (they only read them).
var (
	parser = sync.OnceValues(parse.Default)
	seeds  = sync.OnceValues(parse.Seeds)
)

// defaultParser returns the default parser.
func defaultParser(t testing.TB) *parse.Parser {
	t.Helper()
	p, err := parser()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// seedCorpus returns the parsed embedded seed corpus.
func seedCorpus(t testing.TB) *corpus.Corpus {
	t.Helper()
	c, err := seeds()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// seedIDs lists the embedded seed documents.
func seedIDs(t testing.TB) []string {
	t.Helper()
	files, err := fs.Glob(corpus.Embedded(), "seeds/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range files {
		ids = append(ids, strings.TrimSuffix(filepath.Base(f), ".txt"))
	}
	return ids
}

// parseSeed parses one embedded seed document with its manifest entry.
func parseSeed(t testing.TB, id string) *corpus.Document {
	t.Helper()
	data, err := fs.ReadFile(corpus.Embedded(), "seeds/"+id+".txt")
	if err != nil {
		t.Fatal(err)
	}
	man, err := corpus.ReadManifest(corpus.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(man.Documents, func(m corpus.Meta) bool { return m.ID == id })
	if i < 0 {
		t.Fatalf("no manifest entry for %s", id)
	}
	d, err := defaultParser(t).Parse(man.Documents[i], data)
	if err != nil {
		t.Fatalf("parse %s: %v", id, err)
	}
	return d
}

func fp(v float64) *float64 { return &v }

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
