package pdf

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/zhengce/zhengce/corpus"
)

// FuzzRead feeds arbitrary bytes to the reader: it must return a source
// or a *corpus.Error (an internal error only for the runtime), never
// panic, and stay within its time limit. It is seeded with the sample
// PDFs, the fixtures and broken variants of them.
func FuzzRead(f *testing.F) {
	for _, path := range []string{p01, p02, scanFixture, "testdata/encrypted_aes256.pdf"} {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add(data[:len(data)/2])
		f.Add(data[len(data)/2:])
	}
	f.Add([]byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"))
	f.Add([]byte("%PDF-"))
	f.Add([]byte{})
	lim := corpus.DefaultLimits()
	lim.MaxPages = 30
	lim.PerFileTimeout = 5 * time.Second
	lim.MaxTextSize = 4 << 20
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		src, err := shared.Read(context.Background(), data, lim)
		if d := time.Since(start); d > 2*lim.PerFileTimeout {
			t.Errorf("Read took %s, limit %s", d, lim.PerFileTimeout)
		}
		if err != nil {
			var ce *corpus.Error
			if !errors.As(err, &ce) || ce.Message == "" {
				t.Fatalf("error without a user message: %v", err)
			}
			return
		}
		if src.Pages < 1 || src.Pages > lim.MaxPages || len(src.Blocks) == 0 {
			t.Fatalf("source with %d pages, %d blocks", src.Pages, len(src.Blocks))
		}
		for _, b := range src.Blocks {
			if strings.ContainsRune(b.Text, '\uFFFD') || b.Page < 1 || b.Page > src.Pages {
				t.Fatalf("bad block %+v", b)
			}
		}
	})
}
