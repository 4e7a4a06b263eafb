package search

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/parse"
)

// lawsDirs hold the laws sample the relevance set for laws runs on: the
// sample of the coverage test (testdata/laws) and the laws the searches
// of testdata/search need besides (dogs, minors, personal information,
// data security, the Yangtze; two versions of one law).
var lawsDirs = []string{"../testdata/laws", "../testdata/search/laws"}

var (
	lawsOnce sync.Once
	lawsFix  fixture
	lawsErr  error
)

// laws is the laws sample with its index, built once per package run
// (sharing the seeds' segmenter).
func laws(t testing.TB) *fixture {
	t.Helper()
	seg := seeds(t).seg
	lawsOnce.Do(func() {
		fsys := fstest.MapFS{}
		for _, dir := range lawsDirs {
			names, err := filepath.Glob(filepath.Join(dir, "law*.md"))
			if err != nil {
				lawsErr = err
				return
			}
			for _, n := range names {
				data, err := os.ReadFile(n)
				if err != nil {
					lawsErr = err
					return
				}
				fsys[filepath.Base(n)] = &fstest.MapFile{Data: data}
			}
		}
		var c *corpus.Corpus
		if c, lawsErr = parse.Load(fsys); lawsErr != nil {
			return
		}
		lawsFix = fixture{c: c, seg: seg, dir: filepath.Join(tmpRoot, "laws")}
		lawsFix.svc, lawsErr = Ensure(context.Background(), lawsFix.dir, c, seg, nil)
	})
	if lawsErr != nil {
		t.Fatalf("laws fixture: %v", lawsErr)
	}
	return &lawsFix
}

// TestGroupedByDocument: each work once, its best units under it (at
// most GroupHits, best first, all its own), totals that add up to the
// matching units, and the versions of a work folded into its current
// version.
func TestGroupedByDocument(t *testing.T) {
	f := laws(t)
	for _, q := range []string{"养犬", "养犬 登记", "未成年人 网络保护", "烟花爆竹", `"网络"`, "status:已修改"} {
		t.Run(q, func(t *testing.T) {
			g, err := f.svc.SearchGrouped(context.Background(), Request{Query: q, Limit: MaxLimit})
			if err != nil {
				t.Fatal(err)
			}
			flat := search(t, f.svc, Request{Query: q, Limit: 1})
			if g.Total != flat.Total {
				t.Errorf("grouped total %d, ungrouped %d", g.Total, flat.Total)
			}
			if g.TotalDocuments != uint64(len(g.Documents)) || len(g.Documents) == 0 {
				t.Fatalf("%d documents listed, total_documents %d", len(g.Documents), g.TotalDocuments)
			}
			works := map[string]bool{}
			var sum uint64
			for _, d := range g.Documents {
				doc, err := f.c.Document(d.DocID)
				if err != nil {
					t.Fatal(err)
				}
				work := d.DocID
				if len(doc.Versions) > 0 {
					work = doc.Versions[0]
				}
				if works[work] {
					t.Errorf("work %s listed twice", work)
				}
				works[work] = true
				if len(d.Hits) == 0 || len(d.Hits) > GroupHits || uint64(len(d.Hits)) > d.Total {
					t.Errorf("%s: %d hits of %d", d.DocID, len(d.Hits), d.Total)
				}
				for i, h := range d.Hits {
					if h.DocID != d.DocID {
						t.Errorf("%s holds hit %s", d.DocID, h.ID)
					}
					if i > 0 && h.Score > d.Hits[i-1].Score {
						t.Errorf("%s: hits not best first", d.DocID)
					}
				}
				sum += d.Total
				if len(doc.Versions) > 1 {
					if len(d.Versions) != len(doc.Versions)-1 {
						t.Errorf("%s: %d other versions listed, has %d", d.DocID, len(d.Versions), len(doc.Versions)-1)
					}
					for _, v := range d.Versions {
						sum += v.Total
					}
				}
			}
			if sum != g.Total {
				t.Errorf("documents and versions hold %d matches, total %d", sum, g.Total)
			}
		})
	}
	// 未成年人保护法 has two versions: the current one is shown, the older listed
	g, err := f.svc.SearchGrouped(context.Background(), Request{Query: "未成年人 网络保护"})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, d := range g.Documents {
		if d.DocID == "law02532" {
			t.Errorf("the amended version law02532 is a group of its own")
		}
		if d.DocID == "law02533" {
			found = true
			if d.Status != corpus.StatusCurrent || len(d.Versions) != 1 || d.Versions[0].DocID != "law02532" || d.Versions[0].Status != corpus.StatusAmended || d.Versions[0].Total == 0 {
				t.Errorf("law02533: status %q, versions %+v", d.Status, d.Versions)
			}
		}
	}
	if !found {
		t.Errorf("未成年人保护法 (law02533) missing from %+v", g.Documents)
	}
	// paging counts documents
	all, _ := f.svc.SearchGrouped(context.Background(), Request{Query: "烟花爆竹", Limit: 6})
	next, _ := f.svc.SearchGrouped(context.Background(), Request{Query: "烟花爆竹", Limit: 3, Offset: 3})
	if len(all.Documents) != 6 || len(next.Documents) != 3 || next.Documents[0].DocID != all.Documents[3].DocID {
		t.Errorf("paging by documents broken")
	}
	// an article jump puts its document first, the article first in it
	j, err := f.svc.SearchGrouped(context.Background(), Request{Query: "数据安全法 第21条"})
	if err != nil {
		t.Fatal(err)
	}
	if j.Jump == nil || len(j.Documents) == 0 || j.Documents[0].DocID != "law02691" || j.Documents[0].Hits[0].ID != j.Jump.UnitID {
		t.Errorf("jump: %+v, documents %+v", j.Jump, j.Documents)
	}
}

