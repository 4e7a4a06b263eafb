package parse

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// checkGoldenFile compares got with the golden file at path, or rewrites
// the file when the tests run with -update.
func checkGoldenFile(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./corpus/parse -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; rerun with -update and review the diff:\n%s", path, firstDiff(string(want), string(got)))
	}
}

// update rewrites golden files under testdata/ instead of comparing them:
// go test ./corpus/parse -update.
var update = flag.Bool("update", false, "rewrite golden files under testdata/")
