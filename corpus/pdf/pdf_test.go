package pdf

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/ocr"
)

const (
	formats = "../../testdata/formats"
	p01     = formats + "/pdf/p01_海南省农机购置与应用补贴实施方案的通知.pdf"
	p02     = formats + "/pdf/p02_2026年中央一号文件.pdf"
)

// shared is the Reader of the tests that need no particular options
// (two workers, no OCR, the default compilation cache): starting PDFium
// once keeps the package's tests fast. TestMain closes it.
var shared = New(Options{Workers: 2})

func TestMain(m *testing.M) {
	code := m.Run()
	if err := shared.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "closing the shared Reader:", err)
		code = 1
	}
	os.Exit(code)
}

// testReader returns a Reader closed at the end of the test, with its
// compilation cache in the user cache directory (shared between test runs,
// as in production).
func testReader(t testing.TB, opts Options) *Reader {
	t.Helper()
	r := New(opts)
	t.Cleanup(func() {
		if err := r.Close(); err != nil {
			t.Error(err)
		}
	})
	return r
}

// flat is the text of a source's blocks joined without separators, after
// NFKC and removal of whitespace: how the sample phrases are matched.
func flat(src *corpus.Source) string {
	var b strings.Builder
	for _, bl := range src.Blocks {
		b.WriteString(bl.Text)
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, norm.NFKC.String(b.String()))
}

// expectation is an entry of testdata/formats/expected.json.
type expectation struct {
	MustFind []string `json:"must_find"`
}

