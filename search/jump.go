package search

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/zhengce/zhengce/corpus"
)

// Jump is the article (or paragraph, or item) of one document that a
// query names — 《数据安全法》第二十一条, 数据安全法 第21条,
// 民法典第一千零三十二条第二款 — shown first, as a card above the results.
type Jump struct {
	DocID    string `json:"doc_id"`
	Title    string `json:"title"`   // the document's title
	Article  string `json:"article"` // 第二十一条, 第二十一条第二款 as asked
	UnitID   string `json:"unit_id"`
	URL      string `json:"url"` // permalink of the unit
	Citation string `json:"citation"`
	Text     string `json:"text"`
}

// jumpRe matches a query naming an article: an optional title (in 《》 or
// bare), 第N条 in Chinese or Arabic numerals, then optionally 之M, 第K款
// and 第（X）项, and nothing else.
var jumpRe = regexp.MustCompile(`^(?:《([^《》]{2,80})》|(.{2,80}?))?第([〇零一二三四五六七八九十百千两\d]{1,9})条(?:第([一二三四五六七八九十\d]{1,3})款)?(?:第[（(]?([一二三四五六七八九十\d]{1,3})[）)]?项)?$`)

// jumps finds the documents a title names: by the normalised full title
// and the title without 中华人民共和国 (民法典, 数据安全法); where several
// versions share a title, the current one.
type jumps struct {
	c       *corpus.Corpus
	byTitle map[string]*corpus.Document
}

// newJumps indexes the titles of c.
func newJumps(c *corpus.Corpus) *jumps {
	j := &jumps{c: c, byTitle: map[string]*corpus.Document{}}
	for _, d := range c.Documents() {
		for _, k := range titleKeys(d.Title) {
			if cur, ok := j.byTitle[k]; ok && !newerVersion(d, cur) {
				continue
			}
			j.byTitle[k] = d
		}
	}
	return j
}

// newerVersion reports whether d should answer a title before cur: the
// current version before an amended one, then the later issue date.
func newerVersion(d, cur *corpus.Document) bool {
	if (d.Status == corpus.StatusCurrent) != (cur.Status == corpus.StatusCurrent) {
		return d.Status == corpus.StatusCurrent
	}
	return d.IssueDate > cur.IssueDate
}

// titleKeys are the lookup keys of a title.
func titleKeys(title string) []string {
	n := jumpKey(title)
	if n == "" {
		return nil
	}
	keys := []string{n}
	// The short name: without 中华人民共和国, also inside a title
	// (河南省实施《中华人民共和国村民委员会组织法》办法).
	if s := strings.ReplaceAll(n, "中华人民共和国", ""); s != n && s != "" {
		keys = append(keys, s)
	}
	return keys
}

// jumpKey normalises a title for lookup: Normalize, without brackets,
// quotes and punctuation.
func jumpKey(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsPunct(r) || unicode.IsSpace(r) || unicode.IsSymbol(r) {
			return -1
		}
		return r
	}, corpus.Normalize(s))
}

// resolve returns the unit a query names, or nil. inDoc, when set, is the
// document a query without a title (第21条) refers to.
func (j *jumps) resolve(query, inDoc string) *Jump {
	q := strings.Join(strings.Fields(query), "")
	if !strings.Contains(q, "条") || len(q) > 400 {
		return nil
	}
	m := jumpRe.FindStringSubmatch(q)
	if m == nil {
		return nil
	}
	var d *corpus.Document
	switch title := m[1] + m[2]; {
	case title != "":
		d = j.byTitle[jumpKey(title)]
	case inDoc != "":
		d, _ = j.c.Document(inDoc)
	}
	if d == nil {
		return nil
	}
	n := articleNumber(m[3])
	if n <= 0 {
		return nil
	}
	base := "art" + strconv.Itoa(n)
	u, err := j.c.Unit(d.ID + "/" + base)
	if err != nil {
		return nil
	}
	article := "第" + m[3] + "条"
	if k := articleNumber(m[4]); k >= 2 {
		if p, err := j.c.Unit(d.ID + "/" + base + ".p" + strconv.Itoa(k-1)); err == nil {
			u = p
			article += "第" + m[4] + "款"
		}
	}
	if x := articleNumber(m[5]); x >= 1 {
		if p, err := j.c.Unit(d.ID + "/" + base + "." + strconv.Itoa(x)); err == nil {
			u = p
			article += "第（" + m[5] + "）项"
		}
	}
	return &Jump{DocID: d.ID, Title: d.Title, Article: article, UnitID: u.ID,
		URL: "/c/" + url.PathEscape(d.ID) + "/" + url.PathEscape(u.Path), Citation: u.Citation, Text: u.Text}
}

// articleNumber reads an article number in Arabic or Chinese numerals
// (一千零三十二, 二十一, 1032); 0 when there is none.
func articleNumber(s string) int {
	if s == "" {
		return 0
	}
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	digits := map[rune]int{'〇': 0, '零': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	units := map[rune]int{'十': 10, '百': 100, '千': 1000}
	total, cur := 0, 0
	for _, r := range s {
		if d, ok := digits[r]; ok {
			cur = d
			continue
		}
		u, ok := units[r]
		if !ok {
			return 0
		}
		if cur == 0 {
			cur = 1
		}
		total += cur * u
		cur = 0
	}
	return total + cur
}

// named returns the document a query names exactly by its title or short
// title (上海市信访条例, 民法典, 《数据安全法》), or nil.
func (j *jumps) named(query string) *corpus.Document {
	if len(query) > 400 {
		return nil
	}
	k := jumpKey(query)
	if k == "" {
		return nil
	}
	return j.byTitle[k]
}
