package parse

import (
	"regexp"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/corpus"
)

// TestPartition checks, for every seed document, that the units partition
// the body: their texts, concatenated in order and normalised, equal the
// normalised body.
func TestPartition(t *testing.T) {
	for _, id := range seedIDs(t) {
		t.Run(id, func(t *testing.T) {
			d := parseSeed(t, id)
			var b strings.Builder
			for _, u := range bodyUnits(d) {
				b.WriteString(u.Text)
			}
			got, want := corpus.Normalize(b.String()), corpus.Normalize(d.Body)
			if got != want {
				t.Fatalf("units do not partition the body:\n%s", firstRuneDiff(want, got))
			}
			if len(d.Units) == 0 {
				t.Fatal("no units")
			}
		})
	}
}

// firstRuneDiff shows where two strings start to differ.
func firstRuneDiff(want, got string) string {
	w, g := []rune(want), []rune(got)
	i := 0
	for i < len(w) && i < len(g) && w[i] == g[i] {
		i++
	}
	from := max(0, i-20)
	return "want …" + string(w[from:min(len(w), i+30)]) + "\ngot  …" + string(g[from:min(len(g), i+30)])
}

// boilerplate lists, per kind of stripped line, what such a line looks
// like. Every line the parser strips must match one of them: the parser
// may only remove cover, chrome, TOC, trailer and layout lines.
var boilerplate = regexp.MustCompile(strings.Join([]string{
	`^您当前的位置`, `^\[ \S+ \]`, // web breadcrumb and field header
	`扫一扫`, `网站地图`, `版权所有`, `主办`, `ICP备案号`, // web footer
	`^#? ?目 ?录$`, `\.{3,}\s*\d+$`, // table of contents
	`^抄送`, `印发$`, `^（此件公开发布）$`, `^\[image: \S+\]$`, // trailer and artefacts
	`关于印发`, `的通知$`, `各.*单位.*：$`, // notice title and addressees
	`^\S+(人民政府|领导小组|管理委员会)$`, `^\d{4}年\d{1,2}月\d{1,2}日$`, `^二〇二一年六月$`, `^\d+年?\)$`, `^\d{5}$`, `府发〔\d{4}〕\d+号$`, // cover
	`^#? ?\S*规划$`, `^\S+方案$`, `^（\d{4}[-—]\d{4}年）$`, // title lines
}, "|"))

// TestBodyKeepsContent checks that the body is exactly the raw text
// without its stripped lines (in order, nothing lost, nothing added), and
// that every stripped line is boilerplate of a known kind.
func TestBodyKeepsContent(t *testing.T) {
	for _, id := range seedIDs(t) {
		t.Run(id, func(t *testing.T) {
			d := parseSeed(t, id)
			body := corpus.Normalize(d.Body)
			raw := strings.Split(d.Raw, "\n")
			c := clean(raw, readHeaderFields(raw), d.Title)
			stripped := map[int]bool{}
			for _, s := range c.stripped {
				stripped[s.Line] = true
				if !boilerplate.MatchString(strings.TrimSpace(s.Text)) {
					t.Errorf("line %d stripped but not boilerplate: %q", s.Line+1, s.Text)
				}
			}
			pos := 0
			var kept strings.Builder
			for i, l := range raw {
				n := corpus.Normalize(strings.ReplaceAll(l, "**", ""))
				n = strings.TrimLeft(n, "#")
				if n == "" || stripped[i] {
					continue
				}
				k := strings.Index(body[pos:], n)
				if k < 0 {
					t.Fatalf("line %d missing from the body (or out of order): %q", i+1, l)
				}
				pos += k + len(n)
				kept.WriteString(n)
			}
			// Nothing else is in the body: no line twice, nothing invented.
			if kept.String() != body {
				t.Fatalf("body differs from the kept raw lines:\n%s", firstRuneDiff(kept.String(), body))
			}
		})
	}
}

// TestBoilerplateAbsent checks that web chrome, tables of contents and
// trailers are neither searchable (in a unit) nor a heading.
func TestBoilerplateAbsent(t *testing.T) {
	banned := []string{"网站地图", "版权所有", "ICP备案号", "扫一扫", "您当前的位置", "索引号", "发布机构",
		".....", "抄送", "2022年2月23日印发", "秘书组", "[image", "此件公开发布", "20229"}
	for _, id := range seedIDs(t) {
		d := parseSeed(t, id)
		for _, u := range bodyUnits(d) {
			for _, w := range banned {
				if strings.Contains(u.Text, w) {
					t.Errorf("%s: unit %s contains boilerplate %q: %.60s", id, u.ID, w, u.Text)
				}
			}
		}
		var walk func([]*corpus.Section)
		walk = func(secs []*corpus.Section) {
			for _, s := range secs {
				if n := corpus.Normalize(s.Label + s.Title); n == "目录" || strings.Contains(n, "....") {
					t.Errorf("%s: table of contents entry became a heading: %s", id, s.ID)
				}
				walk(s.Children)
			}
		}
		walk(d.Outline)
	}
}

