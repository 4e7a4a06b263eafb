package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMixedFolder indexes a folder mixing the seeds, a real file of every
// format (PDF, DOCX, DOC, saved web pages, OFD), a scanned PDF and bad
// files, through the real commands: `index` succeeds and reports the
// rejected files, `docs --json` lists every file as a document or a
// rejection with its reason, and `search` finds a phrase of each format.
func TestMixedFolder(t *testing.T) {
	if testing.Short() {
		t.Skip("reads every format; skipped with -short")
	}
	dir := t.TempDir()
	copyInto := func(pattern string) {
		t.Helper()
		files, err := filepath.Glob(pattern)
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: %v (%d files)", pattern, err, len(files))
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	copyInto("../../corpus/seeds/*.txt")
	copyInto("../../testdata/formats/*/*.*")
	copyInto("../../corpus/pdf/testdata/*.pdf") // encrypted_aes256.pdf, scanned_p01_page1.pdf
	for name, data := range map[string]string{
		"empty.pdf":   "",
		"broken.docx": "PK\x03\x04 not really a zip",
		"notes.xls":   "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 not a real compound file",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	idx := filepath.Join(t.TempDir(), "index")
	out, errOut, err := runMain(t, "index", "--corpus", dir, "--index", idx)
	if err != nil {
		t.Fatalf("index: %v\n%s\n%s", err, out, errOut)
	}
	if !strings.Contains(errOut, "未收录") || !strings.Contains(errOut, "encrypted_aes256.pdf") {
		t.Errorf("index does not report the rejected files:\n%s", errOut)
	}

	out, _, err = runMain(t, "docs", "--corpus", dir, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var docs struct {
		Documents []struct {
			ID, Source, Format string
			OCR                bool
		} `json:"documents"`
		Rejected []struct{ Source, Reason string } `json:"rejected"`
	}
	if err := json.Unmarshal([]byte(out), &docs); err != nil {
		t.Fatal(err)
	}
	formats := map[string]int{}
	listed := map[string]bool{}
	ocr := false
	for _, d := range docs.Documents {
		formats[d.Format]++
		listed[d.Source] = true
		ocr = ocr || d.OCR
	}
	reasons := map[string]string{}
	for _, r := range docs.Rejected {
		reasons[r.Source] = r.Reason
		listed[r.Source] = true
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !listed[e.Name()] && e.Name() != "README.md" && e.Name() != "MANIFEST.tsv" && e.Name() != "expected.json" {
			t.Errorf("%s is neither a document nor rejected", e.Name())
		}
	}
	for f, n := range map[string]int{"txt": 5, "pdf": 2, "docx": 2, "doc": 4, "html": 4, "ofd": 3} {
		if formats[f] < n {
			t.Errorf("%d documents of format %s, want at least %d (%v)", formats[f], f, n, formats)
		}
	}
	for src, frag := range map[string]string{"empty.pdf": "空", "encrypted_aes256.pdf": "加密", "broken.docx": "", "notes.xls": ""} {
		if r, ok := reasons[src]; !ok || !strings.Contains(r, frag) {
			t.Errorf("%s: rejected %v with reason %q, want one mentioning %q", src, ok, r, frag)
		}
	}
	if _, err := exec.LookPath("tesseract"); err == nil || os.Getenv("CI") != "" {
		if !ocr {
			t.Errorf("the scanned PDF was not read by OCR: %q", reasons["scanned_p01_page1.pdf"])
		}
	} else if r := reasons["scanned_p01_page1.pdf"]; !strings.Contains(r, "OCR") {
		t.Errorf("scanned PDF without tesseract: reason %q", r)
	}

	// One search (each loads the corpus): an OR of a phrase per format.
	phrases := map[string]string{
		"单机补贴限额原则上不超过5万元": "p01_海南省农机购置与应用补贴实施方案的通知",
		"农文旅融合": "x01_2026年中央一号文件",
		"关于加快南货场铁路涵洞下穿建设的函": "o02_关于加快南货场铁路涵洞下穿建设的函",
		"穗府办规〔2021〕7号":      "h01_gz.gov.cn_特困人员救助供养通知_穗府办规2021-7号",
		"苏银监办〔2005〕235号":    "d03_关于提示异地贷款业务风险的通知",
		"集团化办学":             "wuxi-2022",
	}
	var q []string
	for p := range phrases {
		q = append(q, `"`+p+`"`)
	}
	out, _, err = runMain(t, "search", "--index", idx, "--corpus", dir, "--json", "--limit", "100", strings.Join(q, " OR "))
	if err != nil {
		t.Fatalf("search: %v", err)
	}
	for phrase, source := range phrases {
		if !strings.Contains(out, `"doc_id": "`+source+`"`) {
			t.Errorf("search %q does not find %s", phrase, source)
		}
	}
}
