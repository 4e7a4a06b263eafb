package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/zhengce/zhengce/search"
)

// searchGrouped answers `zhengce search --group doc`: the documents with
// their best units, as JSON (that of /api/search?group=doc) or readable.
func (m *Main) searchGrouped(ctx context.Context, svc querier, req search.Request, asJSON bool) error {
	res, err := svc.SearchGrouped(ctx, req)
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	printGrouped(m.Stdout, res, req.Offset, isTerminal(m.Stdout))
	return nil
}

// printGrouped writes the documents of a grouped answer: the jump, then
// each document with its best units and its other versions.
func printGrouped(w io.Writer, res *search.GroupedResponse, offset int, tty bool) {
	if res.Notice != "" {
		fmt.Fprintf(w, "提示：%s\n", res.Notice)
	}
	if j := res.Jump; j != nil {
		fmt.Fprintf(w, "跳转到《%s》%s：%s\n", j.Title, j.Article, j.URL)
	}
	if res.Total == 0 {
		fmt.Fprintf(w, "没有找到结果（检索词：%s）\n", strings.Join(res.Terms, " "))
		return
	}
	fmt.Fprintf(w, "共 %d 条结果，分属 %d 个文件，显示第 %d–%d 个文件（%.1f 毫秒）\n", res.Total, res.TotalDocuments,
		offset+1, offset+len(res.Documents), res.TookMS)
	for i, d := range res.Documents {
		status := ""
		if len(d.Versions) > 0 {
			status = " · " + d.Status
		}
		fmt.Fprintf(w, "\n%d. 《%s》  [%s%s · %d 处匹配]  %s\n", offset+i+1, d.Title, d.District, status, d.Total, d.URL)
		for _, h := range d.Hits {
			fmt.Fprintf(w, "   - %s\n", h.Citation)
			for _, f := range h.Fragments {
				fmt.Fprintf(w, "     %s\n", terminalText(f, tty))
			}
			fmt.Fprintf(w, "     %s\n", h.URL)
		}
		if more := int(d.Total) - len(d.Hits); more > 0 {
			fmt.Fprintf(w, "   本文件另有 %d 处匹配\n", more)
		}
		for _, v := range d.Versions {
			fmt.Fprintf(w, "   其他版本：%s %s（%d 处匹配）%s\n", v.IssueDate, v.Status, v.Total, v.URL)
		}
	}
}