// TestRankingSaysSomething: for a bare word, units that say something
// about it rank before headings and list items that only repeat it
// (第二章 养犬登记, （一）办理养犬登记；); quoted phrases are complete.
func TestRankingSaysSomething(t *testing.T) {
	f := laws(t)
	for _, q := range []string{"养犬", "养犬 登记", "烟花爆竹 燃放", "网络保护"} {
		res := search(t, f.svc, Request{Query: q, Limit: 8})
		for i, h := range res.Hits {
			if h.Type == string(corpus.TypeSection) {
				t.Errorf("%s: hit %d is the heading %s %q", q, i, h.ID, h.Text)
			}
			if h.Type != string(corpus.TypeTitle) && contentCount(corpus.Normalize(h.Text)) < 12 {
				t.Errorf("%s: hit %d is the bare %s %q", q, i, h.ID, h.Text)
			}
		}
	}
	// the current version wins a tie with the older one
	res := search(t, f.svc, Request{Query: "未成年人 网络保护", Limit: 50})
	pos := map[string]int{}
	for i, h := range res.Hits {
		pos[h.ID] = i
	}
	for id, i := range pos {
		if len(id) > 8 && id[:8] == "law02532" {
			if j, ok := pos["law02533"+id[8:]]; ok && j > i {
				t.Errorf("amended %s (rank %d) before current (rank %d)", id, i, j)
			}
		}
	}
}

// TestSuggest: titles and short names by prefix, then substring; one
// entry per work; at most MaxSuggestions.
func TestSuggest(t *testing.T) {
	f := laws(t)
	for _, c := range []struct {
		q     string
		first string
		n     int // least number of suggestions
	}{
		{"数据安全法", "law02691", 1},
		{"《数据安全", "law02691", 1},
		{"中华人民共和国个人", "law02634", 1},
		{"个人信息", "law02634", 1},
		{"未成年", "law02533", 2},
		{"养犬管理条例", "", 3},
		{"烟花", "law03258", MaxSuggestions},
		{"ＡＢＣ不存在", "", 0},
		{"", "", 0},
		{"  ", "", 0},
	} {
		got := f.svc.Suggest(c.q, 0)
		if got == nil || len(got) < c.n || len(got) > MaxSuggestions {
			t.Errorf("%q: %d suggestions, want %d..%d", c.q, len(got), c.n, MaxSuggestions)
			continue
		}
		if c.first != "" && got[0].DocID != c.first {
			t.Errorf("%q: first %s %s, want %s", c.q, got[0].DocID, got[0].Title, c.first)
		}
		seen := map[string]bool{}
		for _, s := range got {
			if s.DocID == "law02532" {
				t.Errorf("%q: the amended version is offered", c.q)
			}
			if seen[s.DocID] {
				t.Errorf("%q: %s twice", c.q, s.DocID)
			}
			seen[s.DocID] = true
		}
	}
	if got := f.svc.Suggest("未成年人保护法", 1); len(got) != 1 || got[0].Versions != 2 || got[0].Short != "未成年人保护法" {
		t.Errorf("未成年人保护法: %+v", got)
	}
}

// BenchmarkSuggest measures suggestions over the laws sample and over
// its titles repeated under 2,607 works, the size of the laws corpus
// (every prefix of a name, and a substring that forces the scan).
func BenchmarkSuggest(b *testing.B) {
	f := laws(b)
	big := &ranking{}
	docs := f.c.Documents()
	for i := range 2607 {
		d := *docs[i%len(docs)]
		d.ID = d.ID + "-" + string(rune('a'+i/len(docs)))
		d.Title = []string{"", "某省", "某市", "某县"}[i/len(docs)%4] + d.Title
		d.Versions = nil
		big.docs = append(big.docs, &d)
		big.work = append(big.work, int32(i))
	}
	for _, c := range []struct {
		name string
		s    *suggester
	}{{"sample", f.svc.cols.titles.get()}, {"laws-size", newSuggester(big)}} {
		b.Run(c.name, func(b *testing.B) {
			qs := []string{"中", "中华人民", "数据安全", "未成年人保护法", "烟花爆竹", "管理条例", "养犬", "不存在的名称"}
			for i := 0; b.Loop(); i++ {
				c.s.lookup(jumpKey(qs[i%len(qs)]), MaxSuggestions)
			}
		})
	}
}
