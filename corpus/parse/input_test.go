package parse

import (
	"bytes"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/corpus"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// TestBadInput checks that every kind of bad input gets a clear error or a
// sensible flat document, never a panic.
func TestBadInput(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte("第一章 总则\n\n一、目标\n\n（一）加强组织领导。成立中小學生领导小组。\n"))
	if err != nil {
		t.Fatal(err)
	}
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte("一、总体要求\n坚持立德树人。\n"))
	if err != nil {
		t.Fatal(err)
	}
	huge := bytes.Repeat([]byte("坚持立德树人，办好人民满意的教育。\n"), 50<<20/len("坚持立德树人，办好人民满意的教育。\n")+1)
	cases := []struct {
		name     string
		data     []byte
		code     string   // expected error code, "" for success
		units    int      // expected number of units when it succeeds (-1: any)
		contains []string // texts expected among the units
	}{
		{"empty", nil, corpus.EINVALID, 0, nil},
		{"blank lines only", []byte("\n \n\t\n\r\n"), corpus.EINVALID, 0, nil},
		{"binary", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"), corpus.EINVALID, 0, nil},
		{"control characters", bytes.Repeat([]byte{1, 2, 3, 'a'}, 100), corpus.EINVALID, 0, nil},
		{"invalid UTF-8, not GBK", []byte("一、目标\n\xff\xfe\xfd 不是文本\n"), corpus.EINVALID, 0, nil},
		{"UTF-8 with a broken byte", append([]byte("一、总体要求\n坚持立德树人，办好人民满意的教育。\n"), 0xE4, 0xB8, '\n'), corpus.EINVALID, 0, nil},
		{"GBK", gbk, "", 3, []string{"（一）加强组织领导。成立中小學生领导小组。", "一、目标"}},
		{"UTF-16 with BOM", utf16, "", 2, []string{"一、总体要求", "坚持立德树人。"}},
		{"UTF-8 BOM and CRLF", []byte("\xEF\xBB\xBF一、目标\r\n\r\n坚持立德树人。\r\n"), "", 2, []string{"一、目标", "坚持立德树人。"}},
		{"50 MB", huge, corpus.ETOOLARGE, 0, nil},
		{"no headings", []byte("坚持立德树人。\n\n办好人民满意的教育。\n第三段没有标题\n"), "", 3, []string{"坚持立德树人。", "第三段没有标题"}},
		{"only boilerplate", []byte("扫一扫在手机打开当前页\n网站地图 版权声明\n"), "", 0, nil},
		{"one line", []byte("x"), "", 1, []string{"x"}},
		{"lonely labels", []byte("一、\n（一）\n1.\n第一章\n专栏\n附件\n表1\n项目1\n"), "", -1, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, err := parseDefault(corpus.Meta{ID: "bad", Source: "bad.txt"}, tc.data)
			if tc.code != "" {
				if err == nil {
					t.Fatalf("no error, want %s", tc.code)
				}
				if corpus.ErrorCode(err) != tc.code {
					t.Fatalf("error %v has code %s, want %s", err, corpus.ErrorCode(err), tc.code)
				}
				if msg := corpus.ErrorMessage(err); !strings.Contains(msg, "bad.txt") {
					t.Errorf("message %q does not name the file", msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if n := len(bodyUnits(d)); tc.units >= 0 && n != tc.units {
				t.Errorf("%d units, want %d", n, tc.units)
			}
			for _, w := range tc.contains {
				found := false
				for _, u := range d.Units {
					found = found || u.Text == w
				}
				if !found {
					t.Errorf("no unit %q", w)
				}
			}
			checkInvariants(t, d)
		})
	}
}

// TestPageArtefacts checks that page numbers and running titles of a
// document copied from a paginated PDF are stripped and the paragraph
// they interrupt is rejoined.
func TestPageArtefacts(t *testing.T) {
	text := "测试规划\n\n一、目标\n坚持立德树人，办好\n— 3 —\n测试规划\n人民满意的教育。\n第 4 页 共 9 页\n"
	d, err := parseDefault(corpus.Meta{ID: "pdf", Title: "测试规划"}, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, d)
	if body := bodyUnits(d); len(body) != 2 || body[1].Text != "坚持立德树人，办好人民满意的教育。" {
		for _, u := range d.Units {
			t.Logf("%s %q", u.Path, u.Text)
		}
		t.Fatal("page artefacts not stripped or paragraph not rejoined")
	}
}

// TestFlatDocument checks the shape of a document without headings: a
// flat list of paragraphs p1 … with plain citations and one part.
func TestFlatDocument(t *testing.T) {
	d, err := parseDefault(corpus.Meta{ID: "flat", Title: "测试"}, []byte("坚持立德树人。\n\n办好人民满意的教育。\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Outline) != 0 {
		t.Errorf("outline of a flat document: %v", d.Outline)
	}
	for i, u := range bodyUnits(d) {
		if want := "p" + itoa(i+1); u.Path != want || u.Type != corpus.TypeClause {
			t.Errorf("unit %d: %s %s, want clause %s", i, u.Path, u.Type, want)
		}
		if want := "《测试》第" + itoa(i+1) + "段"; u.Citation != want {
			t.Errorf("citation %q, want %q", u.Citation, want)
		}
		if u.Part != corpus.PartTasks {
			t.Errorf("part %q, want %q", u.Part, corpus.PartTasks)
		}
	}
}

// checkInvariants checks what must hold for every parsed document: unique
// ids, ordered seq, a part for every unit, the partition of the body and
// outline ids that point at units.
// bodyUnits returns the units of d's body: all but the title, head and
// foot units.
func bodyUnits(d *corpus.Document) []*corpus.Unit {
	var out []*corpus.Unit
	for _, u := range d.Units {
		if !u.IsDocumentUnit() {
			out = append(out, u)
		}
	}
	return out
}

func checkInvariants(t testing.TB, d *corpus.Document) {
	t.Helper()
	ids := map[string]bool{}
	var all strings.Builder
	for i, u := range d.Units {
		if ids[u.ID] {
			t.Fatalf("duplicate unit id %q", u.ID)
		}
		ids[u.ID] = true
		if u.Seq != i {
			t.Fatalf("unit %s has seq %d at %d", u.ID, u.Seq, i)
		}
		if u.ID != d.ID+"/"+u.Path {
			t.Fatalf("unit id %q is not doc/path %q", u.ID, u.Path)
		}
		if !strings.HasPrefix(u.Citation, "《") {
			t.Fatalf("unit %s has citation %q", u.ID, u.Citation)
		}
		if u.IsDocumentUnit() {
			if u.Part != "" || (u.Type == corpus.TypeTitle) != (i == 0) {
				t.Fatalf("document unit %s: part %q at %d", u.ID, u.Part, i)
			}
			continue
		}
		ok := false
		for _, p := range corpus.Parts {
			ok = ok || u.Part == p
		}
		if !ok {
			t.Fatalf("unit %s has no part: %q", u.ID, u.Part)
		}
		all.WriteString(u.Text)
	}
	if got, want := corpus.Normalize(all.String()), corpus.Normalize(d.Body); got != want {
		t.Fatalf("units do not partition the body:\n%s", firstRuneDiff(want, got))
	}
	var walk func([]*corpus.Section, int)
	walk = func(secs []*corpus.Section, level int) {
		for _, s := range secs {
			if !ids[s.ID] {
				t.Fatalf("outline node %s is no unit", s.ID)
			}
			if s.Level != level {
				t.Fatalf("outline node %s has level %d under level %d", s.ID, s.Level, level-1)
			}
			walk(s.Children, level+1)
		}
	}
	walk(d.Outline, 1)
	for _, tb := range d.Tables {
		if !ids[tb.UnitID] {
			t.Fatalf("table %s: caption unit %s missing", tb.ID, tb.UnitID)
		}
		for _, r := range tb.RowIDs {
			if !ids[r] {
				t.Fatalf("table %s: row unit %s missing", tb.ID, r)
			}
		}
	}
}
