package search

import (
	"bufio"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// mappedRSS returns the resident KiB of this process's mappings of files
// under dir whose names end in suffix (from /proc/self/smaps).
func mappedRSS(t *testing.T, dir, suffix string) int {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skipf("no smaps: %v", err)
	}
	defer f.Close()
	kb, in := 0, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		switch {
		case len(fields) >= 5 && strings.Contains(fields[0], "-") && !strings.HasSuffix(fields[0], ":"):
			in = len(fields) >= 6 && strings.HasPrefix(fields[5], dir) && strings.HasSuffix(fields[5], suffix)
		case in && fields[0] == "Rss:":
			n, err := strconv.Atoi(fields[1])
			if err != nil {
				t.Fatal(err)
			}
			kb += n
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return kb
}

// TestDropPages checks that Live.DropPages takes the pages of the texts,
// of the served columns, of the bigram postings and of bleve's segment
// files out of the process's resident memory, and that the searches after it give the same answers.
func TestDropPages(t *testing.T) {
	dir, loader, _ := synthLibrary(t, 5, "p", 30)
	l := openLibrary(t, dir, loader)
	if err := l.Close(); err != nil { // writes the served columns
		t.Fatal(err)
	}
	l = openLibrary(t, dir, loader)
	if l.cur.Load().svc.served == nil {
		t.Fatal("served columns not mapped")
	}
	want := servedAnswers(t, l)
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"zhengce-texts.bin", "zhengce-served.bin", "zhengce-grams.bin", ".zap"} {
		if mappedRSS(t, root, f) == 0 {
			t.Fatalf("searches left no resident page of %s", f)
		}
	}
	if err := l.DropPages(); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"zhengce-texts.bin", "zhengce-served.bin", "zhengce-columns.bin", "zhengce-units.bin", "zhengce-grams.bin", ".zap"} {
		if kb := mappedRSS(t, root, f); kb != 0 {
			t.Errorf("%s: %d KiB resident after DropPages", f, kb)
		}
	}
	if got := servedAnswers(t, l); !reflect.DeepEqual(got, want) {
		t.Errorf("answers after DropPages differ:\n%v\nwant\n%v", got, want)
	}
}
