package ingest

import (
	"context"
	"encoding/json"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/parse"
)

// testParser returns the default parser.
func testParser(t testing.TB) *parse.Parser {
	t.Helper()
	p, err := parse.Default()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// expectation is one entry of testdata/formats/expected.json.
type expectation struct {
	Kind        string          `json:"kind"`
	Title       json.RawMessage `json:"title"`
	MustFind    []string        `json:"must_find"`
	MustNotFind []string        `json:"must_not_find"`
}

// formatsDir holds the real files of every format and their expectations.
var formatsDir = filepath.Join("..", "..", "testdata", "formats")

func loadFormats(t *testing.T) (*corpus.Corpus, map[string]expectation) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(formatsDir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]expectation
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	r := New(Options{Parser: testParser(t), NoOCR: true})
	defer func() {
		if err := r.Close(); err != nil {
			t.Error(err)
		}
	}()
	c, err := r.Loader().LoadDir(context.Background(), formatsDir)
	if err != nil {
		t.Fatal(err)
	}
	return c, want
}

// TestFormats is the golden test of the real files of testdata/formats:
// every file is a document whose title is the expected one, every
// must_find phrase is inside one unit (so a quoted search finds it) and no
// must_not_find text (page chrome, field codes, page numbers) is in any.
func TestFormats(t *testing.T) {
	c, want := loadFormats(t)
	bySource := map[string]*corpus.Document{}
	for _, d := range c.Documents() {
		bySource[d.Source] = d
	}
	for _, r := range c.Rejected() {
		if _, ok := want[r.Source]; ok {
			t.Errorf("rejected %s: %s", r.Source, r.Reason)
		}
	}
	for file, exp := range want {
		t.Run(path.Base(file), func(t *testing.T) {
			d := bySource[file]
			if d == nil {
				t.Fatalf("%s is not a document", file)
			}
			if !titleMatches(d.Title, exp.Title) {
				t.Errorf("title %q, want %s", d.Title, exp.Title)
			}
			var texts []string
			for _, u := range d.Units {
				texts = append(texts, squeeze(u.Text))
			}
			for _, p := range exp.MustFind {
				if !anyContains(texts, squeeze(p)) {
					t.Errorf("phrase %q not in any unit", p)
				}
			}
			all := strings.Join(texts, "\n")
			for _, p := range exp.MustNotFind {
				if strings.Contains(all, squeeze(p)) {
					t.Errorf("chrome %q is searchable", p)
				}
			}
			if strings.ContainsRune(all, '\uFFFD') {
				t.Error("text holds U+FFFD")
			}
		})
	}
}

// TestSameDocumentTwoFormats checks that the same document read from two
// formats yields the same units: the texts of the units of one are found,
// whole, among those of the other.
func TestSameDocumentTwoFormats(t *testing.T) {
	c, _ := loadFormats(t)
	pairs := [][2]string{
		{"pdf/p01_海南省农机购置与应用补贴实施方案的通知.pdf", "doc/d01_海南省农机购置与应用补贴实施方案的通知.doc"},
		{"pdf/p02_2026年中央一号文件.pdf", "docx/x01_2026年中央一号文件.docx"},
	}
	bySource := map[string]*corpus.Document{}
	for _, d := range c.Documents() {
		bySource[d.Source] = d
	}
	for _, p := range pairs {
		a, b := bySource[p[0]], bySource[p[1]]
		if a == nil || b == nil {
			t.Fatalf("missing %v", p)
		}
		same, total := sameUnits(a, b)
		t.Logf("%s vs %s: %d of %d units identical", path.Base(p[0]), path.Base(p[1]), same, total)
		if float64(same) < 0.9*float64(total) {
			t.Errorf("%s vs %s: only %d of %d units identical", p[0], p[1], same, total)
		}
	}
}

// sameUnits counts the units of b (clauses, tasks, rows) whose text is also
// the text of a unit of a.
func sameUnits(a, b *corpus.Document) (same, total int) {
	have := map[string]bool{}
	for _, u := range a.Units {
		have[squeeze(u.Text)] = true
	}
	for _, u := range b.Units {
		if u.Type == corpus.TypeSection || u.Type == corpus.TypeTarget {
			continue
		}
		total++
		if have[squeeze(u.Text)] {
			same++
		}
	}
	return same, total
}

func anyContains(texts []string, p string) bool {
	for _, t := range texts {
		if strings.Contains(t, p) {
			return true
		}
	}
	return false
}

// squeeze is how quoted phrases match: NFKC, whitespace removed.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, norm.NFKC.String(s))
}

// titleMatches is formatcheck's rule: after NFKC and removal of whitespace,
// punctuation and symbols, the expected title is inside ours (ours at most
// 40 characters longer), or ours — at least half as long and at least 4
// characters — is inside the expected one.
func titleMatches(got string, raw json.RawMessage) bool {
	var one string
	var many []string
	if json.Unmarshal(raw, &one) == nil {
		many = []string{one}
	} else if json.Unmarshal(raw, &many) != nil {
		return false
	}
	g := bare(got)
	for _, w := range many {
		w = bare(w)
		gl, wl := len([]rune(g)), len([]rune(w))
		if strings.Contains(g, w) && gl-wl <= 40 {
			return true
		}
		if gl >= 4 && 2*gl >= wl && strings.Contains(w, g) {
			return true
		}
	}
	return false
}

func bare(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			return -1
		}
		return r
	}, norm.NFKC.String(s))
}

// TestPDFiumLazy checks that reading a folder without PDF files never
// starts the pdfium runtime, and that a folder with one does.
func TestPDFiumLazy(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.txt"), []byte("一、目标\n\n正文。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	html, err := os.ReadFile(filepath.Join(formatsDir, "html", "h04_thnet.gov.cn_积分入学指引_2026.html"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "b.html"), html, 0o644); err != nil {
		t.Fatal(err)
	}
	r := New(Options{Parser: testParser(t), NoOCR: true})
	defer func() {
		if err := r.Close(); err != nil {
			t.Error(err)
		}
	}()
	if _, err := r.Loader().LoadDir(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	if r.PDFStarted() {
		t.Fatal("pdfium started for a folder without PDF files")
	}
	pdf, err := os.ReadFile(filepath.Join(formatsDir, "pdf", "p02_2026年中央一号文件.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "c.pdf"), pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := r.Loader().LoadDir(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if !r.PDFStarted() || len(c.Documents()) != 3 {
		t.Fatalf("pdfium started %v, %d documents", r.PDFStarted(), len(c.Documents()))
	}
}
