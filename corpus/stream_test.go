package corpus_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zhengce/zhengce/corpus"
)

// countingParser is a cheap parser (a document of one unit, its text)
// that counts the files it parsed.
type countingParser struct {
	n atomic.Int64
}

func (p *countingParser) Parse(m corpus.Meta, data []byte) (*corpus.Document, error) {
	p.n.Add(1)
	return &corpus.Document{Meta: m, Units: []*corpus.Unit{{ID: m.ID + "/1", DocID: m.ID, Path: "1", Type: corpus.TypeClause, Text: string(data)}}}, nil
}

func (p *countingParser) ParseSource(m corpus.Meta, src *corpus.Source) (*corpus.Document, error) {
	return nil, corpus.Errorf(corpus.EINVALID, "不支持")
}

// streamFolder writes a folder of n tiny documents (doc0000.txt …, every
// third one markdown) and the awkward cases of a real folder: a binary
// file, an unsupported one, a hidden file, a hidden folder, sub-folders
// with the same base name, an empty file. It returns the folder and the
// number of files that parse.
func streamFolder(t *testing.T, n int) (string, int) {
	t.Helper()
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i := range n {
		ext := ".txt"
		if i%3 == 0 {
			ext = ".md"
		}
		write(fmt.Sprintf("doc%04d%s", i, ext), fmt.Sprintf("一、目标\n\n第%d号文件的正文，推进集团化办学。\n", i))
	}
	write("bin.txt", "\x00\x01\x02\x03binary")
	write("notes.json", "{}")
	write("empty.md", "")
	write(".hidden.txt", "一、目标\n\n隐藏文件的正文。\n")
	write(".hiddendir/x.txt", "一、目标\n\n隐藏目录中的正文。\n")
	write("sub/dup.txt", "一、目标\n\n子目录甲的正文。\n")
	write("sub2/dup.txt", "一、目标\n\n子目录乙的正文。\n")
	write("sub2/deeper/zz.md", "# 深层文件\n\n正文。\n")
	// a folder walk visits sub/ before sub.x/, the sorted paths are the
	// other way round ('.' < '/')
	write("sub.x/dup.txt", "一、目标\n\n子目录丙的正文。\n")
	return dir, n + 5 // .hidden.txt, the three dup.txt, zz.md
}

// streamAll streams dir and returns the batches.
func streamAll(t *testing.T, l *corpus.Loader, dir string) ([]*corpus.Corpus, []corpus.Rejection, []corpus.Warning) {
	t.Helper()
	var batches []*corpus.Corpus
	rej, warn, err := l.StreamDir(context.Background(), dir, func(b *corpus.Corpus) error {
		batches = append(batches, b)
		return nil
	})
	if err != nil {
		t.Fatalf("StreamDir: %v", err)
	}
	return batches, rej, warn
}

