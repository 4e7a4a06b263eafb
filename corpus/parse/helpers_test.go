package parse

import (
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/zhengce/zhengce/corpus"
)

// defaultParser is the default parser, built once for the package's
// tests.
var defaultParser = sync.OnceValues(Default)

// parseDefault is Parser.Parse with the default parser.
func parseDefault(meta corpus.Meta, data []byte) (*corpus.Document, error) {
	p, err := defaultParser()
	if err != nil {
		return nil, err
	}
	return p.Parse(meta, data)
}

// parseSourceDefault is Parser.ParseSource with the default parser.
func parseSourceDefault(meta corpus.Meta, src *corpus.Source) (*corpus.Document, error) {
	p, err := defaultParser()
	if err != nil {
		return nil, err
	}
	return p.ParseSource(meta, src)
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

func itoa(n int) string { return strconv.Itoa(n) }
