package html

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/zhengce/zhengce/corpus"
)

// samples returns the real HTML files of testdata/formats.
func samples(tb testing.TB) map[string][]byte {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(formats, "html", "*.html"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no sample pages: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		out[filepath.Base(f)[:3]] = data
	}
	return out
}

// fuzzSeedSize is the largest seed of FuzzRead: the two smaller sample
// pages whole, the start of the two larger ones (head, chrome and the
// beginning of the article).
const fuzzSeedSize = 48 << 10

func FuzzRead(f *testing.F) {
	// The real pages, cut to fuzzSeedSize: minimizing a 270 KB input
	// that found new coverage would take the whole fuzzing time.
	for _, data := range samples(f) {
		f.Add(data[:min(len(data), fuzzSeedSize)])
	}
	for _, s := range []string{
		"<html><body><div id=zoomcon><p>正文</p></div></body></html>",
		"<table><tr><td rowspan=0 colspan=99999>格</td></tr></table>",
		"<!--startprint--><p>一</p><!--endprint-->",
		"<meta charset=gbk><p>\xd5\xfd\xce\xc4</p>",
		"<b><i><a><b><i><a><p>内容</a></i></b>",
	} {
		f.Add([]byte(s))
	}
	lim := corpus.DefaultLimits()
	lim.MaxTextSize = 1 << 20
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		src, err := New().Read(ctx, data, lim)
		if err != nil {
			if corpus.ErrorCode(err) == corpus.EINTERNAL || corpus.ErrorMessage(err) == "" {
				t.Fatalf("not a user error: %v", err)
			}
			return
		}
		if src == nil || len(src.Blocks) == 0 {
			t.Fatal("success without blocks")
		}
		for _, b := range src.Blocks {
			if b.Kind == corpus.BlockTable && len(b.Rows) == 0 {
				t.Fatal("table without rows")
			}
		}
	})
}

func BenchmarkRead(b *testing.B) {
	for name, data := range samples(b) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := New().Read(context.Background(), data, corpus.DefaultLimits()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
