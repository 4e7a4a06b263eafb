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
	limit := fs.Int("limit", search.DefaultLimit, fmt.Sprintf("返回条数（1–%d）", search.MaxLimit))
	offset := fs.Int("offset", 0, "跳过的条数")
	var districts, themes, sections, types stringList
	fs.Var(&districts, "district", "只看该区县（可重复，多个值为“或”）")
	fs.Var(&themes, "theme", "只看该主题（可重复）")
	fs.Var(&sections, "section", "只看该部分："+strings.Join(corpus.Parts, "、")+"（可重复）")
	fs.Var(&types, "type", "只看该类型：section、clause、task、table_row、target（可重复）")
	fs.Usage = func() {
		fmt.Fprintln(m.Stderr, "用法：zhengce search [--index DIR] [--corpus DIR] [--json] [--limit N] [--offset N] [--district D]... [--theme T]... [--section S]... [--type K]... 查询")
		fmt.Fprintln(m.Stderr, `查询语法："精确短语"  词语（AND）  甲 OR 乙  -排除  district:巫溪县 theme:职业教育 section:主要任务 type:task target>=99`)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	// Everything after the first non-flag argument is the query, so
	// exclusions (-高职) need no quoting.
	query := strings.Join(fs.Args(), " ")
	if strings.TrimSpace(query) == "" && len(districts)+len(themes)+len(sections)+len(types) == 0 {
		fs.Usage()
		return corpus.Errorf(corpus.EINVALID, "缺少查询")
	}
	if *limit < 1 {
		return corpus.Errorf(corpus.EINVALID, "--limit 至少为 1")
	}
	req := search.Request{Query: query, Districts: districts, Themes: themes, Sections: sections, Types: types, Limit: *limit, Offset: *offset}
	q, err := search.ParseQuery(query)
	if err != nil {
		return err
	}
	c, err := m.loadCorpus(ctx, *corpusDir)
	if err != nil {
		return err
	}
	dir := m.indexDir(*indexDir)
	svc, err := m.openForQuery(ctx, dir, c, needsSegmenter(q))
	if err != nil {
		return err
	}
	defer svc.Close()
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
		if len(h.Breadcrumb) > 0 {
			fmt.Fprintf(w, "   %s\n", strings.Join(h.Breadcrumb, " › "))
		}
		for _, f := range h.Fragments {
			fmt.Fprintf(w, "   %s\n", terminalText(f, tty))
		}
		fmt.Fprintf(w, "   %s\n", h.URL)
	}
	fmt.Fprintln(w)
	for _, f := range []struct {
		name  string
		vals  []search.FacetValue
		label func(string) string
	}{
		{"区县", res.Facets.District, nil},
		{"部分", res.Facets.Section, nil},
		{"类型", res.Facets.Type, func(v string) string { return corpus.UnitType(v).Name() }},
		{"主题", res.Facets.Theme, nil},
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
