package search

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/kinds"
)

// The limits of zhengce's query language and of a request: the one table
// every adapter (CLI, HTTP) checks against. Queries and requests over them
// are rejected with ETOOLARGE before any index work.
const (
	MaxQueryRunes     = 256 // characters of a query
	MaxQueryBytes     = 4 * MaxQueryRunes
	MaxQueryTerms     = 32  // phrases, words, exclusions and filters together, as written
	MaxFilterValue    = 64  // values per facet filter in a Request
	MaxFilterRunes    = 100 // characters of one filter value
	MaxOffset         = 10000
	DefaultLimit      = 20   // hits per page when a Request gives none
	MaxLimit          = 1000 // hits per page
	MaxHighlightTerms = 20   // texts marked by Query.Terms and TermTexts
)

// Item is one positive search term: a quoted phrase or a bare word, in
// normalised form (corpus.Normalize).
type Item struct {
	Text   string // normalised text
	Phrase bool   // quoted: exact substring only
}

// Group is a set of items joined by OR; a unit matches the group when it
// matches one of them.
type Group []Item

// Query is a parsed query: all groups must match (AND), no exclusion may
// occur, and every filter must hold (values of one facet are ORed).
type Query struct {
	Groups    []Group
	Exclude   []string // normalised strings a unit must not contain
	Districts []string
	Themes    []string
	Sections  []string
	Types     []string
	TargetMin *float64
	TargetMax *float64
	// Regions are jurisdictions: a name (山东省, 东营市), an NBS code
	// (370500) or a path of names joined by / (山东省/东营市); a document
	// passes when its jurisdiction is the region or lies below it.
	// 全国 means national documents only (their path is [全国]).
	Regions  []string
	DocTypes []string // 文种: 条例, 规划 …
	Levels   []string // 效力级别: one of Levels
	Statuses []string // 现行, 已修改
	Years    []int    // years of issue
	// DateFrom and DateTo bound the issue date, inclusive, as YYYY-MM-DD;
	// "" is an open end (see ParseDateRange).
	DateFrom, DateTo string
}

// Empty reports whether q has no positive term and no filter.
func (q *Query) Empty() bool {
	return len(q.Groups) == 0 && !q.hasFilters()
}

func (q *Query) hasFilters() bool {
	return len(q.Districts)+len(q.Themes)+len(q.Sections)+len(q.Types) > 0 || q.TargetMin != nil || q.TargetMax != nil ||
		len(q.Regions)+len(q.DocTypes)+len(q.Levels)+len(q.Statuses)+len(q.Years) > 0 || q.DateFrom != "" || q.DateTo != ""
}

// hasDocFilters reports whether q filters by a property of the document
// (region, kind, level, status, year, date).
func (q *Query) hasDocFilters() bool {
	return len(q.Regions)+len(q.DocTypes)+len(q.Levels)+len(q.Statuses)+len(q.Years) > 0 || q.DateFrom != "" || q.DateTo != ""
}

// Levels are the values of the level filter (效力级别), highest first.
var Levels = []string{kinds.Constitution, kinds.Law, kinds.AdminRegs, kinds.LocalRegs, kinds.DeptRules, kinds.LocalGovRules, kinds.JudicialInterp, kinds.Normative, kinds.WorkDoc}

// Statuses are the values of the status filter; current and amended are
// accepted for them.
var Statuses = []string{corpus.StatusCurrent, corpus.StatusAmended}

// Bounds of the year filter and of dates.
const (
	MinYear = 1900
	MaxYear = 2199
)

// unitTypes are the values of the type filter.
var unitTypes = []string{string(corpus.TypeTitle), string(corpus.TypeMeta), string(corpus.TypeSection), string(corpus.TypeClause), string(corpus.TypeTask), string(corpus.TypeTableRow), string(corpus.TypeTarget)}

// filterKeys maps the filter names of the query language (English and
// Chinese) to their facet.
var filterKeys = map[string]string{
	"district": "district", "区县": "district",
	"region": "region", "地区": "region",
	"theme": "theme", "主题": "theme",
	"section": "section", "部分": "section",
	"type": "type", "类型": "type",
	"target": "target", "目标值": "target",
	"doctype": "doctype", "文种": "doctype",
	"level": "level", "效力": "level", "效力级别": "level",
	"status": "status", "状态": "status",
	"year": "year", "年份": "year",
	"date": "date", "日期": "date",
}

