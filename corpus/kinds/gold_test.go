package kinds

import (
	"encoding/json"
	"os"
	"testing"
)

// goldFile is a sample of the laws corpus with its gold levels (see
// testdata/README.md).
const goldFile = "testdata/gold_sample.json"

type goldDoc struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Category string   `json:"category"` // 地方性法规, 行政法规, 法律, 部门规章, 宪法, 其他
	Info     []string `json:"info"`
}

func loadGold(t testing.TB, path string) []goldDoc {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read gold: %v", err)
	}
	var f struct {
		Documents []goldDoc `json:"documents"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return f.Documents
}

// levelScore returns how many documents get their gold level from
// Level(DocType(title), Issuer(info), title), and how many get "" (unknown).
// The gold's 其他 (a forensic standard, a how-to) has no level; "" is its
// match.
func levelScore(t *testing.T, docs []goldDoc) (agree, unknown int) {
	for _, d := range docs {
		got := Level(DocType(d.Title), Issuer(d.Info), d.Title)
		want := d.Category
		if want == "其他" {
			want = ""
		}
		switch {
		case got == want:
			agree++
		case got == "":
			unknown++
			t.Logf("%s %s: unknown, want %s (issuer %q)", d.ID, d.Title, want, Issuer(d.Info))
		default:
			t.Logf("%s %s: got %s, want %s (type %q, issuer %q)", d.ID, d.Title, got, want, DocType(d.Title), Issuer(d.Info))
		}
	}
	return agree, unknown
}

// TestGoldLevels checks Level against the gold categories of the sample
// (every category represented; the small ones whole): at least 95% agree.
func TestGoldLevels(t *testing.T) {
	docs := loadGold(t, goldFile)
	if len(docs) < 250 {
		t.Fatalf("gold sample has %d documents, want about 300", len(docs))
	}
	agree, unknown := levelScore(t, docs)
	rate := float64(agree) / float64(len(docs))
	t.Logf("level agrees with gold on %d/%d = %.4f (%d unknown)", agree, len(docs), rate, unknown)
	if rate < 0.95 {
		t.Errorf("agreement %.4f < 0.95", rate)
	}
}