// TestPageBreakJoins checks that paragraphs broken by page breaks in
// shapingba-2021 are rejoined into single units, and that neither
// headings nor lists were joined.
func TestPageBreakJoins(t *testing.T) {
	d := parseSeed(t, "shapingba-2021")
	joined := []string{"校园纠纷调解委员会", "全面落实为党育人", "推行中小学校长职级制改革", "唯帽子”的顽瘴痼疾",
		"加强民办园普惠性建设", "义务教育阶段公民同招", "明确部门职责分工"}
	for _, w := range joined {
		n := 0
		for _, u := range d.Units {
			if strings.Contains(corpus.Normalize(u.Text), corpus.Normalize(w)) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%q is in %d units, want exactly 1", w, n)
		}
	}
	// The continuation line is no unit of its own.
	for _, u := range d.Units {
		if strings.HasPrefix(u.Text, "员会") || strings.HasPrefix(u.Text, "的顽瘴痼疾") {
			t.Errorf("continuation left as its own unit: %s", u.ID)
		}
	}
	// Lists without closing punctuation are not joined (qianjiang's
	// 领导小组 member lines).
	q := parseSeed(t, "qianjiang-2023")
	u := unitByPath(t, q, "a1.1.p1")
	if u.Text != "组  长：周恩海  区委副书记、区政府区长" {
		t.Errorf("a1.1.p1 = %q, want one member line", u.Text)
	}
}

func unitByPath(t testing.TB, d *corpus.Document, path string) *corpus.Unit {
	t.Helper()
	for _, u := range d.Units {
		if u.Path == path {
			return u
		}
	}
	t.Fatalf("%s: no unit %s", d.ID, path)
	return nil
}

// TestUnitIDs checks that unit ids are unique across the corpus and
// identical across two parses.
func TestUnitIDs(t *testing.T) {
	c1, err := Seeds()
	if err != nil {
		t.Fatal(err)
	}
	c2, err := Seeds()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for i, d := range c1.Documents() {
		d2 := c2.Documents()[i]
		if len(d.Units) != len(d2.Units) {
			t.Fatalf("%s: %d units, then %d", d.ID, len(d.Units), len(d2.Units))
		}
		for j, u := range d.Units {
			if seen[u.ID] {
				t.Errorf("duplicate unit id %s", u.ID)
			}
			seen[u.ID] = true
			if u.ID != d2.Units[j].ID {
				t.Errorf("unit %d of %s: id %s, then %s", j, d.ID, u.ID, d2.Units[j].ID)
			}
			if u.Seq != j {
				t.Errorf("%s: seq %d at position %d", u.ID, u.Seq, j)
			}
			if u.ID != d.ID+"/"+u.Path || u.DocID != d.ID {
				t.Errorf("%s: id does not match doc %s and path %s", u.ID, d.ID, u.Path)
			}
		}
	}
}

// TestIDsStableUnderEdits edits, inserts and deletes paragraphs of a seed
// and checks that the ids of all numbered nodes stay the same.
func TestIDsStableUnderEdits(t *testing.T) {
	cases := []struct {
		name, doc, old, new string
	}{
		{"edit a paragraph", "wuxi-2022", "突出德育实效。将德育贯穿教育教学全过程", "突出德育实效。始终将德育贯穿于教育教学全过程"},
		{"delete a paragraph", "yongchuan-2022", "“十四五”时期是我国开启全面建设社会主义现代化国家新征程", ""},
		{"insert a paragraph", "liangjiang-2022", "二、健全学校家庭社会协同育人机制\n", "二、健全学校家庭社会协同育人机制\n\n新增一段说明文字。\n"},
		{"edit a heading title", "qianjiang-2023", "（二）以立德树人为根本", "（二）坚持以立德树人为根本"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := parseSeed(t, tc.doc)
			raw := before.Raw
			if tc.new == "" {
				// Delete the whole line holding old.
				i := strings.Index(raw, tc.old)
				if i < 0 {
					t.Fatalf("%q not in %s", tc.old, tc.doc)
				}
				start := strings.LastIndex(raw[:i], "\n") + 1
				end := i + strings.Index(raw[i:], "\n")
				raw = raw[:start] + raw[end:]
			} else {
				if !strings.Contains(raw, tc.old) {
					t.Fatalf("%q not in %s", tc.old, tc.doc)
				}
				raw = strings.Replace(raw, tc.old, tc.new, 1)
			}
			after, err := parseDefault(manifestMeta(t, tc.doc), []byte(raw))
			if err != nil {
				t.Fatal(err)
			}
			numbered := func(d *corpus.Document) map[string]bool {
				ids := map[string]bool{}
				for _, u := range d.Units {
					if !pRe.MatchString(u.Path) {
						ids[u.ID] = true
					}
				}
				return ids
			}
			b, a := numbered(before), numbered(after)
			for id := range b {
				if !a[id] {
					t.Errorf("numbered unit %s lost after the edit", id)
				}
			}
			for id := range a {
				if !b[id] {
					t.Errorf("numbered unit %s appeared after the edit", id)
				}
			}
			if len(b) < 20 {
				t.Errorf("only %d numbered units in %s", len(b), tc.doc)
			}
		})
	}
}

// pRe matches paths of unnumbered paragraphs, whose ordinal may shift.
var pRe = regexp.MustCompile(`(^|\.)p\d+$`)
