package corpus_test

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zhengce/zhengce/corpus"
)

// sizedReader is a reader that tells a size, which may be wrong (a file
// that grew or shrank after its Stat).
type sizedReader struct {
	io.Reader
	size int64
}

func (r sizedReader) Stat() (fs.FileInfo, error) { return sizedInfo(r.size), nil }

type sizedInfo int64

func (s sizedInfo) Name() string       { return "f" }
func (s sizedInfo) Size() int64        { return int64(s) }
func (s sizedInfo) Mode() fs.FileMode  { return 0o644 }
func (s sizedInfo) ModTime() time.Time { return time.Time{} }
func (s sizedInfo) IsDir() bool        { return false }
func (s sizedInfo) Sys() any           { return nil }

// TestReadAll checks that a file is read as io.ReadAll of a LimitReader
// of limit+1 bytes reads it, whatever size it tells.
func TestReadAll(t *testing.T) {
	const limit = 100
	text := strings.Repeat("政策检索", 20) // 240 bytes
	path := filepath.Join(t.TempDir(), "f.txt")
	for _, n := range []int{0, 1, 99, 100, 101, 240} {
		want := []byte(text[:min(n, limit+1)])
		readers := map[string]func() io.Reader{
			"plain":     func() io.Reader { return strings.NewReader(text[:n]) },
			"true size": func() io.Reader { return sizedReader{strings.NewReader(text[:n]), int64(n)} },
			"grew":      func() io.Reader { return sizedReader{strings.NewReader(text[:n]), int64(n / 2)} },
			"shrank":    func() io.Reader { return sizedReader{strings.NewReader(text[:n]), int64(n*2 + 1)} },
			"size zero": func() io.Reader { return sizedReader{strings.NewReader(text[:n]), 0} },
			"os.File": func() io.Reader {
				if err := os.WriteFile(path, []byte(text[:n]), 0o644); err != nil {
					t.Fatal(err)
				}
				f, err := os.Open(path)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { f.Close() })
				return f
			},
		}
		for name, r := range readers {
			got, err := corpus.ReadAll(r(), limit)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s, %d bytes: read %d bytes (%v), want %d", name, n, len(got), err, len(want))
			}
		}
	}
}
