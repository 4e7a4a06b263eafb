package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zhengce/zhengce/corpus"
)

// watchDeadline bounds how long a change of a watched folder may take to
// show in searches: the issue promises 2 s; the test allows more on a
// loaded machine and logs the time taken.
const watchDeadline = 5 * time.Second

// writeDoc writes a small text document into dir.
func writeDoc(t *testing.T, dir, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// zhengceJSON runs the binary to the end, fails the test unless it
// succeeds, and decodes its standard output into v.
func zhengceJSON(t *testing.T, bin string, v any, args ...string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "ZHENGCE_NO_OCR=1")
	var errOut strings.Builder
	cmd.Stderr = &errOut
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("zhengce %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	if err := json.Unmarshal(out, v); err != nil {
		t.Fatalf("zhengce %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// waitFor polls the server until the phrase has want hits (want < 0: at
// least one), and returns how long it took.
func waitFor(t *testing.T, base, phrase string, want int) time.Duration {
	t.Helper()
	start := time.Now()
	var last uint64
	var err error
	for time.Since(start) < watchDeadline {
		last, err = searchTotal(base, phrase)
		if err == nil && (want < 0 && last > 0 || want >= 0 && last == uint64(want)) {
			return time.Since(start)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%q: %d hits (%v) after %s, want %d", phrase, last, err, watchDeadline, want)
	return 0
}

// TestServeWatch builds an index of a folder with the real binary,
// serves it with --watch, and checks that a file written into the
// watched folder is searchable, that changing it replaces what is found
// and deleting it removes it, each within watchDeadline; meanwhile
// `zhengce add` is refused with exit status 2 because the server holds
// the index.
func TestServeWatch(t *testing.T) {
	bin := durabilityBinary(t)
	root := t.TempDir()
	src, idx, watched := filepath.Join(root, "corpus"), filepath.Join(root, "index"), filepath.Join(root, "watched")
	for _, d := range []string{src, watched} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeDoc(t, src, "jiaoyu.txt", "某区教育工作方案\n\n一、工作目标\n\n推进集团化办学，扩大优质资源覆盖面。\n")
	writeDoc(t, src, "weisheng.md", "# 某区卫生工作要点\n\n## 一、重点任务\n\n建设紧密型县域医共体。\n")
	out := runZhengce(t, bin, "index", "--corpus", src, "--index", idx)
	if !strings.Contains(out, "索引已建立") {
		t.Fatalf("zhengce index: %s", out)
	}

	base, stderr, stop := startServe(t, "--index", idx, "--watch", watched)
	if n, err := searchTotal(base, "集团化办学"); err != nil || n != 1 {
		t.Fatalf("served index: %d hits for 集团化办学 (%v)\n%s", n, err, stderr)
	}

	// the server holds the index: the command line may not change it
	extra := filepath.Join(root, "extra.txt")
	writeDoc(t, root, "extra.txt", "一、目标\n\n命令行添加的正文。\n")
	cmd := exec.Command(bin, "add", "--index", idx, extra)
	cmd.Env = append(os.Environ(), "ZHENGCE_NO_OCR=1")
	msg, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 || !strings.Contains(string(msg), "正被另一个进程") {
		t.Errorf("zhengce add on a served index: %v\n%s\nwant exit status 2 saying the index is used by another process", err, msg)
	}

	const first, second = "紫藤花开观测站", "银杏叶落记录册"
	writeDoc(t, watched, "new.txt", "某区观测工作通知\n\n一、工作安排\n\n建设"+first+"一处。\n")
	t.Logf("new file found after %s", waitFor(t, base, first, 1))

	writeDoc(t, watched, "new.txt", "某区观测工作通知\n\n一、工作安排\n\n编制"+second+"两册，按季度更新。\n")
	took := waitFor(t, base, second, 1)
	if n, err := searchTotal(base, first); err != nil || n != 0 {
		t.Errorf("after the change: %d hits for the old phrase (%v)", n, err)
	}
	t.Logf("changed file found after %s", took)

	if err := os.Remove(filepath.Join(watched, "new.txt")); err != nil {
		t.Fatal(err)
	}
	t.Logf("deleted file gone after %s", waitFor(t, base, second, 0))
	if n, err := searchTotal(base, "集团化办学"); err != nil || n != 1 {
		t.Errorf("the built documents after the watch: %d hits (%v)", n, err)
	}
	if err := stop(); err != nil {
		t.Fatalf("serve: %v\n%s", err, stderr)
	}

	// offline, the command line changes the index
	var added struct{ Documents []corpus.ChangeResult }
	zhengceJSON(t, bin, &added, "add", "--index", idx, "--json", extra)
	want := corpus.ChangeResult{ID: "extra", Source: "extra.txt", Status: corpus.ChangeIndexed}
	if len(added.Documents) != 1 || added.Documents[0] != want {
		t.Errorf("zhengce add --json: %+v, want %+v", added.Documents, want)
	}
	zhengceJSON(t, bin, &added, "add", "--index", idx, "--json", extra)
	want.Replaced = true
	if len(added.Documents) != 1 || added.Documents[0] != want {
		t.Errorf("zhengce add --json of the same file again: %+v, want %+v", added.Documents, want)
	}
	const added1 = "命令行添加的正文"
	if st := openState(t, idx, []string{added1, "集团化办学"}); st.hits[added1] != 1 || st.hits["集团化办学"] != 1 || !slices.Contains(st.docs, "extra") {
		t.Errorf("after zhengce add: documents %v, hits %v", st.docs, st.hits)
	}
	var removed struct{ Documents []corpus.ChangeResult }
	zhengceJSON(t, bin, &removed, "remove", "--index", idx, "--json", "extra")
	if len(removed.Documents) != 1 || removed.Documents[0].ID != "extra" || removed.Documents[0].Status != corpus.ChangeRemoved {
		t.Errorf("zhengce remove --json: %+v", removed.Documents)
	}
	cmd = exec.Command(bin, "remove", "--index", idx, "extra")
	msg, err = cmd.CombinedOutput()
	if !errors.As(err, &exit) || exit.ExitCode() == 0 || !strings.Contains(string(msg), "extra") {
		t.Errorf("zhengce remove of a removed document: %v\n%s", err, msg)
	}
	if st := openState(t, idx, []string{added1, "集团化办学"}); st.hits[added1] != 0 || st.hits["集团化办学"] != 1 || slices.Contains(st.docs, "extra") {
		t.Errorf("after zhengce remove: documents %v, hits %v", st.docs, st.hits)
	}
}

// TestSearchCLIKeepsLibrary checks that `zhengce search --index DIR`
// searches the documents of a self-contained index built from a folder
// (or changed by add, upload or a watched folder) and leaves it as it
// is: the index directory is the source of truth. The search command
// must not rebuild it from the embedded seeds.
func TestSearchCLIKeepsLibrary(t *testing.T) {
	bin := durabilityBinary(t)
	root := t.TempDir()
	src, idx := filepath.Join(root, "corpus"), filepath.Join(root, "index")
	if err := os.Mkdir(src, 0o755); err != nil {
		t.Fatal(err)
	}
	const phrase = "推进集团化办学试点"
	writeDoc(t, src, "jiaoyu.txt", "某区教育工作方案\n\n一、工作目标\n\n"+phrase+"，扩大优质资源覆盖面。\n")
	runZhengce(t, bin, "index", "--corpus", src, "--index", idx)
	before := openState(t, idx, []string{phrase})
	if before.hits[phrase] != 1 || !slices.Equal(before.docs, []string{"jiaoyu"}) {
		t.Fatalf("built index: documents %v, hits %v", before.docs, before.hits)
	}
	var res struct {
		Total int `json:"total"`
	}
	zhengceJSON(t, bin, &res, "search", "--index", idx, "--json", `"`+phrase+`"`)
	if res.Total != 1 {
		t.Errorf("zhengce search --index of a folder's index: %d hits for %q, want 1", res.Total, phrase)
	}
	if after := openState(t, idx, []string{phrase}); after.hits[phrase] != 1 || !slices.Equal(after.docs, before.docs) {
		t.Errorf("zhengce search replaced the index: documents %v (were %v), hits %v", after.docs, before.docs, after.hits)
	}
}
