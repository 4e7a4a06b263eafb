package pdf

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/zhengce/zhengce/corpus"
)

// BenchmarkRead reads the sample PDFs (text layer, no OCR) with a started
// runtime. Measured on the shared 2-core machine under a load average of
// 5–7: p01 1.0–1.35 MB/s, p02 1.55–1.8 MB/s; about 80 % of the time is
// PDFium's own page and text-page parsing (FPDF_LoadPage,
// FPDFText_LoadPage) inside WebAssembly.
func BenchmarkRead(b *testing.B) {
	files, err := filepath.Glob("../../testdata/formats/pdf/*.pdf")
	if err != nil || len(files) == 0 {
		b.Fatal("no PDF files", err)
	}
	r := New(Options{})
	defer r.Close()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(filepath.Base(f)[:3], func(b *testing.B) {
			if _, err := r.Read(context.Background(), data, corpus.DefaultLimits()); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(data)))
			b.ResetTimer()
			for b.Loop() {
				if _, err := r.Read(context.Background(), data, corpus.DefaultLimits()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
