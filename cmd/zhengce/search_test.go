package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/parse"
)

// runCLI runs the real program in-process.
func runCLI(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut}
	err := m.Run(context.Background(), args)
	return out.String(), errOut.String(), err
}

var (
	cliIndexOnce sync.Once
	cliIndexDir  string
	cliIndexOut  string
	// stderr of the building search
	cliIndexErrOut string
	cliIndexErr    error
)

// cliIndex builds the seed index once with `zhengce index`.
func cliIndex(t *testing.T) string {
	t.Helper()
	cliIndexOnce.Do(func() {
		dir, err := os.MkdirTemp("", "zhengce-cli-index-")
		if err != nil {
			cliIndexErr = err
			return
		}
		// The fixture is built by a search on a missing index (the one
		// expensive load of gse's full dictionary in this package);
		// later runs use the domain dictionary saved with the index.
		cliIndexDir = filepath.Join(dir, "index")
		var out, errOut bytes.Buffer
		m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut}
		cliIndexErr = m.Run(context.Background(), []string{"search", "--index", cliIndexDir, "--limit", "1", `"产教融合"`})
		cliIndexOut, cliIndexErrOut = out.String(), errOut.String()
	})
	if cliIndexErr != nil {
		t.Fatalf("zhengce search building the index: %v\n%s%s", cliIndexErr, cliIndexOut, cliIndexErrOut)
	}
	return cliIndexDir
}

// TestIndexCLI rebuilds the fixture index with `zhengce index`.
func TestIndexCLI(t *testing.T) {
	dir := cliIndex(t)
	c, err := parse.Seeds()
	if err != nil {
		t.Fatal(err)
	}
	out, errOut, err := runCLI(t, "index", "--index", dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"索引已建立：" + dir, "文档 5 篇", "建立索引：", "100%"} {
		if !strings.Contains(out+errOut, want) {
			t.Errorf("index output lacks %q:\n%s%s", want, out, errOut)
		}
	}
	units := 0
	for _, d := range c.Documents() {
		units += len(d.Units)
	}
	if !strings.Contains(out, "条目 "+itoa(units)+" 条") {
		t.Errorf("index output does not report %d units:\n%s", units, out)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestSearchCLIJSON(t *testing.T) {
	dir := cliIndex(t)
	out, _, err := runCLI(t, "search", "--index", dir, "--json", "--limit", "1000", `"五育并举"`)
	if err != nil {
		t.Fatal(err)
	}
	var res map[string]any
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, k := range []string{"query", "total", "took_ms", "hits", "facets"} {
		if _, ok := res[k]; !ok {
			t.Errorf("response lacks %q", k)
		}
	}
	hits := res["hits"].([]any)
	if len(hits) == 0 || res["total"].(float64) != float64(len(hits)) {
		t.Fatalf("total %v, %d hits", res["total"], len(hits))
	}
	for _, x := range hits {
		h := x.(map[string]any)
		for _, k := range []string{"id", "doc_id", "district", "type", "section", "themes", "path", "citation", "url", "text", "highlight", "score"} {
			if _, ok := h[k]; !ok {
				t.Errorf("hit lacks %q: %v", k, h)
			}
		}
		if h["url"] != "/c/"+h["doc_id"].(string)+"/"+h["path"].(string) {
			t.Errorf("url %v", h["url"])
		}
		if !strings.Contains(corpus.Normalize(h["text"].(string)), "五育并举") || !strings.Contains(h["highlight"].(string), "<mark>") {
			t.Errorf("hit %v lacks the phrase or its mark", h["id"])
		}
	}
	facets := res["facets"].(map[string]any)
	for _, k := range []string{"district", "theme", "section", "type"} {
		if _, ok := facets[k]; !ok {
			t.Errorf("facets lack %q", k)
		}
	}
}

func TestSearchCLIReadable(t *testing.T) {
	dir := cliIndex(t)
	out, _, err := runCLI(t, "search", "--index", dir, "--district", "巫溪县", "--limit", "3", `"五育并举"`)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"共 ", "《巫溪县教育事业发展", "【五育并举】", "/c/wuxi-2022/", "区县：巫溪县"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "永川区 ·") {
		t.Errorf("district filter ignored:\n%s", out)
	}
}

// TestSearchCLIWords runs a bare-word query with an exclusion after the
// first query word (no quoting needed) and filters.
func TestSearchCLIWords(t *testing.T) {
	dir := cliIndex(t)
	out, _, err := runCLI(t, "search", "--index", dir, "--json", "--type", "clause", "--type", "task", "职业教育", "-高职")
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Total uint64 `json:"total"`
		Hits  []struct {
			Type, Text string
		} `json:"hits"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.Total == 0 {
		t.Fatal("no hits")
	}
	for _, h := range res.Hits {
		if strings.Contains(corpus.Normalize(h.Text), "高职") || (h.Type != "clause" && h.Type != "task") {
			t.Errorf("hit of type %s with text %q", h.Type, h.Text)
		}
	}
}

// TestSearchCLIBuildsMissingIndex: search on a missing index builds it
// (the fixture was made that way).
func TestSearchCLIBuildsMissingIndex(t *testing.T) {
	cliIndex(t)
	if !strings.Contains(cliIndexOut, "【产教融合】") || !strings.Contains(cliIndexErrOut, "建立索引") {
		t.Errorf("stdout:\n%s\nstderr:\n%s", cliIndexOut, cliIndexErrOut)
	}
}

func TestSearchCLIErrors(t *testing.T) {
	dir := cliIndex(t)
	for _, tc := range []struct {
		name string
		args []string
		code string
	}{
		{"no query", []string{"search", "--index", dir}, corpus.EINVALID},
		{"unbalanced quote", []string{"search", "--index", dir, `"五育`}, corpus.EINVALID},
		{"limit over 1000", []string{"search", "--index", dir, "--limit", "1001", "教育"}, corpus.ETOOLARGE},
		{"bad flag", []string{"search", "--nope", "教育"}, corpus.EINVALID},
		{"only exclusions", []string{"search", "--index", dir, "--", "-高职"}, corpus.EINVALID},
		{"index extra argument", []string{"index", "--index", dir, "extra"}, corpus.EINVALID},
		{"index into a foreign directory", []string{"index", "--index", foreignDir(t)}, corpus.EINVALID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := runCLI(t, tc.args...)
			if corpus.ErrorCode(err) != tc.code {
				t.Fatalf("err = %v, want %s", err, tc.code)
			}
		})
	}
}

