package docx

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/zhengce/zhengce/corpus"
	"golang.org/x/text/unicode/norm"
)

const formats = "../../testdata/formats"

// expectation is one entry of testdata/formats/expected.json.
type expectation struct {
	Title       any      `json:"title"`
	MustFind    []string `json:"must_find"`
	MustNotFind []string `json:"must_not_find"`
}

func loadExpected(t testing.TB) map[string]expectation {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(formats, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]expectation
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// squash is the comparison form of text: NFKC, no whitespace.
func squash(s string) string {
	s = norm.NFKC.String(s)
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// allText is the text of every block, table cells included.
func allText(src *corpus.Source) string {
	var b strings.Builder
	for _, bl := range src.Blocks {
		b.WriteString(bl.Text)
		b.WriteByte('\n')
		for _, r := range bl.Rows {
			for _, c := range r {
				b.WriteString(c.Text)
				b.WriteByte('\n')
			}
		}
	}
	return b.String()
}

func sampleFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(formats, "docx", "*.docx"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no sample DOCX files: %v", err)
	}
	return files
}

var fieldCodes = []string{"MERGEFIELD", "MERGEFORMAT", "PAGE \\", "HYPERLINK \"", "TOC \\", "REF _"}

func TestReadSamples(t *testing.T) {
	exp := loadExpected(t)
	for _, file := range sampleFiles(t) {
		key := "docx/" + filepath.Base(file)
		t.Run(filepath.Base(file), func(t *testing.T) {
			e, ok := exp[key]
			if !ok {
				t.Fatalf("%s not in expected.json", key)
			}
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			src, err := New().Read(context.Background(), data, corpus.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			if src.Format != corpus.FormatDOCX {
				t.Errorf("Format = %q", src.Format)
			}
			text := allText(src)
			flat := squash(text)
			for _, p := range e.MustFind {
				if !strings.Contains(flat, squash(p)) {
					t.Errorf("must_find %q not found", p)
				}
			}
			for _, p := range append(e.MustNotFind, fieldCodes...) {
				if strings.Contains(text, p) {
					t.Errorf("must_not_find %q found", p)
				}
			}
			if strings.ContainsRune(text, '\uFFFD') {
				t.Error("text holds U+FFFD")
			}
			if src.Meta.Date == "" || src.Meta.Strong {
				t.Errorf("Meta = %+v, want a date and a weak title", src.Meta)
			}
		})
	}
}

// docx builds a DOCX file from a document body (the children of w:body)
// and other parts by name.
func docx(t testing.TB, body string, parts map[string]string) []byte {
	t.Helper()
	files := map[string]string{
		"word/document.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
			`xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ` +
			`xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" ` +
			`xmlns:v="urn:schemas-microsoft-com:vml"><w:body>` + body + `</w:body></w:document>`,
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
	}
	for k, v := range parts {
		files[k] = v
	}
	return zipOf(t, files)
}

func zipOf(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const stylesXML = `<?xml version="1.0"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/></w:style>
<w:style w:type="paragraph" w:styleId="20"><w:name w:val="标题 2"/><w:basedOn w:val="a"/></w:style>
<w:style w:type="paragraph" w:styleId="x3"><w:name w:val="My Section"/><w:basedOn w:val="a"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="x4"><w:name w:val="Derived"/><w:basedOn w:val="x3"/></w:style>
<w:style w:type="paragraph" w:styleId="aT"><w:name w:val="Title"/></w:style>
<w:style w:type="character" w:styleId="c1"><w:name w:val="heading 1 Char"/></w:style>
</w:styles>`

func p(style, text string) string {
	ppr := ""
	if style != "" {
		ppr = `<w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>`
	}
	return `<w:p>` + ppr + `<w:r><w:t>` + text + `</w:t></w:r></w:p>`
}

func tc(props, text string) string {
	return `<w:tc><w:tcPr>` + props + `</w:tcPr>` + p("", text) + `</w:tc>`
}

func TestReadSynthetic(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		parts map[string]string
		want  []corpus.Block
	}{
		{
			name:  "headings by style name, outline level and basedOn",
			body:  p("aT", "文件标题") + p("1", "第一章 总则") + p("20", "第一节") + p("x3", "三级") + p("x4", "继承") + p("a", "正文") + `<w:p><w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:r><w:t>直接大纲</w:t></w:r></w:p>` + `<w:p><w:pPr><w:pStyle w:val="1"/><w:outlineLvl w:val="9"/></w:pPr><w:r><w:t>正文级别</w:t></w:r></w:p>`,
			parts: map[string]string{"word/styles.xml": stylesXML},
			want: []corpus.Block{
				{Kind: corpus.BlockHeading, Text: "文件标题", Level: 1},
				{Kind: corpus.BlockHeading, Text: "第一章 总则", Level: 1},
				{Kind: corpus.BlockHeading, Text: "第一节", Level: 2},
				{Kind: corpus.BlockHeading, Text: "三级", Level: 3},
				{Kind: corpus.BlockHeading, Text: "继承", Level: 3},
				{Kind: corpus.BlockParagraph, Text: "正文"},
				{Kind: corpus.BlockHeading, Text: "直接大纲", Level: 2},
				{Kind: corpus.BlockParagraph, Text: "正文级别"},
			},
		},
		{
			name: "heading style ID without styles.xml",
			body: p("Heading2", "标题二"),
			want: []corpus.Block{{Kind: corpus.BlockHeading, Text: "标题二", Level: 2}},
		},
		{
			name: "field codes skipped, results kept",
			body: `<w:p><w:r><w:t>共</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> MERGEFIELD 金额 \* MERGEFORMAT </w:instrText></w:r>` +
				`<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>100</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>元</w:t></w:r></w:p>` +
				`<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:t>PAGE</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>IF</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>第3页</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>` +
				`<w:p><w:fldSimple w:instr=" PAGE "><w:r><w:t>7</w:t></w:r></w:fldSimple></w:p>` +
				p("", "目录") + `<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>` +
				`<w:r><w:t>第一章 总则</w:t><w:tab/></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGEREF _Toc1</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>` +
				`<w:p><w:r><w:t>第二章</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>` + p("", "正文"),
			want: []corpus.Block{
				{Kind: corpus.BlockParagraph, Text: "共100元"},
				{Kind: corpus.BlockParagraph, Text: "第3页"},
				{Kind: corpus.BlockParagraph, Text: "7"},
				{Kind: corpus.BlockParagraph, Text: "目录"},
				{Kind: corpus.BlockParagraph, Text: "正文"},
			},
		},
		{
			name: "revisions, hidden text, ruby",
			body: `<w:p><w:ins><w:r><w:t>新增</w:t></w:r></w:ins><w:del><w:r><w:delText>删除</w:delText></w:r></w:del>` +
				`<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r><w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>显示</w:t></w:r>` +
				`<w:r><w:rPr><w:b/><w:rPrChange w:id="1"><w:rPr><w:vanish/></w:rPr></w:rPrChange></w:rPr><w:t>改格式</w:t></w:r>` +
				`<w:r><w:ruby><w:rt><w:r><w:t>zhu</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>注</w:t></w:r></w:rubyBase></w:ruby></w:r></w:p>`,
			want: []corpus.Block{{Kind: corpus.BlockParagraph, Text: "新增显示改格式注"}},
		},
		{
			name: "manual line breaks split paragraphs, join headings; tabs",
			body: `<w:p><w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t><w:tab/><w:t>制表</w:t></w:r></w:p>` +
				`<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>上海保险分支机构</w:t><w:br/><w:t>管理办法</w:t></w:r></w:p>`,
			want: []corpus.Block{
				{Kind: corpus.BlockParagraph, Text: "第一行"},
				{Kind: corpus.BlockParagraph, Text: "第二行\t制表"},
				{Kind: corpus.BlockHeading, Text: "上海保险分支机构管理办法", Level: 1},
			},
		},
		{
			name: "text boxes: one branch of mc:AlternateContent, sdt content",
			body: `<w:p><w:r><w:t>锚点</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>` + p("", "文本框") +
				`</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent>` + p("", "文本框") +
				`</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>` +
				`<w:sdt><w:sdtPr><w:alias w:val="x"/><w:placeholder><w:docPart w:val="占位"/></w:placeholder></w:sdtPr><w:sdtContent>` + p("", "控件内容") + `</w:sdtContent></w:sdt>`,
			want: []corpus.Block{
				{Kind: corpus.BlockParagraph, Text: "文本框"},
				{Kind: corpus.BlockParagraph, Text: "锚点"},
				{Kind: corpus.BlockParagraph, Text: "控件内容"},
			},
		},
		{
			name: "table with gridSpan, vMerge and a nested table",
			body: `<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>` +
				`<w:tr>` + tc(`<w:gridSpan w:val="2"/>`, "指标") + tc("", "2025年") + `</w:tr>` +
				`<w:tr>` + tc(`<w:vMerge w:val="restart"/>`, "学前") + tc("", "毛入园率") + tc("", "93%") + `</w:tr>` +
				`<w:tr>` + tc(`<w:vMerge/>`, "") + tc("", "普惠率") + `<w:tc>` + p("", "外") + `<w:tbl><w:tr>` + tc("", "内1") + tc("", "内2") + `</w:tr></w:tbl></w:tc>` + `</w:tr>` +
				`</w:tbl>` + p("", "表后"),
			want: []corpus.Block{
				{Kind: corpus.BlockTable, Rows: [][]corpus.Cell{
					{{Text: "指标", RowSpan: 1, ColSpan: 2}, {Text: "2025年", RowSpan: 1, ColSpan: 1}},
					{{Text: "学前", RowSpan: 2, ColSpan: 1}, {Text: "毛入园率", RowSpan: 1, ColSpan: 1}, {Text: "93%", RowSpan: 1, ColSpan: 1}},
					{{Text: "普惠率", RowSpan: 1, ColSpan: 1}, {Text: "外\n内1\n内2", RowSpan: 1, ColSpan: 1}},
				}},
				{Kind: corpus.BlockParagraph, Text: "表后"},
			},
		},
		{
			name: "one-cell frame table is paragraphs",
			body: `<w:tbl><w:tr><w:tc>` + p("", "专栏1") + p("", "内容") + `</w:tc></w:tr></w:tbl>`,
			want: []corpus.Block{
				{Kind: corpus.BlockParagraph, Text: "专栏1"},
				{Kind: corpus.BlockParagraph, Text: "内容"},
			},
		},
		{
			name: "footnotes and endnotes after the body, separators skipped",
			body: `<w:p><w:r><w:t>正文</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>`,
			parts: map[string]string{
				"word/footnotes.xml": `<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
					`<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/><w:t>SEP</w:t></w:r></w:p></w:footnote>` +
					`<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t>脚注内容</w:t></w:r></w:p></w:footnote></w:footnotes>`,
				"word/endnotes.xml": `<w:endnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
					`<w:endnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:t>CONT</w:t></w:r></w:p></w:endnote>` +
					`<w:endnote w:id="2"><w:p><w:r><w:t>尾注内容</w:t></w:r></w:p></w:endnote></w:endnotes>`,
			},
			want: []corpus.Block{
				{Kind: corpus.BlockParagraph, Text: "正文"},
				{Kind: corpus.BlockParagraph, Text: "脚注内容"},
				{Kind: corpus.BlockParagraph, Text: "尾注内容"},
			},
		},
		{
			name: "automatic numbering",
			body: `<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>总则</w:t></w:r></w:p>` +
				`<w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>目标</w:t></w:r></w:p>` +
				`<w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>任务</w:t></w:r></w:p>` +
				`<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>附则</w:t></w:r></w:p>` +
				`<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="2"/></w:numPr></w:pPr><w:r><w:t>要点</w:t></w:r></w:p>`,
			parts: map[string]string{"word/numbering.xml": `<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
				`<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="第%1章"/><w:suff w:val="space"/></w:lvl>` +
				`<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl></w:abstractNum>` +
				`<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="●"/></w:lvl></w:abstractNum>` +
				`<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num></w:numbering>`},
			want: []corpus.Block{
				{Kind: corpus.BlockParagraph, Text: "第一章 总则"},
				{Kind: corpus.BlockParagraph, Text: "（一）目标"},
				{Kind: corpus.BlockParagraph, Text: "（二）任务"},
				{Kind: corpus.BlockParagraph, Text: "第二章 附则"},
				{Kind: corpus.BlockParagraph, Text: "要点"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := New().Read(context.Background(), docx(t, tt.body, tt.parts), corpus.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			if got, want := dump(src.Blocks), dump(tt.want); got != want {
				t.Errorf("blocks:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func dump(blocks []corpus.Block) string {
	var b strings.Builder
	for _, bl := range blocks {
		fmt.Fprintf(&b, "%d/%d %q", bl.Kind, bl.Level, bl.Text)
		for _, r := range bl.Rows {
			b.WriteString("\n  |")
			for _, c := range r {
				fmt.Fprintf(&b, " %q r%d c%d |", c.Text, c.RowSpan, c.ColSpan)
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func TestReadMeta(t *testing.T) {
	core := `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">` +
		`<dc:title>模板标题</dc:title><dc:creator>某人</dc:creator><dcterms:created>2021-03-04T05:06:07Z</dcterms:created></cp:coreProperties>`
	src, err := New().Read(context.Background(), docx(t, p("", "正文"), map[string]string{"docProps/core.xml": core}), corpus.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := corpus.SourceMeta{Title: "模板标题", Date: "2021-03-04"}
	if src.Meta != want {
		t.Errorf("Meta = %+v, want %+v", src.Meta, want)
	}
}

func TestReadMainPartFromRels(t *testing.T) {
	rels := `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/word/document2.xml"/></Relationships>`
	doc := `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + p("", "另一个主文档") + `</w:body></w:document>`
	data := zipOf(t, map[string]string{"_rels/.rels": rels, "word/document2.xml": doc})
	src, err := New().Read(context.Background(), data, corpus.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if got := allText(src); got != "另一个主文档\n" {
		t.Errorf("text = %q", got)
	}
}

// bomb is a zip whose word/document.xml inflates to n bytes of a
// repeated XML comment-free text, written as a stream.
func bomb(t testing.TB, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	head := `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>`
	if _, err := w.Write([]byte(head)); err != nil {
		t.Fatal(err)
	}
	zeros := bytes.Repeat([]byte("0"), 1<<16)
	for written := len(head); written < n; written += len(zeros) {
		if _, err := w.Write(zeros); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadHostile(t *testing.T) {
	small := corpus.DefaultLimits()
	small.MaxUnzipped = 1 << 20
	small.MaxZipEntries = 50
	small.MaxDepth = 64
	small.MaxTextSize = 1 << 10

	many := map[string]string{}
	for i := range 60 {
		many[fmt.Sprintf("word/media/x%d.txt", i)] = "x"
	}
	deep := strings.Repeat("<w:sdt><w:sdtContent>", 100) + p("", "深") + strings.Repeat("</w:sdtContent></w:sdt>", 100)
	long := strings.Repeat(p("", strings.Repeat("长", 100)), 20)
	full := docx(t, p("", "正文"), nil)

	tests := []struct {
		name string
		data []byte
		lim  corpus.Limits
		code string
		msg  string
	}{
		{"zip bomb", bomb(t, 3<<20), small, corpus.ETOOLARGE, "压缩炸弹"},
		{"too many entries", docx(t, p("", "正文"), many), small, corpus.ETOOLARGE, "上限"},
		{"deep nesting", docx(t, deep, nil), small, corpus.ETOOLARGE, "嵌套"},
		{"text over the limit", docx(t, long, nil), small, corpus.ETOOLARGE, "文字超过"},
		{"missing document.xml", zipOf(t, map[string]string{"word/styles.xml": stylesXML}), small, corpus.EINVALID, "缺少 word/document.xml"},
		{"not a zip", []byte("这不是一个压缩包"), small, corpus.EINVALID, "不是 zip"},
		{"empty file", nil, small, corpus.EINVALID, "不是 zip"},
		{"truncated", full[:len(full)/2], small, corpus.EINVALID, "DOCX"},
		{"malformed XML", docx(t, `<w:p><w:r><w:t>断</w:r></w:p>`, nil), small, corpus.EINVALID, "不是有效的 XML"},
		{"no text", docx(t, `<w:p/><w:p><w:r><w:drawing/></w:r></w:p>`, nil), small, corpus.EINVALID, "没有文字"},
		{"unbalanced field", docx(t, `<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:t>x</w:t></w:r></w:p>`, nil), small, corpus.EINVALID, "没有文字"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New().Read(context.Background(), tt.data, tt.lim)
			var ce *corpus.Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a *corpus.Error", err)
			}
			if ce.Code != tt.code || !strings.Contains(ce.Message, tt.msg) {
				t.Errorf("err = %v, want code %s and a message with %q", err, tt.code, tt.msg)
			}
		})
	}
}

func TestReadCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	data, err := os.ReadFile(sampleFiles(t)[0])
	if err != nil {
		t.Fatal(err)
	}
	_, err = New().Read(ctx, data, corpus.DefaultLimits())
	if corpus.ErrorCode(err) != corpus.ETIMEOUT {
		t.Errorf("err = %v, want ETIMEOUT", err)
	}
}

func BenchmarkRead(b *testing.B) {
	for _, file := range sampleFiles(b) {
		data, err := os.ReadFile(file)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(filepath.Base(file)[:3], func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := New().Read(context.Background(), data, corpus.DefaultLimits()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func FuzzRead(f *testing.F) {
	for _, file := range sampleFiles(f) {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add(docx(f, p("1", "标题")+`<w:tbl><w:tr>`+tc(`<w:vMerge/>`, "a")+tc(`<w:gridSpan w:val="3"/>`, "b")+`</w:tr></w:tbl>`, map[string]string{"word/styles.xml": stylesXML}))
	lim := corpus.DefaultLimits()
	lim.MaxUnzipped = 8 << 20
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		src, err := New().Read(ctx, data, lim)
		if err != nil {
			var ce *corpus.Error
			if !errors.As(err, &ce) {
				t.Fatalf("error is not a *corpus.Error: %v", err)
			}
			return
		}
		if len(src.Blocks) == 0 {
			t.Fatal("no blocks and no error")
		}
	})
}
