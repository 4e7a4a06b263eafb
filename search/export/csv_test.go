package export

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/corpus"
)

func TestSafeCell(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`=HYPERLINK("http://evil.example/","x")`, `'=HYPERLINK("http://evil.example/","x")`},
		{`+cmd|' /C calc'!A0`, `'+cmd|' /C calc'!A0`},
		{"-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
		{"-2", "'-2"}, // a text cell, even when it reads as a number
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"＝1+1", "'＝1+1"},
		{"＋1", "'＋1"},
		{"－1", "'－1"},
		{"＠SUM(A1)", "'＠SUM(A1)"},
		{"学前三年毛入园率", "学前三年毛入园率"},
		{"a=1", "a=1"},
		{" =1", " =1"},
		{"", ""},
		{"\u202E=1", "'=1"}, // bidi controls go first: they hide nothing
		{"学前\u202E率\u2066x\u2069\u200e\u200f\u061c", "学前率x"},
	} {
		if got := SafeCell(tc.in); got != tc.want {
			t.Errorf("SafeCell(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestWriteTargetsCSV: text cells are guarded, numbers written from
// numbers stay numbers (a negative value too), missing rows carry their
// two cells.
func TestWriteTargetsCSV(t *testing.T) {
	v, neg := 95.5, -2.0
	ts := []*corpus.Target{{
		ID: "x/1#1", DocID: "x", District: "\t=1", Indicator: "=HYPERLINK(\"u\")率", Canonical: "@SUM", Unit: "%",
		Baseline: corpus.Point{Year: 2020, Value: &neg, Raw: "-2"},
		Target:   corpus.Point{Year: 2025, Comparator: "≥", Value: &v, Raw: "＝95.5%"},
		Source:   corpus.SourceText, UnitID: "x/1", Citation: "《x》1", Text: "+cmd|' /C calc'!A0",
	}}
	var b bytes.Buffer
	if err := WriteTargetsCSV(&b, ts, []Missing{{Canonical: "-毛入园率", District: "巫溪县"}}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "\uFEFF") {
		t.Fatal("no byte-order mark")
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(b.String(), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || strings.Join(rows[0], ",") != strings.Join(TargetHeader(), ",") {
		t.Fatalf("rows %q", rows)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	r := rows[1]
	for name, want := range map[string]string{
		"district": "'\t=1", "indicator": "'=HYPERLINK(\"u\")率", "canonical": "'@SUM", "text": "'+cmd|' /C calc'!A0",
		"baseline_value": "-2", "baseline_raw": "'-2", "baseline_year": "2020",
		"target_value": "95.5", "target_raw": "'＝95.5%", "target_comparator": "≥", "url": "/c/x/1",
	} {
		if got := r[col[name]]; got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if m := rows[2]; m[col["canonical"]] != "'-毛入园率" || m[col["district"]] != "巫溪县" || m[col["target_value"]] != "" {
		t.Errorf("missing row %q", m)
	}
}