// ParseQuery parses zhengce's query language:
//
//	"exact phrase"      units whose normalised text contains the phrase;
//	                    “phrase”, 「phrase」 and 『phrase』 are the same
//	word                a bare word: exact substring, or all its segmented words
//	a b, a AND b        both (AND)
//	a OR b              either (OR binds tighter than AND)
//	-word, -"phrase"    exclude units containing it
//	district:巫溪县 theme:职业教育 section:主要任务 type:task
//	region:山东省 region:山东省/东营市 doctype:条例 level:地方性法规
//	status:现行 year:2022 date:2020..2022 date:2020-01..2021-06 date:..2020
//	(区县, 地区, 主题, 部分, 类型, 文种, 效力, 状态, 年份, 日期 are the
//	Chinese keys; ： works like :)
//	target>=99 target<=100 target:90..100 target:99
//
// Values of one filter are ORed, filters are ANDed; date filters
// intersect. region includes everything below the named division
// (region:山东省 finds 东营市's documents); region:全国 is national
// documents only.
//
// Text is folded with corpus.Normalize (full-width forms, traditional
// characters, whitespace inside phrases). User text never reaches bleve's
// query-string syntax.
//
// Repetition costs nothing: an item repeated in its group, a group
// repeated (as a set of items) and a repeated exclusion are kept once, so
// 的 的 的 is the query 的. The MaxQueryTerms limit counts the terms as
// written.
func ParseQuery(s string) (*Query, error) {
	if !utf8.ValidString(s) {
		return nil, corpus.Errorf(corpus.EINVALID, "查询不是有效的 UTF-8 文本")
	}
	if len(s) > MaxQueryBytes || utf8.RuneCountInString(s) > MaxQueryRunes {
		return nil, corpus.Errorf(corpus.ETOOLARGE, "查询过长：最多 %d 个字符", MaxQueryRunes)
	}
	s = corpus.Fold(s)
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	if len(toks) > MaxQueryTerms*2 {
		return nil, corpus.Errorf(corpus.ETOOLARGE, "查询条件过多：最多 %d 个", MaxQueryTerms)
	}
	q := &Query{}
	n := 0
	var pendingOr bool
	for i, t := range toks {
		switch {
		case t.or:
			if i == 0 || i == len(toks)-1 || pendingOr {
				return nil, corpus.Errorf(corpus.EINVALID, "OR 的两侧都需要检索词")
			}
			prev := toks[i-1]
			next := toks[i+1]
			if prev.neg || next.neg {
				return nil, corpus.Errorf(corpus.EINVALID, "排除条件（-）不能与 OR 组合")
			}
			if prev.key != "" || next.key != "" {
				return nil, corpus.Errorf(corpus.EINVALID, "筛选条件之间无需 OR：同一类筛选的多个值自动按“或”组合")
			}
			if next.or {
				return nil, corpus.Errorf(corpus.EINVALID, "OR 的两侧都需要检索词")
			}
			pendingOr = true
			continue
		case t.key != "":
			if err := q.addFilter(t); err != nil {
				return nil, err
			}
		case t.neg:
			if t.text != "" {
				q.Exclude = appendUnique(q.Exclude, t.text)
			}
		default:
			if t.text == "" {
				pendingOr = false
				continue
			}
			it := Item{Text: t.text, Phrase: t.phrase}
			if pendingOr && len(q.Groups) > 0 {
				g := &q.Groups[len(q.Groups)-1]
				*g = append(*g, it)
			} else {
				q.Groups = append(q.Groups, Group{it})
			}
		}
		pendingOr = false
		n++
	}
	if n > MaxQueryTerms {
		return nil, corpus.Errorf(corpus.ETOOLARGE, "查询条件过多：最多 %d 个", MaxQueryTerms)
	}
	q.collapse()
	if len(q.Groups) == 0 && len(q.Exclude) > 0 && !q.hasFilters() {
		return nil, corpus.Errorf(corpus.EINVALID, "查询不能只包含排除条件：请加上检索词或筛选条件")
	}
	return q, nil
}

type token struct {
	text   string // normalised text, or filter value
	phrase bool
	neg    bool
	or     bool
	key    string // filter facet
	op     string // target comparison: >=, <=, >, <, :
}

