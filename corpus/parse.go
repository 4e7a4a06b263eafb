package corpus

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Parse turns raw document bytes into a Document.
//
// PLACEHOLDER: splits paragraphs into clause units. The structure parser
// (issue step 1) replaces this file.
func Parse(meta Meta, data []byte) (*Document, error) {
	if !utf8.Valid(data) {
		return nil, Errorf(EINVALID, "文档不是有效的 UTF-8 文本：%s", meta.Source)
	}
	d := &Document{Meta: meta, Raw: string(data), Body: string(data)}
	n := 0
	for _, para := range strings.Split(d.Raw, "\n\n") {
		if strings.TrimSpace(para) == "" {
			continue
		}
		n++
		p := fmt.Sprintf("p%d", n)
		d.Units = append(d.Units, &Unit{
			ID: meta.ID + "/" + p, DocID: meta.ID, Path: p, Type: TypeClause, Seq: n - 1,
			Text: para, Part: PartTasks, Citation: "《" + meta.Title + "》",
		})
	}
	assignThemes(d)
	d.Targets = extractTargets(d)
	return d, nil
}
