package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/corpus"
)

// TestIndexPhasesAndProfile: `zhengce index` reports the wall time of
// every build phase and writes a CPU and an allocation profile on request;
// an unwritable profile path is a usage error that builds nothing.
func TestIndexPhasesAndProfile(t *testing.T) {
	dir := t.TempDir()
	prof := filepath.Join(dir, "cpu.pprof")
	mem := filepath.Join(dir, "mem.pprof")
	out, errOut, err := runCLI(t, "index", "--index", filepath.Join(dir, "idx"), "--cpuprofile", prof, "--memprofile", mem)
	if err != nil {
		t.Fatalf("index: %v\n%s", err, errOut)
	}
	for _, phase := range []string{"解析语料", "规范化", "词索引", "二元组", "领域词典", "校验清单", "启用"} {
		if !strings.Contains(out, phase) {
			t.Errorf("output lacks phase %s:\n%s", phase, out)
		}
	}
	for _, p := range []string{prof, mem} {
		if st, err := os.Stat(p); err != nil || st.Size() == 0 {
			t.Errorf("profile %s: %v", filepath.Base(p), err)
		}
	}
	for _, flag := range []string{"--cpuprofile", "--memprofile"} {
		bad := filepath.Join(dir, "missing", "x.pprof")
		_, _, err = runCLI(t, "index", "--index", filepath.Join(dir, "idx2"), flag, bad)
		if corpus.ErrorCode(err) != corpus.EINVALID {
			t.Errorf("unwritable %s: %v, want EINVALID", flag, err)
		}
		if _, err := os.Stat(filepath.Join(dir, "idx2")); err == nil {
			t.Errorf("an index was built despite the bad %s path", flag)
		}
	}
}