func lex(s string) ([]token, error) {
	var out []token
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		var t token
		if r == '-' && i+1 < len(s) {
			if r2, _ := utf8.DecodeRuneInString(s[i+1:]); !unicode.IsSpace(r2) {
				t.neg = true
				i++
			}
		}
		if raw, next, ok, err := quoted(s, i); err != nil {
			return nil, err
		} else if ok {
			i = next
			t.phrase = true
			t.text = corpus.Normalize(raw)
			if t.text == "" {
				return nil, corpus.Errorf(corpus.EINVALID, "引号内没有内容")
			}
			out = append(out, t)
			continue
		}
		// a bare word: up to whitespace or a quote
		j := i
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if unicode.IsSpace(r) || r == '"' {
				break
			}
			j += size
		}
		word := s[i:j]
		i = j
		if word == "OR" && !t.neg {
			out = append(out, token{or: true})
			continue
		}
		if word == "AND" && !t.neg { // what juxtaposition means anyway
			continue
		}
		if key, op, val, ok := splitFilter(word); ok && !t.neg {
			t.key, t.op = key, op
			if val == "" { // district:"巫溪县", district:“巫溪县”
				raw, next, ok, err := quoted(s, i)
				if err != nil {
					return nil, err
				}
				if ok {
					val, i = raw, next
				}
			} else { // 区县:“巫溪县” (a curly quote does not end a word)
				raw, next, ok, err := quoted(val, 0)
				if err != nil {
					return nil, err
				}
				if ok && next == len(val) {
					val = raw
				}
			}
			t.text = strings.TrimSpace(val)
			if t.text == "" {
				return nil, corpus.Errorf(corpus.EINVALID, "筛选条件 %s 缺少取值", word)
			}
			out = append(out, t)
			continue
		}
		t.text = corpus.Normalize(word)
		out = append(out, t)
	}
	return out, nil
}

// closingQuotes returns the quotes that close a phrase opened by r, or ""
// when r opens none: " closes with ", “ with ” (or ", as input methods mix
// them), 「 with 」 and 『 with 』. A phrase in straight quotes may thus
// hold curly ones: "“双减”".
func closingQuotes(r rune) string {
	switch r {
	case '"':
		return `"`
	case '“':
		return `”"`
	case '「':
		return "」"
	case '『':
		return "』"
	}
	return ""
}

// quoted reads the quoted text starting at s[i]: ok is false when no
// quote opens there; next is the index after the closing quote.
func quoted(s string, i int) (raw string, next int, ok bool, err error) {
	if i >= len(s) {
		return "", i, false, nil
	}
	r, size := utf8.DecodeRuneInString(s[i:])
	closers := closingQuotes(r)
	if closers == "" {
		return "", i, false, nil
	}
	rest := s[i+size:]
	end := strings.IndexAny(rest, closers)
	if end < 0 {
		return "", i, false, corpus.Errorf(corpus.EINVALID, "引号不成对：短语需要用一对引号括起来，例如 \"五育并举\" 或 “五育并举”")
	}
	_, csize := utf8.DecodeRuneInString(rest[end:])
	return rest[:end], i + size + end + csize, true, nil
}

// splitFilter recognises key:value and target comparisons.
func splitFilter(w string) (key, op, val string, ok bool) {
	for _, o := range []string{">=", "<=", "≥", "≤", ">", "<", ":"} {
		k, v, found := strings.Cut(w, o)
		if !found {
			continue
		}
		key, known := filterKeys[strings.ToLower(k)]
		if !known {
			continue
		}
		if o != ":" && key != "target" {
			continue
		}
		return key, o, v, true
	}
	return "", "", "", false
}

func (q *Query) addFilter(t token) error {
	switch t.key {
	case "district":
		q.Districts = appendUnique(q.Districts, t.text)
	case "theme":
		q.Themes = appendUnique(q.Themes, t.text)
	case "section":
		if !slices.Contains(corpus.Parts, t.text) {
			return corpus.Errorf(corpus.EINVALID, "未知的部分：%s（可选：%s）", t.text, strings.Join(corpus.Parts, "、"))
		}
		q.Sections = appendUnique(q.Sections, t.text)
	case "type":
		v := strings.ToLower(t.text)
		if !slices.Contains(unitTypes, v) {
			return corpus.Errorf(corpus.EINVALID, "未知的类型：%s（可选：%s）", t.text, strings.Join(unitTypes, "、"))
		}
		q.Types = appendUnique(q.Types, v)
	case "target":
		return q.addTargetRange(t)
	case "region":
		v, err := RegionValue(t.text)
		if err != nil {
			return err
		}
		q.Regions = appendUnique(q.Regions, v)
	case "doctype":
		q.DocTypes = appendUnique(q.DocTypes, t.text)
	case "level":
		if !slices.Contains(Levels, t.text) {
			return corpus.Errorf(corpus.EINVALID, "未知的效力级别：%s（可选：%s）", t.text, strings.Join(Levels, "、"))
		}
		q.Levels = appendUnique(q.Levels, t.text)
	case "status":
		v, err := StatusValue(t.text)
		if err != nil {
			return err
		}
		q.Statuses = appendUnique(q.Statuses, v)
	case "year":
		y, err := ParseYear(t.text)
		if err != nil {
			return err
		}
		if !slices.Contains(q.Years, y) {
			q.Years = append(q.Years, y)
		}
	case "date":
		from, to, err := ParseDateRange(t.text)
		if err != nil {
			return err
		}
		q.narrowDates(from, to)
	}
	return nil
}

