package pdf

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/zhengce/zhengce/corpus"
)

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
