package pdf

import (
	"context"
	"os"
	"path/filepath"
	"sync/atomic"
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

// BenchmarkReadParallel is the throughput of a corpus build: the loader
// reads one file per core at a time, each in its own PDFium instance
// (Options.Workers defaults to 2). MB/s is of PDF file read per second,
// across all goroutines.
func BenchmarkReadParallel(b *testing.B) {
	files, err := filepath.Glob("../../testdata/formats/pdf/*.pdf")
	if err != nil || len(files) == 0 {
		b.Fatal("no PDF files", err)
	}
	var all [][]byte
	var size int64
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		all = append(all, data)
		size += int64(len(data))
	}
	r := New(Options{})
	defer r.Close()
	for _, data := range all { // start the runtime and warm both instances
		if _, err := r.Read(context.Background(), data, corpus.DefaultLimits()); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(size / int64(len(all)))
	b.ResetTimer()
	var next atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			data := all[int(next.Add(1))%len(all)]
			if _, err := r.Read(context.Background(), data, corpus.DefaultLimits()); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