// narrowDates intersects the date range of q with [from, to].
func (q *Query) narrowDates(from, to string) {
	if from != "" && from > q.DateFrom {
		q.DateFrom = from
	}
	if to != "" && (q.DateTo == "" || to < q.DateTo) {
		q.DateTo = to
	}
}

// RegionValue checks a region filter value and returns it in canonical
// form: a path written with › or ／ is joined by /, spaces around the
// names removed.
func RegionValue(v string) (string, error) {
	v = strings.NewReplacer("›", "/", "／", "/", "＞", "/", ">", "/").Replace(v)
	parts := strings.Split(v, "/")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
		if parts[i] == "" {
			return "", corpus.Errorf(corpus.EINVALID, "地区无效：%s（示例：region:山东省、region:山东省/东营市）", v)
		}
	}
	return strings.Join(parts, "/"), nil
}

// StatusValue checks a status filter value: 现行 or 已修改 (current and
// amended are accepted).
func StatusValue(v string) (string, error) {
	switch strings.ToLower(v) {
	case corpus.StatusCurrent, "current":
		return corpus.StatusCurrent, nil
	case corpus.StatusAmended, "amended":
		return corpus.StatusAmended, nil
	}
	return "", corpus.Errorf(corpus.EINVALID, "未知的状态：%s（可选：%s）", v, strings.Join(Statuses, "、"))
}

// ParseYear parses a year filter value: four digits from MinYear to
// MaxYear, 年 allowed after them (2022年).
func ParseYear(v string) (int, error) {
	s := strings.TrimSuffix(strings.TrimSpace(corpus.Fold(v)), "年")
	y, err := strconv.Atoi(s)
	if err != nil || len(s) != 4 || y < MinYear || y > MaxYear {
		return 0, corpus.Errorf(corpus.EINVALID, "年份无效：%s（示例：year:2022；年份范围请用 date:2020..2022）", v)
	}
	return y, nil
}

// ParseDateRange parses a date filter: FROM..TO, ..TO, FROM.. or a single
// date, where a date is YYYY, YYYY-MM or YYYY-MM-DD (/ . and 年月日 work
// as separators too: 2021年6月). The result is inclusive, as YYYY-MM-DD:
// a lower bound starts its year or month, an upper bound ends it, so
// 2020..2022 is 2020-01-01..2022-12-31 and 2021-06 alone is the month.
// "" is an open end.
func ParseDateRange(v string) (from, to string, err error) {
	bad := corpus.Errorf(corpus.EINVALID, "日期条件无效：%s（示例：date:2020..2022、date:2020-01..2021-06、date:..2020）", v)
	s := strings.TrimSpace(corpus.Fold(v))
	a, b, isRange := strings.Cut(s, "..")
	if !isRange {
		a, b = s, s
	}
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	if a == "" && b == "" {
		return "", "", bad
	}
	if a != "" {
		if from, err = boundDate(a, false); err != nil {
			return "", "", bad
		}
	}
	if b != "" {
		if to, err = boundDate(b, true); err != nil {
			return "", "", bad
		}
	}
	if from != "" && to != "" && from > to {
		return "", "", corpus.Errorf(corpus.EINVALID, "日期范围无效：%s 的起点晚于终点", v)
	}
	return from, to, nil
}