// TestStreamDirMatchesLoadDir checks that the batches of a streamed load
// are, together, the corpus LoadDir reads: the same documents with the
// same ids and units, in the same order, in batches of at most
// StreamBatchFiles that follow each other by id, with the same rejected
// files and warnings, and each batch able to read its originals.
func TestStreamDirMatchesLoadDir(t *testing.T) {
	dir, readable := streamFolder(t, corpus.StreamBatchFiles+90)
	l := &corpus.Loader{Parser: defaultParser(t)}
	whole, err := l.LoadDir(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(whole.Documents()); got != readable {
		t.Fatalf("LoadDir read %d documents, want %d", got, readable)
	}
	batches, rej, warn := streamAll(t, l, dir)
	if len(batches) < 2 {
		t.Fatalf("%d batches, want at least 2 for %d files", len(batches), readable)
	}
	var streamed []*corpus.Document
	last := ""
	for i, b := range batches {
		docs := b.Documents()
		if len(docs) == 0 || len(docs) > corpus.StreamBatchFiles {
			t.Errorf("batch %d has %d documents", i, len(docs))
			continue
		}
		for _, d := range docs {
			if d.ID <= last {
				t.Errorf("batch %d: %s after %s: batches out of order or overlapping", i, d.ID, last)
			}
			last = d.ID
		}
		streamed = append(streamed, docs...)
		// each batch reads its own originals, and only those
		for _, d := range []*corpus.Document{docs[0], docs[len(docs)-1]} {
			data, _, err := b.Original(context.Background(), d.ID)
			if err != nil {
				t.Errorf("batch %d: original of %s: %v", i, d.ID, err)
				continue
			}
			want, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(d.Source)))
			if err != nil {
				t.Fatal(err)
			}
			if string(data) != string(want) {
				t.Errorf("batch %d: original of %s is %q, want %q", i, d.ID, data, want)
			}
		}
		if i > 0 {
			if _, err := b.Document(batches[0].Documents()[0].ID); corpus.ErrorCode(err) != corpus.ENOTFOUND {
				t.Errorf("batch %d knows a document of batch 0: %v", i, err)
			}
		}
	}
	want := whole.Documents()
	if len(streamed) != len(want) {
		t.Fatalf("streamed %d documents, LoadDir %d", len(streamed), len(want))
	}
	for i, d := range streamed {
		w := want[i]
		if d.ID != w.ID {
			t.Fatalf("document %d: streamed %s, LoadDir %s", i, d.ID, w.ID)
		}
		// versions are linked within a corpus: a batch links its own
		dm, wm := d.Meta, w.Meta
		dm.Status, dm.Versions, wm.Status, wm.Versions = "", nil, "", nil
		if !reflect.DeepEqual(dm, wm) {
			t.Errorf("%s: streamed meta %+v, LoadDir %+v", d.ID, dm, wm)
		}
		if !reflect.DeepEqual(d.Units, w.Units) || !reflect.DeepEqual(d.Targets, w.Targets) || !reflect.DeepEqual(d.Tables, w.Tables) {
			t.Errorf("%s: streamed body differs from LoadDir's", d.ID)
		}
	}
	if !reflect.DeepEqual(rej, whole.Rejected()) {
		t.Errorf("rejected: streamed %v, LoadDir %v", rej, whole.Rejected())
	}
	if len(rej) != 3 { // bin.txt, empty.md, notes.json
		t.Errorf("rejected %v, want the binary, empty and unsupported files", rej)
	}
	if !reflect.DeepEqual(warn, whole.Warnings()) {
		t.Errorf("warnings: streamed %v, LoadDir %v", warn, whole.Warnings())
	}
	if len(warn) != 3 { // the three dup.txt renamed
		t.Errorf("warnings %v, want one per renamed duplicate", warn)
	}
	for _, d := range streamed {
		if strings.Contains(d.Source, ".hiddendir") {
			t.Errorf("file of a hidden folder loaded: %s", d.Source)
		}
	}
}

// TestStreamDirStops checks that an error of fn stops the stream at once
// and is returned, and that a cancelled context stops it with an error —
// never a success with batches missing.
func TestStreamDirStops(t *testing.T) {
	// three batches and more: the parser runs one batch ahead of fn
	dir, _ := streamFolder(t, 3*corpus.StreamBatchFiles+10)
	p := &countingParser{}
	l := &corpus.Loader{Parser: p}

	t.Run("fn error", func(t *testing.T) {
		stop := errors.New("stop")
		calls := 0
		_, _, err := l.StreamDir(context.Background(), dir, func(*corpus.Corpus) error {
			calls++
			return stop
		})
		if !errors.Is(err, stop) {
			t.Errorf("StreamDir returned %v, want fn's error", err)
		}
		if calls != 1 {
			t.Errorf("fn called %d times after failing", calls)
		}
	})
	t.Run("cancelled before", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		calls := 0
		_, _, err := l.StreamDir(ctx, dir, func(*corpus.Corpus) error { calls++; return nil })
		if err == nil || calls != 0 {
			t.Errorf("cancelled stream: error %v after %d batches, want an error and none", err, calls)
		}
	})
	t.Run("cancelled during", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		p.n.Store(0)
		batches, docs := 0, 0
		_, _, err := l.StreamDir(ctx, dir, func(b *corpus.Corpus) error {
			batches++
			docs += len(b.Documents())
			if batches == 1 {
				// let the parser finish the batches it can (the
				// second handed over, the third waiting), then cancel
				deadline := time.Now().Add(10 * time.Second)
				for p.n.Load() < 3*corpus.StreamBatchFiles-8 && time.Now().Before(deadline) {
					time.Sleep(5 * time.Millisecond)
				}
				time.Sleep(50 * time.Millisecond)
				cancel()
			}
			return nil
		})
		if err == nil {
			t.Errorf("cancelled stream succeeded after %d batches of %d documents (%d files parsed)", batches, docs, p.n.Load())
		}
	})
}
