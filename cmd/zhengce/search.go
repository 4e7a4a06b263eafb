package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"strings"
	"unicode"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/indexer"
	"github.com/zhengce/zhengce/search"
)

// runSearch implements `zhengce search`: query the index (building it
// first when missing or stale) and print readable results or the JSON of
// search.Response. A query of quoted phrases and filters over an up-to-date
// index is answered without loading the segmenter.
func (m *Main) runSearch(ctx context.Context, args []string) error {
	fs := m.flagSet("search")
	corpusDir := fs.String("corpus", "", "语料目录（默认使用内置语料）")
	indexDir := fs.String("index", "", "索引目录（默认 $ZHENGCE_INDEX 或 "+indexer.DefaultDir()+"）")
	asJSON := fs.Bool("json", false, "以 JSON 输出（与 /api/search 相同）")
	group := fs.String("group", "", "按文件分组：doc（每个文件一次，列出其最佳条目，与 /api/search?group=doc 相同）")
	limit := fs.Int("limit", search.DefaultLimit, fmt.Sprintf("返回条数（1–%d）", search.MaxLimit))
	offset := fs.Int("offset", 0, "跳过的条数")
	var districts, themes, sections, types stringList
	fs.Var(&districts, "district", "只看该区县（可重复，多个值为“或”）")
	fs.Var(&themes, "theme", "只看该主题（可重复）")
	fs.Var(&sections, "section", "只看该部分："+strings.Join(corpus.Parts, "、")+"（可重复）")
	fs.Var(&types, "type", "只看该类型：section、clause、task、table_row、target（可重复）")
	var regions, doctypes, levels, statuses, years stringList
	fs.Var(&regions, "region", "只看该地区及其下级（可重复）：山东省、山东省/东营市；全国 只含全国性文件")
	fs.Var(&doctypes, "doctype", "只看该文种（可重复）：条例、规划、方案、通知 …")
	fs.Var(&levels, "level", "只看该效力级别（可重复）："+strings.Join(search.Levels, "、"))
	fs.Var(&statuses, "status", "只看该状态（可重复）："+strings.Join(search.Statuses, "、"))
	fs.Var(&years, "year", "只看该年份（可重复）：2022")
	date := fs.String("date", "", "发布日期范围：2020..2022、2020-01..2021-06、..2020、2021-06")
	fs.Usage = func() {
		fmt.Fprintln(m.Stderr, "用法：zhengce search [--index DIR] [--corpus DIR] [--json] [--group doc] [--limit N] [--offset N] [--district D]... [--theme T]... [--section S]... [--type K]... [--region R]... [--doctype T]... [--level L]... [--status S]... [--year Y]... [--date A..B] 查询")
		fmt.Fprintln(m.Stderr, `查询语法："精确短语"  词语（AND）  甲 OR 乙  -排除  district:巫溪县 theme:职业教育 section:主要任务 type:task target>=99`)
		fmt.Fprintln(m.Stderr, `          region:山东省 doctype:条例 level:地方性法规 status:现行 year:2022 date:2020..2022（地区 文种 效力 状态 年份 日期）`)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	// Everything after the first non-flag argument is the query, so
	// exclusions (-高职) need no quoting.
	query := strings.Join(fs.Args(), " ")
	if strings.TrimSpace(query) == "" && len(districts)+len(themes)+len(sections)+len(types)+
		len(regions)+len(doctypes)+len(levels)+len(statuses)+len(years) == 0 && *date == "" {
		fs.Usage()
		return corpus.Errorf(corpus.EINVALID, "缺少查询")
	}
	if *limit < 1 {
		return corpus.Errorf(corpus.EINVALID, "--limit 至少为 1")
	}
	req := search.Request{Query: query, Districts: districts, Themes: themes, Sections: sections, Types: types, Limit: *limit, Offset: *offset,
		Regions: regions, DocTypes: doctypes, Levels: levels, Statuses: statuses}
	if len(years) > search.MaxFilterValue {
		return corpus.Errorf(corpus.ETOOLARGE, "筛选值过多：每类最多 %d 个", search.MaxFilterValue)
	}
	for _, v := range years {
		y, err := search.ParseYear(v)
		if err != nil {
			return err
		}
		req.Years = append(req.Years, y)
	}
	if *date != "" {
		from, to, err := search.ParseDateRange(*date)
		if err != nil {
			return err
		}
		req.DateFrom, req.DateTo = from, to
	}
	q, err := search.ParseQuery(query)
	if err != nil {
		return err
	}
	dir := m.indexDir(*indexDir)
	var svc querier
	if *corpusDir == "" && search.HasLibrary(dir) {
		// the index is the collection: searched as it is, never rebuilt
		// from the seeds
		if svc, err = m.openLibraryForQuery(ctx, dir, needsSegmenter(q)); err != nil {
			return err
		}
	} else {
		c, err := m.loadCorpus(ctx, *corpusDir)
		if err != nil {
			return err
		}
		if svc, err = m.openForQuery(ctx, dir, c, needsSegmenter(q)); err != nil {
			return err
		}
	}
	defer svc.Close()
	switch *group {
	case "":
	case "doc":
		return m.searchGrouped(ctx, svc, req, *asJSON)
	default:
		return corpus.Errorf(corpus.EINVALID, "--group 只能是 doc（按文件分组）")
	}
	res, err := svc.Search(ctx, req)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	printResults(m.Stdout, res, *offset, isTerminal(m.Stdout))
	return nil
}

// needsSegmenter reports whether q has a bare word, which is matched by its
// segmented words besides verbatim.
func needsSegmenter(q *search.Query) bool {
	for _, g := range q.Groups {
		for _, it := range g {
			if !it.Phrase {
				return true
			}
		}
	}
	return false
}

// querier answers the search command: a search.Service over a corpus, or
// a search.Live over a self-contained index.
type querier interface {
	Search(ctx context.Context, r search.Request) (*search.Response, error)
	SearchGrouped(ctx context.Context, r search.Request) (*search.GroupedResponse, error)
	Close() error
}

// openLibraryForQuery opens the self-contained index in dir read-only,
// with its own dictionary when the query needs one. Damaged index files
// are rebuilt from the index's document store first (guarantee 1.2).
func (m *Main) openLibraryForQuery(ctx context.Context, dir string, needSeg bool) (*search.Live, error) {
	open := func() (*search.Live, error) {
		var seg *indexer.Segmenter
		if needSeg {
			var err error
			if seg, err = m.indexSegmenter(dir); err != nil {
				return nil, err
			}
		}
		return search.OpenLibraryReadOnly(dir, seg)
	}
	live, err := open()
	if err != nil && errors.Is(err, indexer.ErrCorrupt) {
		m.reportRepair(err)
		if rerr := m.repairFromStore(ctx, dir); rerr != nil {
			return nil, errors.Join(err, rerr)
		}
		return open()
	}
	return live, err
}

// openForQuery opens the index, loading the segmenter only when the query
// needs it or the index must be (re)built.
func (m *Main) openForQuery(ctx context.Context, dir string, c *corpus.Corpus, needSeg bool) (*search.Service, error) {
	if !needSeg {
		if meta, err := indexer.ReadMeta(dir); err == nil && meta.Fresh(c, "") {
			svc, err := search.Open(dir, c, nil)
			if !errors.Is(err, indexer.ErrCorrupt) {
				return svc, err
			}
			// a damaged index is rebuilt whatever the query (guarantee
			// 1.2): the manifest was sound, the files are not
		}
	}
	seg, err := m.serveSegmenter(dir, c)
	if err != nil {
		return nil, err
	}
	return search.Ensure(ctx, dir, c, seg, m.progress("建立索引"))
}

// printResults writes a readable result list: citation, breadcrumb,
// highlighted fragments and permalink of each hit, then the facets.
func printResults(w io.Writer, res *search.Response, offset int, tty bool) {
	if res.Notice != "" {
		fmt.Fprintf(w, "提示：%s\n", res.Notice)
	}
	if res.Total == 0 {
		fmt.Fprintf(w, "没有找到结果（检索词：%s）\n", strings.Join(res.Terms, " "))
		return
	}
	fmt.Fprintf(w, "共 %d 条结果，显示第 %d–%d 条（%.1f 毫秒）\n", res.Total, offset+1, offset+len(res.Hits), res.TookMS)
	for i, h := range res.Hits {
		fmt.Fprintf(w, "\n%d. %s  [%s · %s · %s]\n", offset+i+1, h.Citation, h.District, h.Section, corpus.UnitType(h.Type).Name())
		if doc := docLine(h); doc != "" {
			fmt.Fprintf(w, "   %s\n", doc)
		}
		if len(h.Breadcrumb) > 0 {
			fmt.Fprintf(w, "   %s\n", strings.Join(h.Breadcrumb, " › "))
		}
		for _, f := range h.Fragments {
			fmt.Fprintf(w, "   %s\n", terminalText(f, tty))
		}
		fmt.Fprintf(w, "   %s\n", h.URL)
	}
	fmt.Fprintln(w)
	if len(res.Facets.Region) > 0 {
		fmt.Fprintln(w, "地区：")
		regionLines(w, res.Facets.Region, 0)
	}
	if len(res.Facets.Theme) > 0 {
		fmt.Fprintln(w, "主题：")
		regionLines(w, res.Facets.Theme, 0)
	}
	for _, f := range []struct {
		name  string
		vals  []search.FacetValue
		label func(string) string
	}{
		{"区县", res.Facets.District, nil},
		{"部分", res.Facets.Section, nil},
		{"类型", res.Facets.Type, func(v string) string { return corpus.UnitType(v).Name() }},
		{"文种", res.Facets.DocType, nil},
		{"效力级别", res.Facets.Level, nil},
		{"状态", res.Facets.Status, nil},
		{"年份", res.Facets.Year, nil},
	} {
		var parts []string
		for _, v := range f.vals {
			value := v.Value
			if f.label != nil {
				value = f.label(value)
			}
			parts = append(parts, fmt.Sprintf("%s %d", value, v.Count))
		}
		if len(parts) > 0 {
			fmt.Fprintf(w, "%s：%s\n", f.name, strings.Join(parts, " · "))
		}
	}
}

// docLine describes a hit's document: its jurisdiction's path, level of
// force, kind, and status when the work has other versions; "" when
// nothing is known.
func docLine(h search.Hit) string {
	var parts []string
	if j := h.Jurisdiction; j != nil && len(j.Path) > 0 {
		parts = append(parts, strings.Join(j.Path, " › "))
	}
	for _, v := range []string{h.Level, h.DocType} {
		if v != "" {
			parts = append(parts, v)
		}
	}
	if len(h.Versions) > 1 {
		parts = append(parts, fmt.Sprintf("%s（另有 %d 个版本）", h.Status, len(h.Versions)-1))
	}
	return strings.Join(parts, " · ")
}

// regionLines writes a tree facet (region, theme) as an indented tree.
func regionLines(w io.Writer, vals []search.FacetValue, depth int) {
	for _, v := range vals {
		fmt.Fprintf(w, "%s%s %d\n", strings.Repeat("  ", depth+1), v.Value, v.Count)
		regionLines(w, v.Children, depth+1)
	}
}

// terminalText turns an escaped, marked fragment into terminal text:
// matches in bold red on a terminal, in 【】 otherwise; whitespace runs
// (line breaks of the source) become one space, and control characters of
// the document (terminal escape sequences) are dropped.
func terminalText(frag string, tty bool) string {
	const markOpen, markClose = '\uE000', '\uE001'
	frag = strings.Map(func(r rune) rune {
		if r == markOpen || r == markClose {
			return -1
		}
		return r
	}, frag)
	frag = strings.NewReplacer("<mark>", string(markOpen), "</mark>", string(markClose)).Replace(frag)
	frag = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && !unicode.IsSpace(r) {
			return -1
		}
		return r
	}, html.UnescapeString(frag))
	frag = strings.Join(strings.Fields(frag), " ")
	open, closeMark := "【", "】"
	if tty {
		open, closeMark = "\x1b[1;31m", "\x1b[0m"
	}
	return strings.NewReplacer(string(markOpen), open, string(markClose), closeMark).Replace(frag)
}
