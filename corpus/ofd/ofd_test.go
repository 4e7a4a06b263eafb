package ofd

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
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
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, norm.NFKC.String(s))
}

func sampleFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(formats, "ofd", "*.ofd"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no sample OFD files: %v", err)
	}
	return files
}

func joined(src *corpus.Source) string {
	var b strings.Builder
	for _, bl := range src.Blocks {
		b.WriteString(bl.Text)
	}
	return b.String()
}

func TestReadSamples(t *testing.T) {
	exp := loadExpected(t)
	pages := map[string]int{"o01": 2, "o02": 1, "o05": 1}
	for _, file := range sampleFiles(t) {
		base := filepath.Base(file)
		t.Run(base, func(t *testing.T) {
			e, ok := exp["ofd/"+base]
			if !ok {
				t.Fatalf("%s not in expected.json", base)
			}
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			src, err := New().Read(context.Background(), data, corpus.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			if want, ok := pages[base[:3]]; ok && src.Pages != want {
				t.Errorf("Pages = %d, want %d", src.Pages, want)
			}
			flat := squash(joined(src))
			for _, p := range e.MustFind {
				if !strings.Contains(flat, squash(p)) {
					t.Errorf("must_find %q not found", p)
				}
			}
			for _, p := range e.MustNotFind {
				for _, b := range src.Blocks {
					if strings.Contains(squash(b.Text), squash(p)) {
						t.Errorf("must_not_find %q found in line %q", p, b.Text)
					}
				}
			}
			prevPage, prevY := 0, -1.0
			for _, b := range src.Blocks {
				if b.Kind != corpus.BlockLine || b.Page < 1 || b.Page > src.Pages || b.Size <= 0 || b.X1 < b.X0 {
					t.Errorf("bad line %+v", b)
				}
				// Pieces of one baseline split into columns may sit a
				// little above one another.
				if b.Page == prevPage && b.Y < prevY-0.5*b.Size {
					t.Errorf("line %q above the previous one", b.Text)
				}
				if strings.ContainsRune(b.Text, '\uFFFD') {
					t.Errorf("line %q holds U+FFFD", b.Text)
				}
				prevPage, prevY = b.Page, b.Y
			}
			if src.Meta.Date == "" {
				t.Errorf("Meta = %+v, want a date", src.Meta)
			}
		})
	}
}

// ofdFile builds an OFD file whose pages have the given Content.xml
// layers (the children of ofd:Content), with optional extra parts.
func ofdFile(t testing.TB, docExtra string, pages []string, parts map[string]string) []byte {
	t.Helper()
	files := map[string]string{
		"OFD.xml": `<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.1"><ofd:DocBody><ofd:DocInfo>` +
			`<ofd:Title>测试标题</ofd:Title><ofd:Author>某某市教育局</ofd:Author><ofd:CreationDate>2023-7-2</ofd:CreationDate></ofd:DocInfo>` +
			`<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`,
	}
	var refs strings.Builder
	for i, p := range pages {
		fmt.Fprintf(&refs, `<ofd:Page ID="%d" BaseLoc="Pages/Page_%d/Content.xml"/>`, i+10, i)
		files[fmt.Sprintf("Doc_0/Pages/Page_%d/Content.xml", i)] = `<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016">` + p + `</ofd:Page>`
	}
	files["Doc_0/Document.xml"] = `<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>` +
		docExtra + `</ofd:CommonData><ofd:Pages>` + refs.String() + `</ofd:Pages></ofd:Document>`
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

// text is a TextObject with one TextCode.
func text(x, y, size float64, attrs, s string) string {
	return fmt.Sprintf(`<ofd:TextObject ID="1" Boundary="%g %g 100 %g" Font="1" Size="%g" %s><ofd:FillColor Value="0 0 0"/><ofd:TextCode X="0" Y="%g">%s</ofd:TextCode></ofd:TextObject>`,
		x, y, size*1.2, size, attrs, size, s)
}

func layer(objs ...string) string {
	return `<ofd:Content><ofd:Layer ID="2">` + strings.Join(objs, "") + `</ofd:Layer></ofd:Content>`
}

func TestReadSynthetic(t *testing.T) {
	tests := []struct {
		name     string
		docExtra string
		pages    []string
		parts    map[string]string
		want     []string // "page|text" of every line
	}{
		{
			name: "baseline tolerance, order, page numbers dropped",
			pages: []string{layer(
				text(20, 60, 5, "", "第二行"),
				text(20, 40, 5, "", "根据我市"),
				text(40.5, 40.2, 5, "", "2023"),
				text(52, 40, 5, "", "年计划"),
				text(100, 270, 5, "", "— 1 —"),
			), layer(text(20, 40, 5, "", "下一页"), text(100, 270, 5, "", "- 2 -"))},
			want: []string{"1|根据我市2023年计划", "1|第二行", "2|下一页"},
		},
		{
			name: "spaces only between Latin runs with a real gap",
			pages: []string{layer(
				text(20, 40, 5, "", "Hello"), text(36, 40, 5, "", "World"), text(49, 40, 5, "", "中文"), text(59, 40, 5, "", "文字"),
				text(20, 60, 5, "", "ab"), text(25.2, 60, 5, "", "cd"),
			)},
			want: []string{"1|Hello World中文文字", "1|abcd"},
		},
		{
			name:  "pieces of one baseline far apart are separate lines (columns)",
			pages: []string{layer(text(20, 40, 5, "", "发票代码：12"), text(90, 40, 5, "", "电子普通发票"))},
			want:  []string{"1|发票代码：12", "1|电子普通发票"},
		},
		{
			name:     "template page text, nested PageBlock, CTM",
			docExtra: `<ofd:TemplatePage ID="7" BaseLoc="Tpls/Tpl_0/Content.xml"/>`,
			pages: []string{`<ofd:Template TemplateID="7" ZOrder="Background"/>` + `<ofd:Content><ofd:Layer><ofd:PageBlock><ofd:PageBlock>` +
				text(36, 30, 5, "", "科游迈利") + `</ofd:PageBlock></ofd:PageBlock>` +
				`<ofd:TextObject Boundary="20 80 100 10" Size="10" CTM="0.5 0 0 0.5 0 0"><ofd:TextCode X="0" Y="10">缩放</ofd:TextCode></ofd:TextObject>` +
				`<ofd:TextObject Boundary="20 150 100 100" Size="10" CTM="0.7 0.7 -0.7 0.7 0 0"><ofd:TextCode X="0" Y="10">水印</ofd:TextCode></ofd:TextObject>` +
				`</ofd:Layer></ofd:Content>`},
			parts: map[string]string{"Doc_0/Tpls/Tpl_0/Content.xml": `<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016">` + layer(text(20, 30, 5, "", "名称：")) + `</ofd:Page>`},
			want:  []string{"1|名称：科游迈利", "1|缩放"},
		},
		{
			name: "deltas with g, X without Y continues, multi-line TextCode",
			pages: []string{`<ofd:Content><ofd:Layer><ofd:TextObject Boundary="10 10 100 50" Size="4">` +
				`<ofd:TextCode X="0" Y="4" DeltaX="g 2 4">一二三</ofd:TextCode><ofd:TextCode>四</ofd:TextCode>` +
				`<ofd:TextCode X="0" Y="20" DeltaX="g 2 2 -4 2" DeltaY="g 2 0 6 0">ABCDE</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content>`},
			want: []string{"1|一二三四", "1|ABC", "1|DE"},
		},
		{
			name:  "page in a directory with other casing, absolute path",
			pages: nil,
			parts: map[string]string{
				"Doc_0/Document.xml":             `<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Pages><ofd:Page ID="1" BaseLoc="/doc_0/pages/page_0"/></ofd:Pages></ofd:Document>`,
				"Doc_0/Pages/Page_0/Content.xml": `<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016">` + layer(text(20, 40, 5, "", "找到了")) + `</ofd:Page>`,
			},
			want: []string{"1|找到了"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := New().Read(context.Background(), ofdFile(t, tt.docExtra, tt.pages, tt.parts), corpus.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, b := range src.Blocks {
				got = append(got, fmt.Sprintf("%d|%s", b.Page, b.Text))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestReadMeta(t *testing.T) {
	src, err := New().Read(context.Background(), ofdFile(t, "", []string{layer(text(20, 40, 5, "", "正文"))}, nil), corpus.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := corpus.SourceMeta{Title: "测试标题", Issuer: "某某市教育局", Date: "2023-07-02"}
	if src.Meta != want || src.Pages != 1 {
		t.Errorf("Meta = %+v, Pages = %d; want %+v, 1", src.Meta, src.Pages, want)
	}
}

func TestIsPageNumber(t *testing.T) {
	for s, want := range map[string]bool{
		"— 1 —": true, "- 12 -": true, "3": true, "第 4 页": true, "第4页 共9页": true, "5/9": true, "Page 6": true,
		"2023年": false, "第一章": false, "1.": false, "12345": false, "": false, "第3页共": false,
	} {
		if got := isPageNumber(s); got != want {
			t.Errorf("isPageNumber(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestReadHostile(t *testing.T) {
	small := corpus.DefaultLimits()
	small.MaxUnzipped = 1 << 20
	small.MaxZipEntries = 50
	small.MaxDepth = 64
	small.MaxTextSize = 1 << 10
	small.MaxPages = 3

	many := map[string]string{}
	for i := range 60 {
		many[fmt.Sprintf("Doc_0/Res/x%d.png", i)] = "x"
	}
	deep := layer(strings.Repeat("<ofd:PageBlock>", 100) + text(20, 40, 5, "", "深") + strings.Repeat("</ofd:PageBlock>", 100))
	long := layer(text(20, 40, 5, "", strings.Repeat("长", 400)))
	image := `<ofd:Content><ofd:Layer><ofd:ImageObject ID="3" CTM="210 0 0 297 0 0" Boundary="0 0 210 297" ResourceID="4"/></ofd:Layer></ofd:Content>`
	ok := ofdFile(t, "", []string{layer(text(20, 40, 5, "", "正文"))}, nil)

	tests := []struct {
		name string
		data []byte
		code string
		msg  string
	}{
		{"zip bomb", bomb(t, 3<<20), corpus.ETOOLARGE, "压缩炸弹"},
		{"too many entries", ofdFile(t, "", []string{layer(text(20, 40, 5, "", "正文"))}, many), corpus.ETOOLARGE, "上限"},
		{"deep nesting", ofdFile(t, "", []string{deep}, nil), corpus.ETOOLARGE, "嵌套"},
		{"text over the limit", ofdFile(t, "", []string{long}, nil), corpus.ETOOLARGE, "文字超过"},
		{"template text counted on every page", ofdFile(t, `<ofd:TemplatePage ID="7" BaseLoc="T.xml"/>`, slices.Repeat([]string{`<ofd:Template TemplateID="7"/>`}, 3),
			map[string]string{"Doc_0/T.xml": `<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016">` + layer(text(20, 40, 5, "", strings.Repeat("模", 150))) + `</ofd:Page>`}), corpus.ETOOLARGE, "文字超过"},
		{"too many pages", ofdFile(t, "", []string{"", "", "", ""}, nil), corpus.ETOOLARGE, "页上限"},
		{"scanned", ofdFile(t, "", []string{image}, nil), corpus.EINVALID, "没有文字层"},
		{"no text", ofdFile(t, "", []string{layer()}, nil), corpus.EINVALID, "没有文字"},
		{"no pages", ofdFile(t, "", nil, nil), corpus.EINVALID, "没有页面"},
		{"missing OFD.xml", zipOf(t, map[string]string{"Doc_0/Document.xml": "<x/>"}), corpus.EINVALID, "缺少 OFD.xml"},
		{"missing Document.xml", zipOf(t, map[string]string{"OFD.xml": "<ofd:OFD xmlns:ofd=\"x\"><ofd:DocBody><ofd:DocRoot>Doc_9/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"}), corpus.EINVALID, "找不到"},
		{"malformed XML", ofdFile(t, "", []string{layer("<ofd:TextObject>")}, nil), corpus.EINVALID, "不是有效的 XML"},
		{"not a zip", []byte("%OFD? no"), corpus.EINVALID, "不是 zip"},
		{"truncated", ok[:len(ok)*2/3], corpus.EINVALID, "OFD"},
		{"huge g repeat", ofdFile(t, "", []string{`<ofd:Content><ofd:Layer><ofd:TextObject Boundary="0 0 1 1" Size="3"><ofd:TextCode X="0" Y="3" DeltaX="g 2000000000 1">一二</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content>`}, nil), "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New().Read(context.Background(), tt.data, small)
			if tt.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
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

// bomb is an OFD whose OFD.xml inflates to n bytes.
func bomb(t testing.TB, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("OFD.xml")
	if err != nil {
		t.Fatal(err)
	}
	head := `<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody><ofd:DocInfo><ofd:Title>`
	if _, err := w.Write([]byte(head)); err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte("0"), 1<<16)
	for written := len(head); written < n; written += len(chunk) {
		if _, err := w.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	data, err := os.ReadFile(sampleFiles(t)[0])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New().Read(ctx, data, corpus.DefaultLimits()); corpus.ErrorCode(err) != corpus.ETIMEOUT {
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
	f.Add(ofdFile(f, `<ofd:TemplatePage ID="7" BaseLoc="Tpls/T.xml"/>`, []string{`<ofd:Template TemplateID="7"/>` + layer(text(20, 40, 5, `CTM="1 0 0 1 0 0"`, "正文"))},
		map[string]string{"Doc_0/Tpls/T.xml": `<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Template TemplateID="7"/>` + layer(text(1, 1, 1, "", "模板")) + `</ofd:Page>`}))
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
		if len(src.Blocks) == 0 || src.Pages == 0 {
			t.Fatalf("no lines and no error: %+v", src)
		}
	})
}
