package html

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/zhengce/zhengce/corpus"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/unicode/norm"
)

const formats = "../../testdata/formats"

// expectation is one entry of testdata/formats/expected.json.
type expectation struct {
	Title       string   `json:"title"`
	MustFind    []string `json:"must_find"`
	MustNotFind []string `json:"must_not_find"`
}

// loadExpected returns the expectations of the HTML sample files.
func loadExpected(t testing.TB) map[string]expectation {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(formats, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var all map[string]expectation
	if err := json.Unmarshal(data, &all); err != nil {
		t.Fatal(err)
	}
	out := map[string]expectation{}
	for k, v := range all {
		if strings.HasPrefix(k, "html/") {
			out[strings.TrimPrefix(k, "html/")] = v
		}
	}
	if len(out) == 0 {
		t.Fatal("no html entries in expected.json")
	}
	return out
}

// squash is NFKC with white space removed.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, norm.NFKC.String(s))
}

// squashTitle is squash with punctuation removed too.
func squashTitle(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsPunct(r) || unicode.IsSymbol(r) {
			return -1
		}
		return r
	}, squash(s))
}

// allText concatenates the text of every block, table cells included.
func allText(src *corpus.Source) string {
	var b strings.Builder
	for _, bl := range src.Blocks {
		b.WriteString(bl.Text)
		b.WriteByte('\n')
		for _, row := range bl.Rows {
			for _, c := range row {
				b.WriteString(c.Text)
				b.WriteByte('\n')
			}
		}
	}
	return b.String()
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(formats, "html", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestSampleFiles(t *testing.T) {
	for name, want := range loadExpected(t) {
		t.Run(name[:3], func(t *testing.T) {
			src, err := New().Read(context.Background(), readFile(t, name), corpus.DefaultLimits())
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if src.Format != corpus.FormatHTML {
				t.Errorf("Format = %q", src.Format)
			}
			text := squash(allText(src))
			for _, p := range want.MustFind {
				if !strings.Contains(text, squash(p)) {
					t.Errorf("must_find %q missing", p)
				}
			}
			for _, p := range want.MustNotFind {
				if strings.Contains(text, squash(p)) {
					t.Errorf("must_not_find %q present", p)
				}
			}
			got, exp := squashTitle(src.Meta.Title), squashTitle(want.Title)
			if !strings.Contains(got, exp) || len([]rune(got)) > len([]rune(exp))+40 {
				t.Errorf("Meta.Title = %q, want %q", src.Meta.Title, want.Title)
			}
		})
	}
}

func TestSampleTables(t *testing.T) {
	src, err := New().Read(context.Background(), readFile(t, "h03_gz.gov.cn_广州就业见习基地管理办法_穗人社规字2019-6号.html"), corpus.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	var tables []corpus.Block
	for _, b := range src.Blocks {
		if b.Kind == corpus.BlockTable {
			tables = append(tables, b)
		}
	}
	if len(tables) < 6 {
		t.Fatalf("got %d tables, want at least 6", len(tables))
	}
	cells := map[string]corpus.Cell{}
	for _, tb := range tables {
		for _, row := range tb.Rows {
			for _, c := range row {
				cells[squash(c.Text)] = c
			}
		}
	}
	for _, want := range []string{"单位组织机构代码", "申领见习补贴金额", "开展见习活动的主要做法和措施", "单位名称"} {
		if _, ok := cells[want]; !ok {
			t.Errorf("no table cell %q", want)
		}
	}
	if c := cells["开展见习活动基本情况"]; c.RowSpan != 3 {
		t.Errorf("开展见习活动基本情况 RowSpan = %d, want 3", c.RowSpan)
	}
	// Table text is not repeated as paragraphs.
	for _, b := range src.Blocks {
		if b.Kind == corpus.BlockParagraph && squash(b.Text) == "单位组织机构代码" {
			t.Error("table cell emitted as a paragraph")
		}
	}
}

func TestSampleMeta(t *testing.T) {
	tests := []struct {
		file string
		want corpus.SourceMeta
	}{
		{"h01_gz.gov.cn_特困人员救助供养通知_穗府办规2021-7号.html", corpus.SourceMeta{
			Title: "广州市人民政府办公厅关于进一步加强特困人员救助供养工作的通知", Strong: true,
			Issuer: "广州市人民政府办公厅", Date: "2021-04-19", DocNumber: "穗府办规〔2021〕7号"}},
		{"h04_thnet.gov.cn_积分入学指引_2026.html", corpus.SourceMeta{
			Title: "2026年广州市天河区积分制入学学位申请指引", Strong: true,
			Issuer: "天河区教育局", Date: "2026-06-25"}},
		{"h06_scjgj.gz.gov.cn_市场主体登记管理条例_国务院令746号.html", corpus.SourceMeta{
			Title: "中华人民共和国市场主体登记管理条例", Strong: true,
			Issuer: "国家法律法规数据库", Date: "2021-07-30"}},
	}
	for _, tt := range tests {
		t.Run(tt.file[:3], func(t *testing.T) {
			src, err := New().Read(context.Background(), readFile(t, tt.file), corpus.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			if src.Meta != tt.want {
				t.Errorf("Meta = %+v\nwant   %+v", src.Meta, tt.want)
			}
		})
	}
}

// TestTitleOutsideBody removes the ArticleTitle field and the <title>
// from pages whose title heading is outside the body container: the
// heading is still found.
func TestTitleOutsideBody(t *testing.T) {
	for name, want := range loadExpected(t) {
		t.Run(name[:3], func(t *testing.T) {
			page := string(readFile(t, name))
			page = strings.ReplaceAll(page, `name="ArticleTitle"`, `name="x"`)
			if i, j := strings.Index(page, "<title>"), strings.Index(page, "</title>"); i >= 0 && j > i {
				page = page[:i] + page[j+len("</title>"):]
			}
			src, err := New().Read(context.Background(), []byte(page), corpus.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			got, exp := squashTitle(src.Meta.Title), squashTitle(want.Title)
			if !strings.Contains(got, exp) || len([]rune(got)) > len([]rune(exp))+40 {
				t.Errorf("Meta.Title = %q, want %q", src.Meta.Title, want.Title)
			}
			if src.Meta.Strong {
				t.Error("Strong = true for a title found in the page")
			}
		})
	}
}

func gbk(t testing.TB, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const prose = "为进一步规范本市义务教育阶段学校招生入学工作，保障适龄儿童少年平等接受义务教育的权利，根据有关法律法规，结合本市实际，制定本办法。"

func TestSynthetic(t *testing.T) {
	page := func(head, body string) string {
		return "<!DOCTYPE html><html><head>" + head + "</head><body>" + body + "</body></html>"
	}
	nav := `<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/a">政务公开</a></li><li><a href="/b">政务服务</a></li></ul></div>`
	foot := `<div class="footer"><p>主办单位：某某市人民政府办公室 版权所有 粤ICP备12345678号</p><p><a href="/map">网站地图</a> | <a href="/c">联系我们</a></p></div>`
	tests := []struct {
		name    string
		data    []byte
		find    []string
		notFind []string
		code    string // error code expected, "" for success
		check   func(t *testing.T, src *corpus.Source)
	}{
		{name: "gbk with meta charset", data: gbk(t, page(`<meta charset="gbk"><title>招生办法</title>`, `<div class="TRS_Editor"><p>`+prose+`</p></div>`)), find: []string{prose}},
		{name: "gb2312 http-equiv", data: gbk(t, page(`<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`, `<div id="zoomcon"><p>`+prose+`</p></div>`)), find: []string{prose}},
		{name: "gbk without charset", data: gbk(t, page(``, `<div><p>`+prose+`</p></div>`)), find: []string{prose}},
		{name: "gbk declared utf-8", data: gbk(t, page(`<meta charset="utf-8">`, `<div><p>`+prose+`</p></div>`)), find: []string{prose}},
		{name: "utf-8 declared gbk", data: []byte(page(`<meta charset="gbk">`, `<div><p>`+prose+`</p></div>`)), find: []string{prose}},
		{name: "utf-8 bom", data: []byte("\xEF\xBB\xBF" + page(``, `<p>`+prose+`</p>`)), find: []string{prose}},
		{name: "comments are not text", data: []byte(page(``, `<div class="content"><!-- 注释里的文字 --><p>`+prose+`</p></div>`)), find: []string{prose}, notFind: []string{"注释里的文字"}},
		{name: "comment-only page", data: []byte(page(``, `<!-- `+prose+` -->`)), code: corpus.EINVALID},
		{name: "hidden div", data: []byte(page(``, `<div class="TRS_Editor"><p>`+prose+`</p><div style="display: none">隐藏的内容不应出现</div><p hidden>也隐藏</p></div>`)), find: []string{prose}, notFind: []string{"隐藏的内容不应出现", "也隐藏"}},
		{name: "script-only", data: []byte(page(`<script>var a = "正文";</script>`, `<script>document.write("`+prose+`")</script><style>p{}</style>`)), code: corpus.EINVALID},
		{name: "nav-only", data: []byte(page(``, nav+foot)), code: corpus.EINVALID},
		{
			name: "layout table is unwrapped",
			data: []byte(page(``, nav+`<table width="100%"><tr><td><p>第一段：`+prose+`</p><p>第二段：`+prose+`</p><p>第三段：`+prose+`</p></td></tr></table>`+foot)),
			find: []string{"第一段", "第三段"}, notFind: []string{"网站地图", "主办单位", "首页"},
			check: func(t *testing.T, src *corpus.Source) {
				for _, b := range src.Blocks {
					if b.Kind == corpus.BlockTable {
						t.Errorf("layout table emitted as a table: %+v", b.Rows)
					}
				}
				if len(src.Blocks) != 3 {
					t.Errorf("got %d blocks, want 3 paragraphs", len(src.Blocks))
				}
			},
		},
		{
			name: "single-cell table is unwrapped",
			data: []byte(page(``, `<div id="UCAP-CONTENT"><table><tr><td>`+prose+`</td></tr></table></div>`)),
			find: []string{prose},
			check: func(t *testing.T, src *corpus.Source) {
				if len(src.Blocks) != 1 || src.Blocks[0].Kind != corpus.BlockParagraph {
					t.Errorf("blocks = %+v, want one paragraph", src.Blocks)
				}
			},
		},
		{
			name: "data table with spans",
			data: []byte(page(``, `<div class="pages_content"><p>`+prose+`</p><table border="1"><tr><th rowspan="2">区域</th><th colspan="2">学位数</th></tr><tr><td>小学</td><td>初中</td></tr><tr><td>天河区</td><td>563</td><td>460</td></tr></table></div>`)),
			check: func(t *testing.T, src *corpus.Source) {
				if len(src.Blocks) != 2 || src.Blocks[1].Kind != corpus.BlockTable {
					t.Fatalf("blocks = %+v", src.Blocks)
				}
				rows := src.Blocks[1].Rows
				want := [][]corpus.Cell{
					{{Text: "区域", RowSpan: 2, ColSpan: 1}, {Text: "学位数", RowSpan: 1, ColSpan: 2}},
					{{Text: "小学", RowSpan: 1, ColSpan: 1}, {Text: "初中", RowSpan: 1, ColSpan: 1}},
					{{Text: "天河区", RowSpan: 1, ColSpan: 1}, {Text: "563", RowSpan: 1, ColSpan: 1}, {Text: "460", RowSpan: 1, ColSpan: 1}},
				}
				if len(rows) != len(want) {
					t.Fatalf("rows = %+v", rows)
				}
				for i := range want {
					if len(rows[i]) != len(want[i]) {
						t.Fatalf("row %d = %+v, want %+v", i, rows[i], want[i])
					}
					for j := range want[i] {
						if rows[i][j] != want[i][j] {
							t.Errorf("cell %d,%d = %+v, want %+v", i, j, rows[i][j], want[i][j])
						}
					}
				}
			},
		},
		{
			name: "headings and inline joining",
			data: []byte(page(``, `<div class="article-content"><h2>第一章　总则</h2><p>　　<span>第一条</span>
<span>为了规范</span><b>管理</b>，制定本条例。</p><p>&nbsp;&nbsp;Hello <i>world</i> 2025</p><h3>第二章</h3></div>`)),
			check: func(t *testing.T, src *corpus.Source) {
				want := []corpus.Block{
					{Kind: corpus.BlockHeading, Text: "第一章　总则", Level: 2},
					{Kind: corpus.BlockParagraph, Text: "第一条为了规范管理，制定本条例。"},
					{Kind: corpus.BlockParagraph, Text: "Hello world 2025"},
					{Kind: corpus.BlockHeading, Text: "第二章", Level: 3},
				}
				if len(src.Blocks) != len(want) {
					t.Fatalf("blocks = %+v", src.Blocks)
				}
				for i := range want {
					if src.Blocks[i].Kind != want[i].Kind || src.Blocks[i].Text != want[i].Text || src.Blocks[i].Level != want[i].Level {
						t.Errorf("block %d = %+v, want %+v", i, src.Blocks[i], want[i])
					}
				}
			},
		},
		{
			name: "br separates paragraphs",
			data: []byte(page(``, `<div class="TRS_UEDITOR">第一行内容`+prose+`<br>第二行内容<br/><br/>第三行内容</div>`)),
			check: func(t *testing.T, src *corpus.Source) {
				if len(src.Blocks) != 3 {
					t.Errorf("blocks = %+v, want 3", src.Blocks)
				}
			},
		},
		{
			name:    "print markers and chrome",
			data:    []byte(page(`<title>关于做好招生工作的通知_通知公告_某某区人民政府网</title>`, nav+`<div class="position">您当前的位置：<a href="/">首页</a> &gt; <a>通知公告</a></div><div><!--startprint--><p>`+prose+`</p><p>【打印本页】【关闭窗口】</p><p>字体大小：大 中 小</p><!--endprint--></div><div class="xgwj">相关文件<ul><li><a href="/x">某某相关文件标题</a></li></ul></div>`+foot)),
			find:    []string{prose},
			notFind: []string{"打印", "关闭窗口", "字体", "当前的位置", "相关文件", "网站地图", "版权所有"},
			check: func(t *testing.T, src *corpus.Source) {
				if src.Meta.Title != "关于做好招生工作的通知" || src.Meta.Strong {
					t.Errorf("Title = %q (strong %v)", src.Meta.Title, src.Meta.Strong)
				}
			},
		},
		{
			name:    "metadata table",
			data:    []byte(page(`<meta name="PubDate" content="2021/8/3 10:00">`, `<table class="xxgk_table"><tr><td>[ 索 引 号 ]</td><td>000014349/2021-00123</td><td>[ 主题分类 ]</td><td>教育</td></tr><tr><td>[ 发文机关 ]</td><td>国务院办公厅</td><td>[ 成文日期 ]</td><td>2021年07月24日</td></tr><tr><td>[ 标　　题 ]</td><td colspan="3">关于进一步减轻义务教育阶段学生作业负担的意见</td></tr><tr><td>[ 发文字号 ]</td><td>国办发〔2021〕40号</td><td>[ 发布日期 ]</td><td>2021年07月25日</td></tr></table><div id="UCAP-CONTENT"><p>`+prose+`</p></div>`)),
			find:    []string{prose},
			notFind: []string{"索引号", "000014349"},
			check: func(t *testing.T, src *corpus.Source) {
				want := corpus.SourceMeta{Issuer: "国务院办公厅", Date: "2021-07-24", DocNumber: "国办发〔2021〕40号", Subject: "教育"}
				got := src.Meta
				got.Title = ""
				if got != want {
					t.Errorf("Meta = %+v, want %+v", got, want)
				}
			},
		},
		{
			name:    "gov.cn page",
			data:    []byte(page(`<meta name="ArticleTitle" content="国务院办公厅关于某事项的通知"><meta name="firstpublishedtime" content="2021-07-25-10:30:00">`, nav+`<div class="BreadcrumbNav">首页 &gt; 政策 &gt; 国务院文件</div><table class="bd1"><tbody><tr><td><b>索<span>&nbsp;&nbsp;</span>引<span>&nbsp;&nbsp;</span>号：</b></td><td>000014349/2021-00123</td><td><b>主题分类：</b></td><td>教育\其他</td></tr><tr><td><b>发文机关：</b></td><td>国务院办公厅</td><td><b>成文日期：</b></td><td>2021年07月24日</td></tr><tr><td><b>发文字号：</b></td><td>国办发〔2021〕40号</td><td><b>发布日期：</b></td><td>2021年07月25日</td></tr></tbody></table><div class="pages-date">2021-07-25 10:30 来源：新华社<span class="font">字号：<span>默认</span><span>大</span><span>超大</span></span>|<span class="pages_print"><a>打印</a></span></div><div class="pages_content" id="UCAP-CONTENT"><p>`+prose+`</p><p style="text-align:right">国务院办公厅</p></div><div class="pages_print"><a>【我要打印】</a><a>【关闭窗口】</a></div>`+foot)),
			find:    []string{prose, "国务院办公厅"},
			notFind: []string{"索引号", "打印", "关闭窗口", "字号", "首页"},
			check: func(t *testing.T, src *corpus.Source) {
				want := corpus.SourceMeta{Title: "国务院办公厅关于某事项的通知", Strong: true, Issuer: "国务院办公厅", Date: "2021-07-24", DocNumber: "国办发〔2021〕40号", Subject: `教育\其他`}
				if src.Meta != want {
					t.Errorf("Meta = %+v, want %+v", src.Meta, want)
				}
			},
		},
		{
			name:    "zhejiang markers",
			data:    []byte(page(``, nav+`<div class="main"><div class="sidebar"><a>栏目一</a><a>栏目二</a></div><div><!--ZJEG_RSS.content.begin--><meta name="ContentStart"><p>`+prose+`</p><!--ZJEG_RSS.content.end--><p><a>上一篇</a> <a>下一篇</a></p></div></div>`+foot)),
			find:    []string{prose},
			notFind: []string{"上一篇", "栏目一"},
		},
		{
			name:    "innermost specific container",
			data:    []byte(page(``, `<div class="UCAP-CONTENT"><div class="info_cont_hd">附属说明文字不多</div><div class="TRS_Editor"><p>`+prose+`</p><p>`+prose+`</p></div></div>`)),
			find:    []string{prose},
			notFind: []string{"附属说明文字不多"},
		},
		{
			name:    "generic fallback picks dense text",
			data:    []byte(page(`<title>某某市教育局 - 关于公布2025年招生计划的通知</title>`, nav+`<div class="main"><div class="left"><ul><li><a>链接一</a></li><li><a>链接二</a></li></ul></div><div class="right"><h1>关于公布2025年招生计划的通知</h1><p>`+prose+`</p><p>`+prose+`</p><p>打印 关闭</p></div></div>`+foot)),
			find:    []string{prose},
			notFind: []string{"链接一", "打印", "网站地图", "主办单位"},
			check: func(t *testing.T, src *corpus.Source) {
				if src.Meta.Title != "关于公布2025年招生计划的通知" {
					t.Errorf("Title = %q", src.Meta.Title)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := New().Read(context.Background(), tt.data, corpus.DefaultLimits())
			if tt.code != "" {
				if corpus.ErrorCode(err) != tt.code {
					t.Fatalf("err = %v, want code %s", err, tt.code)
				}
				return
			}
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			text := squash(allText(src))
			for _, p := range tt.find {
				if !strings.Contains(text, squash(p)) {
					t.Errorf("%q missing from %q", p, text)
				}
			}
			for _, p := range tt.notFind {
				if strings.Contains(text, squash(p)) {
					t.Errorf("%q present in %q", p, text)
				}
			}
			if tt.check != nil {
				tt.check(t, src)
			}
		})
	}
}

func TestNoBodyMessage(t *testing.T) {
	_, err := New().Read(context.Background(), []byte(`<html><body><ul><li><a href="/">首页</a></li><li><a href="/x">政务公开</a></li></ul></body></html>`), corpus.DefaultLimits())
	if corpus.ErrorCode(err) != corpus.EINVALID || !strings.Contains(corpus.ErrorMessage(err), "网页中没有找到正文") {
		t.Fatalf("err = %v", err)
	}
}

func TestLimits(t *testing.T) {
	deep := []byte("<html><body>" + strings.Repeat("<div>", 100000) + prose + strings.Repeat("</div>", 100000) + "</body></html>")
	small := corpus.DefaultLimits()
	small.MaxTextSize = 100
	tiny := corpus.DefaultLimits()
	tiny.MaxFileSize = 10
	shallow := corpus.DefaultLimits()
	shallow.MaxDepth = 20
	nested := []byte("<html><body>" + strings.Repeat("<div>", 30) + prose + strings.Repeat("</div>", 30) + "</body></html>")
	tests := []struct {
		name string
		data []byte
		lim  corpus.Limits
		code string
	}{
		{"100k nested divs", deep, corpus.DefaultLimits(), corpus.ETOOLARGE},
		{"100k nested spans", []byte("<p>" + strings.Repeat("<span>", 100000) + prose), corpus.DefaultLimits(), corpus.ETOOLARGE},
		{"100k nested tables", []byte(strings.Repeat("<table><tr><td>", 100000) + prose), corpus.DefaultLimits(), corpus.ETOOLARGE},
		{"depth over MaxDepth", nested, shallow, corpus.ETOOLARGE},
		{"depth within MaxDepth", nested, corpus.DefaultLimits(), ""},
		{"text over MaxTextSize", []byte("<p>" + prose + "</p><p>" + prose + "</p>"), small, corpus.ETOOLARGE},
		{"file over MaxFileSize", []byte("<p>" + prose + "</p>"), tiny, corpus.ETOOLARGE},
		{"empty", nil, corpus.DefaultLimits(), corpus.EINVALID},
		{"binary garbage", []byte("\x00\x01\x02\xff\xfe\x00garbage\x00"), corpus.DefaultLimits(), corpus.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New().Read(context.Background(), tt.data, tt.lim)
			if corpus.ErrorCode(err) != tt.code {
				t.Fatalf("err = %v, want code %q", err, tt.code)
			}
			if err != nil && corpus.ErrorMessage(err) == "" {
				t.Error("empty message")
			}
		})
	}
}

func TestContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := New().Read(ctx, readFile(t, "h01_gz.gov.cn_特困人员救助供养通知_穗府办规2021-7号.html"), corpus.DefaultLimits())
	if corpus.ErrorCode(err) != corpus.ETIMEOUT || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	ctx, cancel = context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	time.Sleep(time.Millisecond)
	_, err = New().Read(ctx, readFile(t, "h01_gz.gov.cn_特困人员救助供养通知_穗府办规2021-7号.html"), corpus.DefaultLimits())
	if corpus.ErrorCode(err) != corpus.ETIMEOUT {
		t.Fatalf("err = %v", err)
	}
}

func TestStripSiteName(t *testing.T) {
	tests := []struct{ in, site, want string }{
		{"广州市人民政府办公厅关于进一步加强特困人员救助供养工作的通知 - 广州市人民政府门户网站", "", "广州市人民政府办公厅关于进一步加强特困人员救助供养工作的通知"},
		{"广州市市场监督管理局网站-中华人民共和国市场主体登记管理条例", "", "中华人民共和国市场主体登记管理条例"},
		{"某区教育事业发展规划（2021-2025年）_某某区人民政府", "", "某区教育事业发展规划（2021-2025年）"},
		{"关于印发某办法的通知|某某市教育局", "某某市教育局", "关于印发某办法的通知"},
		{"某区教育事业发展规划（2021-2025年）", "", "某区教育事业发展规划（2021-2025年）"},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := stripSiteName(tt.in, tt.site); got != tt.want {
			t.Errorf("stripSiteName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2021-04-19 23:04", "2021-04-19"},
		{"2021年4月3日", "2021-04-03"},
		{"2021/7/30", "2021-07-30"},
		{"2021.07.30", "2021-07-30"},
		{"2021-13-01", ""},
		{"今天", ""},
	}
	for _, tt := range tests {
		if got := normDate(tt.in); got != tt.want {
			t.Errorf("normDate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
