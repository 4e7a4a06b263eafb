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