// foreignDir is a directory holding a user's file: not an index.
func foreignDir(t *testing.T) string {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestTerminalText(t *testing.T) {
	for _, tc := range []struct {
		in   string
		tty  bool
		want string
	}{
		{"推进<mark>集团化\n办学</mark> &amp; &lt;b&gt;", false, "推进【集团化 办学】 & <b>"},
		{"<mark>五育并举</mark>", true, "\x1b[1;31m五育并举\x1b[0m"},
		{"文本\x1b[2J清屏", true, "文本[2J清屏"},
	} {
		if got := terminalText(tc.in, tc.tty); got != tc.want {
			t.Errorf("terminalText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestSearchCLIDocumentFilters: the document filter flags answer what the
// query language answers, hits carry their jurisdiction, and bad values
// are refused with the allowed ones named.
func TestSearchCLIDocumentFilters(t *testing.T) {
	dir := cliIndex(t)
	type result struct {
		Total uint64 `json:"total"`
		Hits  []struct {
			ID           string               `json:"id"`
			Jurisdiction *corpus.Jurisdiction `json:"jurisdiction"`
		} `json:"hits"`
		Facets map[string]json.RawMessage `json:"facets"`
	}
	run := func(args ...string) result {
		t.Helper()
		out, _, err := runCLI(t, append([]string{"search", "--index", dir, "--json", "--limit", "1000"}, args...)...)
		if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		var r result
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	for _, tc := range []struct {
		name  string
		flags []string
		query string
	}{
		{"region", []string{"--region", "重庆市", "--doctype", "规划"}, `region:重庆市 doctype:规划`},
		{"region path and status", []string{"--region", "重庆市/巫溪县", "--status", "现行"}, `地区:重庆市/巫溪县 状态:现行`},
		{"year and date", []string{"--year", "2022", "--year", "2021", "--date", "2021..2022-06"}, `year:2022 year:2021 date:2021..2022-06`},
		{"national only", []string{"--region", "全国"}, `region:全国`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := run(append(tc.flags, `"教育"`)...)
			want := run(`"教育" ` + tc.query)
			if got.Total != want.Total || len(got.Hits) != len(want.Hits) {
				t.Fatalf("flags give %d, query %d", got.Total, want.Total)
			}
			for i, h := range got.Hits {
				if h.ID != want.Hits[i].ID {
					t.Fatalf("hit %d: %s, query gives %s", i, h.ID, want.Hits[i].ID)
				}
			}
			if tc.name == "national only" {
				for _, h := range got.Hits {
					if h.Jurisdiction == nil || h.Jurisdiction.Name != "全国" {
						t.Errorf("hit %s of %+v under region 全国", h.ID, h.Jurisdiction)
					}
				}
				return
			}
			if got.Total == 0 {
				t.Fatal("no hits")
			}
			for _, h := range got.Hits {
				if h.Jurisdiction == nil || h.Jurisdiction.Path[0] != "重庆市" {
					t.Errorf("hit %s of %+v", h.ID, h.Jurisdiction)
				}
			}
			for _, k := range []string{"region", "doctype", "level", "status", "year"} {
				if _, ok := got.Facets[k]; !ok {
					t.Errorf("facets lack %q", k)
				}
			}
		})
	}
	out, _, err := runCLI(t, "search", "--index", dir, "--region", "重庆市", "--limit", "1", `"教育"`)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"地区：\n  重庆市 ", "文种：", "效力级别：", "年份：", "重庆市 › "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--level", "省级"}, "可选：宪法、法律"},
		{[]string{"--status", "废止"}, "可选：现行、已修改"},
		{[]string{"--year", "22"}, "年份无效"},
		{[]string{"--date", "2022..2020"}, "起点晚于终点"},
		{[]string{"--date", "昨天"}, "日期条件无效"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			_, _, err := runCLI(t, append([]string{"search", "--index", dir}, append(tc.args, `"教育"`)...)...)
			if corpus.ErrorCode(err) != corpus.EINVALID || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("err = %v, want EINVALID with %q", err, tc.msg)
			}
		})
	}
	// filters alone are a query
	if r := run("--region", "重庆市"); r.Total == 0 {
		t.Error("--region alone found nothing")
	}
}
