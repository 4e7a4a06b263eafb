// Package export writes the targets of a corpus as CSV for spreadsheets:
// the one writer behind `zhengce targets --csv`, /targets.csv and
// /api/targets?format=csv, so every download has the same columns and the
// same protection against formula injection.
//
// The rule (SafeCell): a text cell whose first character is = + - @, a
// tab or a carriage return, or one of the full-width forms ＝ ＋ － ＠,
// gets a leading apostrophe ('), which spreadsheet programs show as text
// instead of evaluating. Numeric columns (years, values, upper bounds) are
// written by strconv from numbers, never from document text, so a
// negative value such as -2 stays a number. Bidirectional control
// characters (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) are
// removed from text cells: they could make a cell read differently from
// what it holds.
package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/zhengce/zhengce/corpus"
)

// Missing names a canonical indicator a district does not state; it is
// written as a row with only those two cells.
type Missing struct {
	Canonical string
	District  string
}

// TargetHeader returns the header row of the targets CSV: the JSON field
// names of a target (zhengce targets --json), then url, the clause
// permalink.
func TargetHeader() []string {
	return []string{
		"id", "doc_id", "district", "indicator", "canonical", "unit",
		"baseline_year", "baseline_comparator", "baseline_value", "baseline_raw",
		"target_year", "target_comparator", "target_value", "target_max", "target_raw",
		"attribute", "kind", "source", "unit_id", "citation", "text", "url",
	}
}

// WriteTargetsCSV writes ts, then a row for each missing indicator, as
// CSV: UTF-8 with a byte-order mark (so spreadsheet programs read the
// Chinese text), a header row (TargetHeader), every text cell through
// SafeCell.
func WriteTargetsCSV(w io.Writer, ts []*corpus.Target, missing []Missing) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	cw := csv.NewWriter(w)
	header := TargetHeader()
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	rec := make([]string, len(header))
	for _, t := range ts {
		url := ""
		if t.UnitID != "" {
			url = "/c/" + t.UnitID
		}
		text := []string{t.ID, t.DocID, t.District, t.Indicator, t.Canonical, t.Unit,
			"", t.Baseline.Comparator, "", t.Baseline.Raw,
			"", t.Target.Comparator, "", "", t.Target.Raw,
			t.Attribute, t.Kind, t.Source, t.UnitID, t.Citation, t.Text, url}
		for i, v := range text {
			rec[i] = SafeCell(v)
		}
		// numbers: written from numbers, not guarded
		rec[6], rec[8] = yearText(t.Baseline.Year), numText(t.Baseline.Value)
		rec[10], rec[12], rec[13] = yearText(t.Target.Year), numText(t.Target.Value), numText(t.Target.Max)
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
	}
	for _, m := range missing {
		clear(rec)
		rec[2], rec[4] = SafeCell(m.District), SafeCell(m.Canonical)
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// SafeCell returns the text cell v as written to CSV: bidirectional
// control characters removed, and a leading apostrophe when it would
// start with a formula trigger (= + - @ TAB CR, or ＝ ＋ － ＠).
func SafeCell(v string) string {
	v = StripBidi(v)
	if v == "" {
		return v
	}
	switch v[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + v
	}
	for _, p := range []string{"＝", "＋", "－", "＠"} {
		if strings.HasPrefix(v, p) {
			return "'" + v
		}
	}
	return v
}

// IsBidiControl reports whether r is a bidirectional formatting character
// that can reorder the text around it: the embeddings and overrides
// U+202A–U+202E, the isolates U+2066–U+2069, the marks U+200E, U+200F and
// U+061C.
func IsBidiControl(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 || r == 0x200E || r == 0x200F || r == 0x061C
}

// StripBidi returns s without bidirectional control characters.
func StripBidi(s string) string {
	if !strings.ContainsFunc(s, IsBidiControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if IsBidiControl(r) {
			return -1
		}
		return r
	}, s)
}

func yearText(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}

func numText(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}
