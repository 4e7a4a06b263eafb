package corpus

import (
	"bytes"
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// update rewrites golden files under testdata/ instead of comparing them:
// go test ./corpus -run TestTables -update
var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// seedLines returns the lines of an embedded seed document, split exactly
// as the parser splits them (no "\n", nothing stripped).
func seedLines(t testing.TB, id string) []string {
	t.Helper()
	data, err := fs.ReadFile(Embedded(), "seeds/"+id+".txt")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
}

// seedIDs lists the embedded seed documents.
func seedIDs(t testing.TB) []string {
	t.Helper()
	files, err := fs.Glob(Embedded(), "seeds/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range files {
		ids = append(ids, strings.TrimSuffix(filepath.Base(f), ".txt"))
	}
	return ids
}

// walkTables finds the tables of a document the way the parser does: call
// findTable at each line and continue after every table found.
func walkTables(lines []string) []tableSpan {
	var out []tableSpan
	for i := 0; i < len(lines); {
		sp, ok := findTable(lines, i)
		if !ok {
			i++
			continue
		}
		out = append(out, sp)
		i = max(sp.End, i+1)
	}
	return out
}

// goldenTable is the reviewed form of one reconstructed table.
type goldenTable struct {
	ID      string     `json:"id"`
	Caption string     `json:"caption"`
	Lines   string     `json:"lines"` // 1-based source lines: caption..header, rows, end
	Shape   string     `json:"shape"` // rows × columns
	Header  []string   `json:"header"`
	Rows    [][]string `json:"rows"`
	RowSpan [][2]int   `json:"row_lines"` // 1-based first and last source line of each row
}

func toGolden(sp tableSpan) goldenTable {
	g := goldenTable{
		ID:      sp.ID,
		Caption: sp.Caption,
		Lines:   lineRange(sp.Start, sp.HeadEnd) + " / " + lineRange(sp.Start, sp.End),
		Shape:   itoa(len(sp.Table.Rows)) + "×" + itoa(len(sp.Table.Header)),
		Header:  sp.Table.Header,
		Rows:    sp.Table.Rows,
	}
	for _, r := range sp.Rows {
		g.RowSpan = append(g.RowSpan, [2]int{r.Start + 1, r.End})
	}
	return g
}

func lineRange(start, end int) string { return itoa(start+1) + "-" + itoa(end) }

func itoa(n int) string { return strconv.Itoa(n) }

// TestTables reconstructs every table of every seed document and compares
// it with testdata/golden/tables/{doc}.json.
func TestTables(t *testing.T) {
	for _, id := range seedIDs(t) {
		t.Run(id, func(t *testing.T) {
			spans := walkTables(seedLines(t, id))
			got := []goldenTable{}
			for _, sp := range spans {
				got = append(got, toGolden(sp))
			}
			data, err := json.MarshalIndent(got, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			data = append(data, '\n')
			path := filepath.Join("..", "testdata", "golden", "tables", id+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, data, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./corpus -run TestTables -update)", err)
			}
			if !bytes.Equal(data, want) {
				t.Errorf("tables of %s differ from %s; rerun with -update and review the diff", id, path)
			}
		})
	}
}

// checkSpan verifies the invariants every span must satisfy: bounds,
// ordering, exact coverage of the non-blank lines of [Start, End) by the
// head range and the row spans, and one row of len(Header) cells per span.
func checkSpan(t *testing.T, lines []string, i int, sp tableSpan) {
	t.Helper()
	if sp.Table == nil {
		t.Fatalf("table at line %d has no Table", i+1)
	}
	if sp.Start != i {
		t.Errorf("%s: Start = %d, want the line findTable was called at (%d)", sp.ID, sp.Start, i)
	}
	if !(sp.Start < sp.HeadEnd && sp.HeadEnd <= sp.End && sp.End <= len(lines)) {
		t.Fatalf("%s: bad bounds Start=%d HeadEnd=%d End=%d len=%d", sp.ID, sp.Start, sp.HeadEnd, sp.End, len(lines))
	}
	if isBlank(lines[sp.Start]) {
		t.Errorf("%s: table starts at a blank line %d", sp.ID, sp.Start+1)
	}
	if sp.ID == "" || sp.ID != sp.Table.ID || sp.Caption != sp.Table.Caption {
		t.Errorf("span id/caption %q/%q differ from table %q/%q", sp.ID, sp.Caption, sp.Table.ID, sp.Table.Caption)
	}
	if len(sp.Rows) == 0 || len(sp.Rows) != len(sp.Table.Rows) {
		t.Fatalf("%s: %d row spans for %d rows", sp.ID, len(sp.Rows), len(sp.Table.Rows))
	}
	owner := make([]int, sp.End-sp.Start) // 0 none, 1 head, 2+r row r
	for k := sp.Start; k < sp.HeadEnd; k++ {
		owner[k-sp.Start] = 1
	}
	prevEnd := sp.HeadEnd
	for r, rs := range sp.Rows {
		if rs.Start < prevEnd || rs.End <= rs.Start || rs.End > sp.End {
			t.Fatalf("%s: row %d span [%d,%d) out of order (previous end %d, table end %d)", sp.ID, r+1, rs.Start, rs.End, prevEnd, sp.End)
		}
		for k := rs.Start; k < rs.End; k++ {
			owner[k-sp.Start] = 2 + r
		}
		prevEnd = rs.End
		if isBlank(lines[rs.Start]) || isBlank(lines[rs.End-1]) {
			t.Errorf("%s: row %d span [%d,%d) starts or ends at a blank line", sp.ID, r+1, rs.Start+1, rs.End)
		}
	}
	if sp.Rows[len(sp.Rows)-1].End != sp.End {
		t.Errorf("%s: End %d is not the end of the last row %d", sp.ID, sp.End, sp.Rows[len(sp.Rows)-1].End)
	}
	for k := sp.Start; k < sp.End; k++ {
		if owner[k-sp.Start] == 0 && !isBlank(lines[k]) {
			t.Errorf("%s: content line %d %q belongs to no unit", sp.ID, k+1, lines[k])
		}
	}
	for r, row := range sp.Table.Rows {
		if len(row) != len(sp.Table.Header) {
			t.Errorf("%s: row %d has %d cells, header has %d", sp.ID, r+1, len(row), len(sp.Table.Header))
		}
	}
	for c, h := range sp.Table.Header {
		if h == "" {
			t.Errorf("%s: column %d has no label", sp.ID, c+1)
		}
	}
}

// TestTableSpans checks the span invariants of every seed table, and that
// the cells of each row are exactly the text of its source lines: nothing
// is dropped, invented or misplaced (a filled merged cell and a repeated
// header given to the next row are the two documented exceptions).
func TestTableSpans(t *testing.T) {
	total := 0
	for _, id := range seedIDs(t) {
		lines := seedLines(t, id)
		for _, sp := range walkTables(lines) {
			total++
			t.Run(id+"/"+sp.ID, func(t *testing.T) {
				checkSpan(t, lines, sp.Start, sp)
				for r, rs := range sp.Rows {
					raw := squeeze(strings.ReplaceAll(strings.Join(lines[rs.Start:rs.End], ""), "\t", ""))
					row := sp.Table.Rows[r]
					all := squeeze(strings.Join(row, ""))
					rest := squeeze(strings.Join(row[1:], ""))
					if !strings.HasSuffix(raw, all) && !(r > 0 && row[0] == sp.Table.Rows[r-1][0] && strings.HasSuffix(raw, rest)) {
						t.Errorf("row %d cells %q do not match source lines %d-%d %q", r+1, row, rs.Start+1, rs.End, raw)
					}
					headerCopy := strings.HasPrefix(squeeze(lines[rs.Start]), squeeze(sp.Table.Header[0]))
					if raw != all && raw != rest && !headerCopy {
						t.Errorf("row %d source lines %d-%d hold text outside the cells: %q vs %q", r+1, rs.Start+1, rs.End, raw, all)
					}
				}
			})
		}
	}
	// yongchuan t1 t2 tx, wuxi t1–t6 box4, shapingba box1, liangjiang t1.
	if total != 12 {
		t.Errorf("found %d tables in the seeds, want 12", total)
	}
}
