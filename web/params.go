package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/search"
)

// PageSize is the number of results per page of the search page. The
// limits on parameters (query length, filter values, offset) are the
// search package's: search.MaxQueryRunes and the rest, checked here
// before any search runs.
const PageSize = 20

// filterParams are the repeatable facet parameters, in display order, with
// their Simplified Chinese names.
var filterParams = []struct{ Key, Name string }{
	{"region", "地区"},
	{"district", "区县"},
	{"doctype", "文种"},
	{"level", "效力级别"},
	{"status", "状态"},
	{"year", "年份"},
	{"date", "日期"},
	{"theme", "主题"},
	{"section", "部分"},
	{"type", "类型"},
}

// filterValue checks one value of a document filter and returns it in
// canonical form (a region path joined by /, 现行 for current, the year
// as four digits); the messages are the query language's.
func filterValue(key, v string) (string, error) {
	switch key {
	case "region":
		return search.RegionValue(v)
	case "level":
		if !slices.Contains(search.Levels, v) {
			return "", corpus.Errorf(corpus.EINVALID, "未知的效力级别：%s（可选：%s）", v, strings.Join(search.Levels, "、"))
		}
	case "status":
		return search.StatusValue(v)
	case "year":
		y, err := search.ParseYear(v)
		if err != nil {
			return "", err
		}
		return strconv.Itoa(y), nil
	case "date":
		if _, _, err := search.ParseDateRange(v); err != nil {
			return "", err
		}
	}
	return v, nil
}

// query is the validated state of a search URL: the query text and the
// facet filters, keyed by parameter name.
type query struct {
	Q       string
	Filters map[string][]string
}

// parseQuery validates q and the facet filters of c's URL.
func parseQuery(c echo.Context) (query, error) {
	vals := c.QueryParams()
	q, err := textParam(vals, "q", search.MaxQueryRunes, "查询")
	if err != nil {
		return query{}, err
	}
	out := query{Q: strings.TrimSpace(q), Filters: map[string][]string{}}
	for _, f := range filterParams {
		vs := vals[f.Key]
		if len(vs) > search.MaxFilterValue {
			return query{}, corpus.Errorf(corpus.ETOOLARGE, "筛选条件 %s 的取值过多（最多 %d 个）", f.Key, search.MaxFilterValue)
		}
		seen := map[string]bool{}
		for _, v := range vs {
			if err := checkText(v, search.MaxFilterRunes, "筛选条件 "+f.Key); err != nil {
				return query{}, err
			}
			v = strings.TrimSpace(v)
			if v == "" {
				continue
			}
			if v, err = filterValue(f.Key, v); err != nil {
				return query{}, err
			}
			if !seen[v] {
				seen[v] = true
				out.Filters[f.Key] = append(out.Filters[f.Key], v)
			}
		}
	}
	if len(out.Filters["date"]) > 1 {
		return query{}, corpus.Errorf(corpus.EINVALID, "日期条件只能给一个：用 date=2020..2022 表示范围")
	}
	return out, nil
}

// textParam returns the first value of key, validated.
func textParam(vals url.Values, key string, maxRunes int, name string) (string, error) {
	v := vals.Get(key)
	if err := checkText(v, maxRunes, name); err != nil {
		return "", err
	}
	return v, nil
}

// checkText rejects invalid UTF-8, control characters and over-long text.
func checkText(v string, maxRunes int, name string) error {
	if len(v) > 4*maxRunes || utf8.RuneCountInString(v) > maxRunes {
		return corpus.Errorf(corpus.ETOOLARGE, "%s过长（最多 %d 个字符）", name, maxRunes)
	}
	if !utf8.ValidString(v) {
		return corpus.Errorf(corpus.EINVALID, "%s包含无效的 UTF-8 字符", name)
	}
	if strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 && r != '\t' || r == 0x7f }) {
		return corpus.Errorf(corpus.EINVALID, "%s包含控制字符", name)
	}
	return nil
}

// intParam parses an optional integer parameter in [lo, hi].
func intParam(vals url.Values, key string, def, lo, hi int) (int, error) {
	s := strings.TrimSpace(vals.Get(key))
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, corpus.Errorf(corpus.EINVALID, "参数 %s 必须是整数", key)
	}
	if n < lo || n > hi {
		return 0, corpus.Errorf(corpus.EINVALID, "参数 %s 必须在 %d 到 %d 之间", key, lo, hi)
	}
	return n, nil
}

// floatParam parses an optional number parameter.
func floatParam(vals url.Values, key string) (*float64, error) {
	s := strings.TrimSpace(vals.Get(key))
	if s == "" {
		return nil, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != f {
		return nil, corpus.Errorf(corpus.EINVALID, "参数 %s 必须是数字", key)
	}
	return &f, nil
}

// request builds the search.Request of a query (validated by
// parseQuery: its years and date parse).
func (q query) request(limit, offset int) search.Request {
	r := search.Request{
		Query:     q.Q,
		Districts: q.Filters["district"],
		Themes:    q.Filters["theme"],
		Sections:  q.Filters["section"],
		Types:     q.Filters["type"],
		Regions:   q.Filters["region"],
		DocTypes:  q.Filters["doctype"],
		Levels:    q.Filters["level"],
		Statuses:  q.Filters["status"],
		Limit:     limit,
		Offset:    offset,
	}
	for _, v := range q.Filters["year"] {
		if y, err := search.ParseYear(v); err == nil {
			r.Years = append(r.Years, y)
		}
	}
	if ds := q.Filters["date"]; len(ds) > 0 {
		r.DateFrom, r.DateTo, _ = search.ParseDateRange(ds[0])
	}
	return r
}

// values returns the URL parameters of q (page not included).
func (q query) values() url.Values {
	v := url.Values{}
	if q.Q != "" {
		v.Set("q", q.Q)
	}
	for _, f := range filterParams {
		for _, x := range q.Filters[f.Key] {
			v.Add(f.Key, x)
		}
	}
	return v
}

// has reports whether filter key has value v.
func (q query) has(key, v string) bool {
	for _, x := range q.Filters[key] {
		if x == v {
			return true
		}
	}
	return false
}

// without returns a copy of q with value v of filter key removed.
func (q query) without(key, v string) query {
	out := query{Q: q.Q, Filters: map[string][]string{}}
	for k, vs := range q.Filters {
		for _, x := range vs {
			if k != key || x != v {
				out.Filters[k] = append(out.Filters[k], x)
			}
		}
	}
	return out
}

// url returns path with q's parameters and the extra ones.
func (q query) url(path string, extra ...string) string {
	v := q.values()
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}
