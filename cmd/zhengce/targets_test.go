package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/search/export"
)

// runTargetsCLI runs the real program in-process with `targets args...`.
func runTargetsCLI(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut}
	err := m.Run(context.Background(), append([]string{"targets"}, args...))
	return out.String(), errOut.String(), err
}

func TestTargetsJSON(t *testing.T) {
	out, _, err := runTargetsCLI(t, "--json", "毛入园率")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Targets []map[string]any `json:"targets"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(got.Targets) < 10 {
		t.Fatalf("%d targets for 毛入园率, want every district's", len(got.Targets))
	}
	keys := []string{"id", "doc_id", "district", "indicator", "canonical", "unit", "baseline", "target", "attribute", "source", "unit_id", "citation", "text"}
	sawNullBaseline, sawTable := false, false
	for _, x := range got.Targets {
		for _, k := range keys {
			if _, ok := x[k]; !ok {
				t.Fatalf("target without %q: %v", k, x)
			}
		}
		tg := x["target"].(map[string]any)
		if _, ok := tg["value"].(float64); !ok {
			t.Errorf("%v: target value %T, want a JSON number", x["id"], tg["value"])
		}
		if _, ok := tg["year"].(float64); !ok {
			t.Errorf("%v: target year %T, want a JSON number", x["id"], tg["year"])
		}
		b := x["baseline"].(map[string]any)
		if x["source"] == "text" {
			if b["year"] != nil || b["value"] != nil {
				t.Errorf("%v: prose baseline %v, want nulls", x["id"], b)
			}
			sawNullBaseline = true
		} else {
			sawTable = true
			if _, ok := b["value"].(float64); !ok {
				t.Errorf("%v: table baseline %v, want a number", x["id"], b)
			}
		}
	}
	if !sawNullBaseline || !sawTable {
		t.Errorf("want both table and prose targets (table %v, prose %v)", sawTable, sawNullBaseline)
	}
}

func TestTargetsFilters(t *testing.T) {
	out, _, err := runTargetsCLI(t, "--district", "黔江区", "--json", "--min", "90")
	if err != nil {
		t.Fatal(err)
	}
	var got struct{ Targets []*corpus.Target }
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Targets) == 0 {
		t.Fatal("no targets")
	}
	for _, x := range got.Targets {
		hi := x.Target.Value
		if x.Target.Max != nil {
			hi = x.Target.Max
		}
		if x.District != "黔江区" || hi == nil || *hi < 90 {
			t.Errorf("%s (%s %v) passed --district 黔江区 --min 90", x.ID, x.District, hi)
		}
	}
	// Flags after the query word are parsed too.
	out2, _, err := runTargetsCLI(t, "巩固率", "--json", "--district", "巫溪县")
	if err != nil {
		t.Fatal(err)
	}
	var got2 struct{ Targets []*corpus.Target }
	if err := json.Unmarshal([]byte(out2), &got2); err != nil {
		t.Fatal(err)
	}
	if len(got2.Targets) == 0 {
		t.Fatal("巩固率 in 巫溪县: nothing")
	}
	for _, x := range got2.Targets {
		if x.District != "巫溪县" || !strings.Contains(x.Canonical+x.Indicator, "巩固率") {
			t.Errorf("%s passed: %s %s", x.ID, x.District, x.Indicator)
		}
	}
}

func TestTargetsCSV(t *testing.T) {
	out, _, err := runTargetsCLI(t, "--csv", "入学率")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "\uFEFF") {
		t.Fatal("CSV without a UTF-8 byte-order mark")
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != strings.Join(export.TargetHeader(), ",") {
		t.Errorf("header %v", recs[0])
	}
	js, _, err := runTargetsCLI(t, "--json", "入学率")
	if err != nil {
		t.Fatal(err)
	}
	var got struct{ Targets []*corpus.Target }
	if err := json.Unmarshal([]byte(js), &got); err != nil {
		t.Fatal(err)
	}
	if len(recs)-1 != len(got.Targets) || len(got.Targets) == 0 {
		t.Fatalf("%d CSV rows, %d JSON targets", len(recs)-1, len(got.Targets))
	}
	for i, x := range got.Targets {
		r := recs[i+1]
		if r[0] != x.ID || r[3] != x.Indicator || r[12] != numText(x.Target.Value) || r[20] != x.Text || r[21] != "/c/"+x.UnitID {
			t.Errorf("row %d = %v, want target %s", i+1, r[:5], x.ID)
		}
	}
}

func TestTargetsTableAndCompare(t *testing.T) {
	out, _, err := runTargetsCLI(t, "毛入园率")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "区县") || !strings.Contains(out, "学前三年毛入园率") || !strings.Contains(out, "项目标") {
		t.Errorf("table output:\n%s", out)
	}
	out, _, err = runTargetsCLI(t, "--compare", "毛入园率")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"【学前三年毛入园率】", "永川区", "黔江区", "沙坪坝区", "两江新区", "巫溪县", "2025年 99.5%", "2025年 >93%", "2025年 ≥93%", "yongchuan-2022/t2.r2"} {
		if !strings.Contains(out, want) {
			t.Errorf("comparison lacks %q:\n%s", want, out)
		}
	}
	js, _, err := runTargetsCLI(t, "--compare", "毛入园率", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var cmp struct {
		Comparisons []corpus.Comparison `json:"comparisons"`
	}
	if err := json.Unmarshal([]byte(js), &cmp); err != nil {
		t.Fatal(err)
	}
	if len(cmp.Comparisons) != 1 || len(cmp.Comparisons[0].Districts) != 5 {
		t.Fatalf("comparisons = %+v", cmp.Comparisons)
	}
	out, _, err = runTargetsCLI(t, "--compare", "差异系数")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "（未提及）") {
		t.Errorf("districts without the indicator are not shown:\n%s", out)
	}
}

func TestTargetsErrors(t *testing.T) {
	tests := [][]string{
		{"--json", "--csv"},
		{"--district", "不存在区"},
		{"--min", "5", "--max", "1"},
		{"--min", "abc"},
		{"--source", "pdf"},
		{"--compare", "毛入园率", "巩固率"},
		{"--corpus", "/nonexistent/zhengce"},
	}
	for _, args := range tests {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			_, _, err := runTargetsCLI(t, args...)
			if corpus.ErrorCode(err) != corpus.EINVALID {
				t.Fatalf("error %v, want EINVALID", err)
			}
			if msg := corpus.ErrorMessage(err); msg == "" || !strings.ContainsFunc(msg, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
				t.Errorf("message %q is not Chinese", msg)
			}
		})
	}
}

func TestTargetsUserCorpus(t *testing.T) {
	dir := t.TempDir()
	text := "某县教育事业发展“十四五”规划（2021—2025年）\n\n一、发展目标\n\n到2025年，学前三年毛入园率达到95%以上，九年义务教育巩固率达到97%。\n"
	if err := os.WriteFile(filepath.Join(dir, "mou-2022.txt"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err := runTargetsCLI(t, "--corpus", dir, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var got struct{ Targets []*corpus.Target }
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Targets) != 2 {
		t.Fatalf("%d targets, want 2: %s", len(got.Targets), out)
	}
	if x := got.Targets[0]; x.Canonical != "学前三年毛入园率" || x.Target.Comparator != "≥" || *x.Target.Value != 95 || x.Target.Year != 2025 {
		t.Errorf("first target = %+v", x)
	}
}

// TestTargetsCSVInjection: `zhengce targets --csv` on a corpus written to
// attack spreadsheets guards every text cell that starts with a formula
// trigger (= + - @ TAB CR ＝ ＋ － ＠) with an apostrophe; numbers stay
// numbers. The web's /targets.csv uses the same writer
// (web: TestTargetsCSVInjection).
func TestTargetsCSVInjection(t *testing.T) {
	out, _, err := runTargetsCLI(t, "--csv", "--corpus", filepath.Join("..", "..", "search", "export", "testdata", "injection"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 6 {
		t.Fatalf("%d rows: %q", len(rows), out)
	}
	numeric := map[string]bool{"baseline_year": true, "baseline_value": true, "target_year": true, "target_value": true, "target_max": true}
	seen := map[string]bool{}
	want := []string{`=HYPERLINK(`, `+cmd|`, `-2+3`, `@SUM`, "\t=1", `＝1`}
	for _, r := range rows[1:] {
		for i, cell := range r {
			for _, w := range want {
				if strings.HasPrefix(cell, "'"+w) {
					seen[w] = true
				}
			}
			trigger := cell != "" && strings.ContainsAny(cell[:1], "=+-@\t\r")
			for _, fw := range []string{"＝", "＋", "－", "＠"} {
				trigger = trigger || strings.HasPrefix(cell, fw)
			}
			if _, err := strconv.ParseFloat(cell, 64); trigger && !(err == nil && numeric[rows[0][i]]) {
				t.Errorf("column %s: unguarded cell %q", rows[0][i], cell)
			}
		}
	}
	for _, w := range want {
		if !seen[w] {
			t.Errorf("no guarded cell starting with %q", w)
		}
	}
}
