package parse

import (
	"bytes"
	"io/fs"
	"testing"

	"github.com/zhengce/zhengce/corpus"
)

// BenchmarkParse parses each seed document.
func BenchmarkParse(b *testing.B) {
	benchSeeds(b, func(data []byte) error {
		_, err := parseDefault(corpus.Meta{ID: "bench"}, data)
		return err
	})
}

// BenchmarkParseStructure measures the structure parser alone (no themes,
// no targets) on each seed document.
func BenchmarkParseStructure(b *testing.B) {
	benchSeeds(b, func(data []byte) error {
		_, err := parseStructure(corpus.Meta{ID: "bench"}, data)
		return err
	})
}

// benchSeeds runs parse on each seed document as a sub-benchmark.
func benchSeeds(b *testing.B, parse func([]byte) error) {
	files, err := fs.Glob(corpus.Embedded(), "seeds/*.txt")
	if err != nil {
		b.Fatal(err)
	}
	for _, name := range files {
		data, err := fs.ReadFile(corpus.Embedded(), name)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if err := parse(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkParseLarge parses a 4 MB document made of repeated seeds, to
// show that parsing time grows linearly with size.
func BenchmarkParseLarge(b *testing.B) {
	files, _ := fs.Glob(corpus.Embedded(), "seeds/*.txt")
	var doc bytes.Buffer
	for doc.Len() < 4<<20 {
		for _, name := range files {
			data, _ := fs.ReadFile(corpus.Embedded(), name)
			doc.Write(data)
		}
	}
	b.SetBytes(int64(doc.Len()))
	for b.Loop() {
		if _, err := parseDefault(corpus.Meta{ID: "bench"}, doc.Bytes()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseRepetitive parses 8000 headings with the same label (every
// path needs a duplicate suffix) followed by 8000 lines without
// punctuation: both must stay linear.
func BenchmarkParseRepetitive(b *testing.B) {
	doc := bytes.Repeat([]byte("一、甲\n"), 8000)
	doc = append(doc, bytes.Repeat([]byte("没有标点的行\n"), 8000)...)
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if _, err := parseStructure(corpus.Meta{ID: "bench"}, doc); err != nil {
			b.Fatal(err)
		}
	}
}