// boundDate turns YYYY, YYYY-MM or YYYY-MM-DD into the first (or, for an
// upper bound, the last) day it covers.
func boundDate(s string, upper bool) (string, error) {
	s = strings.TrimSuffix(s, "日")
	s = strings.Map(func(r rune) rune {
		switch r {
		case '年', '月', '/', '.':
			return '-'
		}
		return r
	}, s)
	s = strings.TrimSuffix(s, "-")
	parts := strings.Split(s, "-")
	if len(parts) > 3 {
		return "", errBadDate
	}
	nums := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || p == "" || p[0] == '+' || p[0] == '-' || (i == 0 && len(p) != 4) || (i > 0 && len(p) > 2) {
			return "", errBadDate
		}
		nums[i] = n
	}
	y, m, d := nums[0], 1, 1
	if y < MinYear || y > MaxYear {
		return "", errBadDate
	}
	if upper {
		m = 12
	}
	if len(nums) > 1 {
		m = nums[1]
		if m < 1 || m > 12 {
			return "", errBadDate
		}
	}
	last := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if upper {
		d = last
	}
	if len(nums) > 2 {
		d = nums[2]
		if d < 1 || d > last {
			return "", errBadDate
		}
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d), nil
}

// errBadDate is the cause boundDate gives; ParseDateRange reports the
// whole value.
var errBadDate = errors.New("bad date")

func (q *Query) addTargetRange(t token) error {
	bad := corpus.Errorf(corpus.EINVALID, "目标值条件无效：%s（示例：target>=99、target:90..100）", t.text)
	num := func(s string) (float64, bool) {
		f, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "%"), 64)
		return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
	}
	var lo, hi *float64
	switch t.op {
	case ">=", "≥", ">", "<=", "≤", "<":
		v, ok := num(t.text)
		if !ok {
			return bad
		}
		switch t.op {
		case ">":
			v = math.Nextafter(v, math.Inf(1))
			lo = &v
		case ">=", "≥":
			lo = &v
		case "<":
			v = math.Nextafter(v, math.Inf(-1))
			hi = &v
		default:
			hi = &v
		}
	case ":":
		a, b, isRange := strings.Cut(t.text, "..")
		if isRange {
			va, okA := num(a)
			vb, okB := num(b)
			if (!okA && strings.TrimSpace(a) != "") || (!okB && strings.TrimSpace(b) != "") || (!okA && !okB) {
				return bad
			}
			if okA {
				lo = &va
			}
			if okB {
				hi = &vb
			}
		} else {
			v, ok := num(t.text)
			if !ok {
				return bad
			}
			lo, hi = &v, &v
		}
	}
	q.TargetMin = maxPtr(q.TargetMin, lo)
	q.TargetMax = minPtr(q.TargetMax, hi)
	return nil
}

func maxPtr(a, b *float64) *float64 {
	if a == nil {
		return b
	}
	if b == nil || *a >= *b {
		return a
	}
	return b
}

func minPtr(a, b *float64) *float64 {
	if a == nil {
		return b
	}
	if b == nil || *a <= *b {
		return a
	}
	return b
}

func appendUnique(s []string, v string) []string {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

// collapse removes repetition: an item repeated within its group, and a
// group with the same items as an earlier one (in any order). Neither
// changes what matches; each would cost a full evaluation.
func (q *Query) collapse() {
	seen := map[string]bool{}
	groups := q.Groups[:0]
	for _, g := range q.Groups {
		items := g[:0]
		for _, it := range g {
			if !slices.Contains(items, it) {
				items = append(items, it)
			}
		}
		keys := make([]string, len(items))
		for i, it := range items {
			keys[i] = strconv.FormatBool(it.Phrase) + "\x00" + it.Text
		}
		slices.Sort(keys)
		k := strings.Join(keys, "\x01")
		if seen[k] {
			continue
		}
		seen[k] = true
		groups = append(groups, items)
	}
	q.Groups = groups
}

// Terms returns the texts that mark a match of q: the normalised text of
// every phrase and bare word of its groups, each once, in order, at most
// MaxHighlightTerms. Exclusions and filters mark nothing. (The engine
// also marks the segmented words of bare words; Response.Terms lists them,
// TermTexts turns that list into texts.)
func (q *Query) Terms() []string {
	var out []string
	for _, g := range q.Groups {
		for _, it := range g {
			if len(out) == MaxHighlightTerms {
				return out
			}
			if !slices.Contains(out, it.Text) {
				out = append(out, it.Text)
			}
		}
	}
	return out
}

// TermTexts returns the texts to mark for terms as Response.Terms gives
// them (phrases in double quotes, bare and segmented words as they are):
// unquoted, each once, in order, at most MaxHighlightTerms.
func TermTexts(terms []string) []string {
	var out []string
	for _, t := range terms {
		if len(out) == MaxHighlightTerms {
			break
		}
		if len(t) >= 2 && t[0] == '"' && t[len(t)-1] == '"' {
			t = t[1 : len(t)-1]
		}
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}
