package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/zhengce/zhengce/corpus"
)

// outlineJSON is the JSON output of `zhengce outline`.
type outlineJSON struct {
	DocID    string            `json:"doc_id"`
	Title    string            `json:"title"`
	District string            `json:"district"`
	Sections []*corpus.Section `json:"sections"`
}

// runOutline implements `zhengce outline DOC_ID`: print the heading tree of
// one document, indented, with each heading's unit path, or as JSON. It
// needs no segmentation dictionary.
func (m *Main) runOutline(ctx context.Context, args []string) error {
	fs := m.flagSet("outline")
	corpusDir := fs.String("corpus", "", "语料目录（默认使用内置语料）")
	asJSON := fs.Bool("json", false, "以 JSON 输出")
	fs.Usage = func() {
		fmt.Fprintln(m.Stderr, "用法：zhengce outline [--corpus DIR] [--json] 文档编号")
		fs.PrintDefaults()
	}
	pos, err := parseDocArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return corpus.Errorf(corpus.EINVALID, "需要且只需要一个文档编号（可用 zhengce docs 查看）")
	}
	c, err := m.loadCorpus(ctx, *corpusDir)
	if err != nil {
		return err
	}
	d, err := c.Document(pos[0])
	if err != nil {
		return err
	}
	if *asJSON {
		sections := d.Outline
		if sections == nil {
			sections = []*corpus.Section{}
		}
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(outlineJSON{DocID: d.ID, Title: d.Title, District: d.District, Sections: sections})
	}
	var b strings.Builder
	fmt.Fprintf(&b, "《%s》 %s %s\n", d.Title, d.District, d.ID)
	if len(d.Outline) == 0 {
		b.WriteString("（没有标题层级）\n")
	}
	var walk func([]*corpus.Section, int)
	walk = func(secs []*corpus.Section, depth int) {
		for _, s := range secs {
			_, path, _ := corpus.SplitUnitID(s.ID)
			head := s.Label
			switch {
			case head == "":
				head = s.Title
			case s.Title == "":
			case wordLabel(head):
				head += " " + s.Title
			default:
				head += s.Title
			}
			fmt.Fprintf(&b, "%s%s  [%s]\n", strings.Repeat("  ", depth), head, path)
			walk(s.Children, depth+1)
		}
	}
	walk(d.Outline, 0)
	_, err = fmt.Fprint(m.Stdout, b.String())
	return err
}

// wordLabel reports whether a label ends in a word or number rather than
// punctuation (第三章, 专栏4, 附件), so a space separates it from the title.
func wordLabel(label string) bool {
	last := label[len(label)-1:]
	return strings.ContainsAny(last, "0123456789") || strings.HasSuffix(label, "章") || strings.HasSuffix(label, "节") ||
		strings.HasSuffix(label, "条") || strings.HasPrefix(label, "附件") || strings.HasPrefix(label, "专栏") || strings.HasPrefix(label, "表")
}