func loadExpected(t *testing.T) map[string]expectation {
	t.Helper()
	data, err := os.ReadFile(formats + "/expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]expectation
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestReadSamples(t *testing.T) {
	expected := loadExpected(t)
	r := shared
	for _, tc := range []struct {
		path  string
		pages int
		date  string
	}{
		{p01, 11, "2026-01-12"},
		{p02, 14, ""},
	} {
		name := strings.TrimPrefix(tc.path, formats+"/")
		t.Run(filepath.Base(tc.path)[:3], func(t *testing.T) {
			exp, ok := expected[name]
			if !ok || len(exp.MustFind) == 0 {
				t.Fatalf("no must_find phrases for %s in expected.json", name)
			}
			src, err := r.Read(context.Background(), read(t, tc.path), corpus.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			if src.Format != corpus.FormatPDF || src.Pages != tc.pages || src.OCR {
				t.Errorf("Format %q, Pages %d, OCR %v; want pdf, %d, false", src.Format, src.Pages, src.OCR, tc.pages)
			}
			if tc.date != "" && src.Meta.Date != tc.date {
				t.Errorf("Meta.Date %q, want %q", src.Meta.Date, tc.date)
			}
			if src.Meta.Strong {
				t.Error("Meta.Strong is true for a PDF Info title")
			}
			text := flat(src)
			for _, p := range exp.MustFind {
				if !strings.Contains(text, norm.NFKC.String(p)) {
					t.Errorf("phrase %q not found", p)
				}
			}
			if strings.ContainsRune(text, '\uFFFD') {
				t.Error("text holds U+FFFD")
			}
			lastPage, lastY := 0, 0.0
			for i, b := range src.Blocks {
				if b.Kind != corpus.BlockLine || b.Page < 1 || b.Page > src.Pages || b.Text == "" ||
					b.X0 > b.X1 || b.Size <= 0 || b.Y <= 0 {
					t.Fatalf("block %d: %+v", i, b)
				}
				if strings.TrimSpace(b.Text) != b.Text || strings.Contains(b.Text, "  ") {
					t.Errorf("block %d: untrimmed or double spaces: %q", i, b.Text)
				}
				if b.Page < lastPage || b.Page == lastPage && b.Y < lastY {
					t.Errorf("block %d out of reading order: page %d y %.1f after page %d y %.1f", i, b.Page, b.Y, lastPage, lastY)
				}
				lastPage, lastY = b.Page, b.Y
				for _, r := range b.Text {
					if unicode.IsControl(r) || r == '\uFFFD' {
						t.Errorf("block %d holds %U: %q", i, r, b.Text)
					}
				}
			}
		})
	}
}

// TestCJKLines checks line building on p01's first page: the title's
// lines, CJK text without spaces between glyphs, a body line's geometry.
func TestCJKLines(t *testing.T) {
	r := shared
	src, err := r.Read(context.Background(), read(t, p01), corpus.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"关于印发2024-2026年海南省农机", "购置与应用补贴实施方案的通知", "各市、县、自治县农业农村局、财政局："}
	var got []string
	for _, b := range src.Blocks[:6] {
		got = append(got, b.Text)
	}
	for _, w := range want {
		found := false
		for _, g := range got {
			found = found || g == w
		}
		if !found {
			t.Errorf("line %q not among the first lines %q", w, got)
		}
	}
	for _, b := range src.Blocks {
		if b.Page != 1 || !strings.HasPrefix(b.Text, "为规范实施") {
			continue
		}
		// The first body line: indented by two characters, 10.5 pt text.
		if b.X0 < 100 || b.X0 > 120 || b.X1 < 480 || b.Size < 9 || b.Size > 12 {
			t.Errorf("geometry of %q: %+v", b.Text, b)
		}
		if strings.Contains(b.Text, " ") {
			t.Errorf("space in CJK line %q", b.Text)
		}
	}
}

func TestReadErrors(t *testing.T) {
	r := shared
	p01data := read(t, p01)
	garbage := make([]byte, 4096)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range garbage {
		garbage[i] = byte(rng.Uint32())
	}
	garbage = append([]byte("%PDF-1.7\n"), garbage...)
	small := corpus.DefaultLimits()
	small.MaxPages = 5
	tiny := corpus.DefaultLimits()
	tiny.MaxTextSize = 1000
	smallFile := corpus.DefaultLimits()
	smallFile.MaxFileSize = 1000
	for _, tc := range []struct {
		name string
		data []byte
		lim  corpus.Limits
		code string
		says []string // parts of the message
	}{
		{"empty", nil, corpus.DefaultLimits(), corpus.EINVALID, []string{"空"}},
		{"truncated", p01data[:1024], corpus.DefaultLimits(), corpus.EINVALID, []string{"损坏"}},
		{"garbage", garbage, corpus.DefaultLimits(), corpus.EINVALID, []string{"PDF"}},
		{"encrypted", read(t, "testdata/encrypted_aes256.pdf"), corpus.DefaultLimits(), corpus.EINVALID, []string{"加密", "密码"}},
		{"max pages", p01data, small, corpus.ETOOLARGE, []string{"11 页", "5 页"}},
		{"max text", p01data, tiny, corpus.ETOOLARGE, []string{"文字"}},
		{"max file size", p01data, smallFile, corpus.ETOOLARGE, []string{"大小"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, err := r.Read(context.Background(), tc.data, tc.lim)
			if err == nil {
				t.Fatalf("no error; %d blocks", len(src.Blocks))
			}
			var ce *corpus.Error
			if !errors.As(err, &ce) || ce.Code != tc.code {
				t.Fatalf("error %v, want code %s", err, tc.code)
			}
			for _, s := range tc.says {
				if !strings.Contains(ce.Message, s) {
					t.Errorf("message %q does not say %q", ce.Message, s)
				}
			}
		})
	}
}

func TestTimeout(t *testing.T) {
	r := shared
	data := read(t, p02)
	// Start the runtime first: the time limit is about reading.
	if _, err := r.Read(context.Background(), read(t, p01), corpus.DefaultLimits()); err != nil {
		t.Fatal(err)
	}
	lim := corpus.DefaultLimits()
	lim.PerFileTimeout = 5 * time.Millisecond
	start := time.Now()
	_, err := r.Read(context.Background(), data, lim)
	if corpus.ErrorCode(err) != corpus.ETIMEOUT {
		t.Fatalf("error %v, want %s", err, corpus.ETIMEOUT)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("timed-out read took %s", d)
	}
	// The Reader still works after an interrupted read.
	src, err := r.Read(context.Background(), data, corpus.DefaultLimits())
	if err != nil || src.Pages != 14 {
		t.Fatalf("read after timeout: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Read(ctx, data, corpus.DefaultLimits()); corpus.ErrorCode(err) != corpus.ETIMEOUT {
		t.Errorf("cancelled context: error %v, want %s", err, corpus.ETIMEOUT)
	}
}

func TestLazyAndClose(t *testing.T) {
	t.Parallel()
	r := New(Options{CacheDir: NoCache})
	if r.Started() {
		t.Fatal("New started the runtime")
	}
	if err := r.Close(); err != nil {
		t.Fatalf("Close of an unstarted Reader: %v", err)
	}
	r = New(Options{})
	if r.Started() {
		t.Fatal("New started the runtime")
	}
	if _, err := r.Read(context.Background(), read(t, p01), corpus.DefaultLimits()); err != nil {
		t.Fatal(err)
	}
	if !r.Started() {
		t.Fatal("Read did not start the runtime")
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Read(context.Background(), read(t, p01), corpus.DefaultLimits()); err == nil {
		t.Fatal("Read after Close succeeded")
	}
	if err := r.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

func TestConcurrentReads(t *testing.T) {
	r := shared
	files := [][]byte{read(t, p01), read(t, p02)}
	want := make([]string, len(files))
	for i, f := range files {
		src, err := r.Read(context.Background(), f, corpus.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		want[i] = flat(src)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			i := g % len(files)
			src, err := r.Read(context.Background(), files[i], corpus.DefaultLimits())
			if err != nil {
				t.Error(err)
				return
			}
			if flat(src) != want[i] {
				t.Errorf("goroutine %d: text differs from the sequential read", g)
			}
		})
	}
	wg.Wait()
}

// scanPhrases are phrases of the scanned fixture's page (p01 page 1),
// chosen away from the punctuation OCR confuses.
var scanPhrases = []string{
	"关于印发2024",
	"海南省农机购置与应用补贴实施方案",
	"为规范实施农机购置与应用补贴政策",
	"以习近平新时代中国特色社会主义思想为指导",
	"履带式拖拉机",
}

// findOCR returns the tesseract engine; the test is skipped when it is
// missing, except on CI (CI set), where that is a failure.
func findOCR(t *testing.T) *ocr.Engine {
	t.Helper()
	e, err := ocr.Find()
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("tesseract with chi_sim not installed: %v", err)
		}
		t.Fatalf("CI needs tesseract-ocr and tesseract-ocr-chi-sim: %v", err)
	}
	return e
}

func TestScanned(t *testing.T) {
	t.Parallel() // tesseract is another process: it overlaps the other tests
	data := read(t, scanFixture)
	t.Run("without OCR", func(t *testing.T) {
		r := shared
		_, err := r.Read(context.Background(), data, corpus.DefaultLimits())
		if corpus.ErrorCode(err) != corpus.EINVALID {
			t.Fatalf("error %v, want %s", err, corpus.EINVALID)
		}
		msg := corpus.ErrorMessage(err)
		for _, s := range []string{"扫描", "OCR", "文字层", "tesseract"} {
			if !strings.Contains(msg, s) {
				t.Errorf("message %q does not mention %q", msg, s)
			}
		}
	})
	t.Run("OCR", func(t *testing.T) {
		// The fixture's image has 150 dpi: a higher resolution only costs
		// time.
		r := testReader(t, Options{OCR: findOCR(t), OCRDPI: scanDPI})
		src, err := r.Read(context.Background(), data, corpus.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		if !src.OCR || src.Pages != 1 {
			t.Errorf("OCR %v, Pages %d; want true, 1", src.OCR, src.Pages)
		}
		text := flat(src)
		for _, p := range scanPhrases {
			if !strings.Contains(text, p) {
				t.Errorf("phrase %q not recognised", p)
			}
		}
		for i, b := range src.Blocks {
			if b.Kind != corpus.BlockLine || b.Page != 1 || b.X0 >= b.X1 || b.Size <= 0 || b.Y <= 0 || b.Y > 842 {
				t.Errorf("block %d: %+v", i, b)
			}
		}
		lim := corpus.DefaultLimits()
		lim.MaxOCRPages = 0
		lim.PerFileTimeout = 50 * time.Millisecond
		if _, err := r.Read(context.Background(), data, lim); corpus.ErrorCode(err) != corpus.ETIMEOUT {
			t.Errorf("OCR past the time limit: error %v, want %s", err, corpus.ETIMEOUT)
		}
	})
}

func TestCacheDir(t *testing.T) {
	dir := t.TempDir()
	if got := cacheDir(Options{CacheDir: dir}); got != dir {
		t.Errorf("cacheDir = %q, want %q", got, dir)
	}
	if got := cacheDir(Options{CacheDir: NoCache}); got != "" {
		t.Errorf("NoCache: cacheDir = %q", got)
	}
	// A path under a regular file cannot be created: no cache, no error.
	file := filepath.Join(dir, "f")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got := cacheDir(Options{CacheDir: filepath.Join(file, "sub")}); got != "" {
		t.Errorf("uncreatable: cacheDir = %q", got)
	}
}
