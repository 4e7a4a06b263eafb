package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/corpus"
)

// TestIndexPhasesAndProfile: `zhengce index` reports the wall time of
// every build phase and writes a CPU profile on request; an unwritable
// profile path is a usage error that builds nothing.
func TestIndexPhasesAndProfile(t *testing.T) {
	dir := t.TempDir()
	prof := filepath.Join(dir, "cpu.pprof")
	out, errOut, err := runCLI(t, "index", "--index", filepath.Join(dir, "idx"), "--cpuprofile", prof)
	if err != nil {
		t.Fatalf("index: %v\n%s", err, errOut)
	}
	for _, phase := range []string{"解析语料", "规范化", "词索引", "二元组", "领域词典", "校验清单", "启用"} {
		if !strings.Contains(out, phase) {
			t.Errorf("output lacks phase %s:\n%s", phase, out)
		}
	}
	if st, err := os.Stat(prof); err != nil || st.Size() == 0 {
		t.Errorf("cpu profile: %v", err)
	}
	bad := filepath.Join(dir, "missing", "cpu.pprof")
	_, _, err = runCLI(t, "index", "--index", filepath.Join(dir, "idx2"), "--cpuprofile", bad)
	if corpus.ErrorCode(err) != corpus.EINVALID {
		t.Errorf("unwritable profile: %v, want EINVALID", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "idx2")); err == nil {
		t.Error("an index was built despite the bad profile path")
	}
}
