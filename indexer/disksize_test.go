package indexer

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestDiskSize(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "v1")
	if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, size := range map[string]int{"a": 10, "sub/b": 32} {
		if err := os.WriteFile(filepath.Join(dir, name), make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := filepath.Join(root, "index")
	if err := os.Symlink("v1", link); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{dir, link} {
		n, err := DiskSize(p)
		if err != nil || n != 42 {
			t.Errorf("DiskSize(%s) = %d, %v; want 42", p, n, err)
		}
	}
	if _, err := DiskSize(filepath.Join(root, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("DiskSize(missing) error = %v, want fs.ErrNotExist", err)
	}
}
