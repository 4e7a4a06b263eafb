//go:build unix

package corpus_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zhengce/zhengce/corpus"
)

// TestLoadDirHostile checks the regressions of the adversarial probe on a
// real folder: a FIFO is reported and never opened (the load does not
// hang), a link to /dev/zero or to a file outside the folder is not
// followed, a link inside the folder is, and a dangling link and a link
// loop are reported.
func TestLoadDirHostile(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "secret.txt")
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("good.txt", "一、目标\n\n正文。\n")
	if err := os.WriteFile(outside, []byte("root:x:0:0 机密内容。"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.txt"), 0o644); err != nil {
		t.Fatal(err)
	}
	links := map[string]string{
		"zero.txt":     "/dev/zero",
		"passwd.txt":   outside,
		"inside.txt":   filepath.Join(dir, "good.txt"),
		"dangling.txt": filepath.Join(dir, "missing.txt"),
		"loop1.txt":    filepath.Join(dir, "loop2.txt"),
		"loop2.txt":    filepath.Join(dir, "loop1.txt"),
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	l := corpus.Loader{Parser: defaultParser(t)}
	c, err := l.LoadDir(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range c.Documents() {
		ids = append(ids, d.ID)
		for _, u := range d.Units {
			if strings.Contains(u.Text, "root:x") {
				t.Errorf("text from outside the folder indexed in %s", d.ID)
			}
		}
	}
	if strings.Join(ids, ",") != "good,inside" {
		t.Errorf("documents %v, want good and inside", ids)
	}
	reasons := map[string]string{}
	for _, r := range c.Rejected() {
		reasons[r.Source] = r.Reason
	}
	for src, frag := range map[string]string{
		"fifo.txt": "不是普通文件", "zero.txt": "之外", "passwd.txt": "之外",
		"dangling.txt": "无效", "loop1.txt": "无效", "loop2.txt": "无效",
	} {
		if !strings.Contains(reasons[src], frag) {
			t.Errorf("%s: reason %q, want it to mention %q", src, reasons[src], frag)
		}
	}
	if _, _, err := c.Original(ctx, "good"); err != nil {
		t.Errorf("original of good: %v", err)
	}
}

// TestLoadDirCancel checks that a cancelled context stops loading with an
// error instead of returning a partial corpus.
func TestLoadDirCancel(t *testing.T) {
	dir := t.TempDir()
	for i := range 50 {
		if err := os.WriteFile(filepath.Join(dir, strings.Repeat("a", i+1)+".txt"), []byte("一、目标\n\n正文。\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	l := corpus.Loader{Parser: defaultParser(t)}
	if _, err := l.LoadDir(ctx, dir); err == nil {
		t.Fatal("cancelled load returned a corpus")
	}
}
