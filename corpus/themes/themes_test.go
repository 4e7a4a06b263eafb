package themes_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/parse"
	"github.com/zhengce/zhengce/corpus/themes"
)

// educationThemes are the second level under 教育, the themes of the
// education plans zhengce was built for.
var educationThemes = []string{"学前教育", "义务教育", "普通高中", "职业教育", "高等教育", "特殊教育", "民办教育", "终身教育",
	"德育思政", "体育美育劳动", "教师队伍", "教育信息化", "评价与考试招生", "治理与督导", "党的建设", "经费保障",
	"学校建设与布局", "开放合作", "安全与健康", "资助与关爱"}

func TestDefaultTaxonomy(t *testing.T) {
	tax, err := themes.Default()
	if err != nil {
		t.Fatalf("embedded themes.json: %v", err)
	}
	// the State Council's 主题分类, 科技、教育 shown as 科技 and 教育
	top := []string{"国务院组织机构", "综合政务", "国民经济管理、国有资产监管", "财政、金融、审计", "国土资源、能源",
		"农业、林业、水利", "工业、交通", "商贸、海关、旅游", "市场监管、安全生产监管", "城乡建设、环境保护", "科技", "教育",
		"文化、广电、新闻出版", "卫生、体育", "人口与计划生育、妇女儿童工作", "劳动、人事、监察", "公安、安全、司法",
		"民政、扶贫、救灾", "民族、宗教", "对外事务", "港澳台侨工作", "国防", "其他"}
	if got := tax.Names(); !slices.Equal(got, top) {
		t.Errorf("top-level names = %v, want %v", got, top)
	}
	var want []string
	for _, name := range top {
		want = append(want, name)
		if name == "教育" {
			for _, c := range educationThemes {
				want = append(want, "教育"+themes.Sep+c)
			}
		}
	}
	if got := tax.Paths(); !slices.Equal(got, want) {
		t.Errorf("paths = %v, want %v", got, want)
	}
	if k := tax.Keywords("教育/学前教育"); !slices.Contains(k, "幼儿园") {
		t.Errorf("keywords of 教育/学前教育 = %v", k)
	}
	if k := tax.Keywords("公安、安全、司法"); !slices.Contains(k, "烟花爆竹") || !slices.Contains(k, "养犬") {
		t.Errorf("keywords of 公安、安全、司法 = %v", k)
	}
	if k := tax.Keywords("科技"); !slices.Contains(k, "数据安全") {
		t.Errorf("keywords of 科技 = %v", k)
	}
}

func TestParseTaxonomyErrors(t *testing.T) {
	for _, tc := range []struct{ name, data string }{
		{"syntax", `{"themes": [`},
		{"empty", `{"themes": []}`},
		{"no name", `{"themes": [{"name": " ", "keywords": ["a"]}]}`},
		{"duplicate", `{"themes": [{"name": "a", "keywords": ["x"]}, {"name": "a", "keywords": ["y"]}]}`},
		{"duplicate child", `{"themes": [{"name": "a", "keywords": ["x"], "themes": [{"name": "b", "keywords": ["y"]}, {"name": "b", "keywords": ["z"]}]}]}`},
		{"no keywords", `{"themes": [{"name": "a", "keywords": [" "]}]}`},
		{"child without keywords", `{"themes": [{"name": "a", "keywords": ["x"], "themes": [{"name": "b", "keywords": []}]}]}`},
		{"separator in name", `{"themes": [{"name": "财政/金融", "keywords": ["x"]}]}`},
		{"three levels", `{"themes": [{"name": "a", "keywords": ["x"], "themes": [{"name": "b", "keywords": ["y"], "themes": [{"name": "c", "keywords": ["z"]}]}]}]}`},
		{"two fallbacks", `{"themes": [{"name": "a", "fallback": true, "keywords": []}, {"name": "b", "fallback": true, "keywords": []}]}`},
		{"fallback child", `{"themes": [{"name": "a", "keywords": ["x"], "themes": [{"name": "b", "fallback": true, "keywords": []}]}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := themes.Parse([]byte(tc.data))
			if corpus.ErrorCode(err) != corpus.EINVALID {
				t.Fatalf("err = %v, want EINVALID", err)
			}
		})
	}
	// the same child name under two parents is fine
	if _, err := themes.Parse([]byte(`{"themes": [{"name": "a", "keywords": ["x"], "themes": [{"name": "其他", "keywords": ["y"]}]},
		{"name": "b", "keywords": ["z"], "themes": [{"name": "其他", "keywords": ["w"]}]}]}`)); err != nil {
		t.Errorf("same child name under two parents: %v", err)
	}
}

// TestTaxonomyAssign places documents by the default taxonomy: the
// stated 主题分类 first, then the title, then the units; the education
// second level only in documents of 教育.
func TestTaxonomyAssign(t *testing.T) {
	tax, err := themes.Default()
	if err != nil {
		t.Fatal(err)
	}
	type unit struct {
		text, title string
		crumb       []string
	}
	for _, tc := range []struct {
		name, title, subject string
		units                []unit
		want                 [][]string // themes by unit
	}{
		{
			name: "dog regulation gets no education theme", title: "东营市养犬管理条例",
			units: []unit{
				{text: "第一条 为了规范养犬行为，保障公民健康和人身安全，制定本条例。", crumb: []string{"第一章 总则"}},
				{text: "第二十条 对家庭经济困难的养犬人给予资助，关爱留守儿童，禁止携犬进入幼儿园和学校。", crumb: []string{"第三章 管理"}},
			},
			want: [][]string{{"公安、安全、司法"}, {"公安、安全、司法"}},
		},
		{
			name: "fireworks regulation", title: "德州市烟花爆竹燃放管理条例",
			units: []unit{{text: "第一条 为了加强烟花爆竹燃放安全管理，制定本条例。"}},
			want:  [][]string{{"公安、安全、司法"}},
		},
		{
			name: "data security law", title: "中华人民共和国数据安全法",
			units: []unit{{text: "第一条 为了规范数据处理活动，保障数据安全，制定本法。"}},
			want:  [][]string{{"科技"}},
		},
		{
			name: "education plan", title: "巫溪县教育事业发展“十四五”规划",
			units: []unit{
				{text: "（二）大力发展职业教育", title: "大力发展职业教育"},
				{text: "推行１＋Ｘ证书制度。", crumb: []string{"（二）大力发展职业教育"}},
				{text: "新建幼儿园 3 所，培训教师。", crumb: []string{"第三章 主要任务"}},
				{text: "加强组织领导。", crumb: []string{"第五章 保障措施"}},
				{text: "幼儿\n园"}, // crosses a line break
			},
			want: [][]string{
				{"教育", "教育/职业教育"},
				{"教育", "教育/职业教育"},
				{"教育", "教育/学前教育", "教育/教师队伍", "教育/学校建设与布局"}, // 新建
				{"教育"},
				{"教育", "教育/学前教育"},
			},
		},
		{
			name: "stated subject of a disclosure page", title: "关于印发某某工作方案的通知", subject: "教育",
			units: []unit{{text: "统筹财政资金，保障生均拨款。"}, {text: "加强组织领导。"}},
			want:  [][]string{{"教育", "教育/经费保障"}, {"教育"}},
		},
		{
			name: "stated subject overrides the title", title: "某区卫生健康工作方案", subject: "教育",
			units: []unit{{text: "开展学生体质健康监测。"}},
			want:  [][]string{{"教育", "教育/体育美育劳动", "教育/安全与健康"}},
		},
		{
			name: "stated 科技、教育 narrowed by the title", title: "某市促进科技成果转化条例", subject: "科技、教育",
			units: []unit{{text: "高校和科研机构转化科技成果，资助科研人员。"}},
			want:  [][]string{{"科技"}},
		},
		{
			name: "stated 科技、教育 narrowed by its second part", title: "某区工作方案", subject: `科技、教育\教育`,
			units: []unit{{text: "资助家庭经济困难学生。"}},
			want:  [][]string{{"教育", "教育/资助与关爱"}},
		},
		{
			name: "portal subdivision ignored", title: "某区工作方案", subject: `教育\其他`,
			units: []unit{{text: "加强组织领导。"}},
			want:  [][]string{{"教育"}},
		},
		{
			name: "unknown subject falls back to the title", title: "某市水文条例", subject: "综合类",
			units: []unit{{text: "第一条 为了加强水文管理，制定本条例。"}},
			want:  [][]string{{"农业、林业、水利"}},
		},
		{
			name: "units decide without a title keyword", title: "某市若干规定",
			units: []unit{{text: "依法缴纳税收。"}, {text: "税收征收管理。"}, {text: "加强宣传教育。"}, {text: "附则。"}},
			want:  [][]string{{"财政、金融、审计"}, {"财政、金融、审计"}, {"财政、金融、审计"}, {"财政、金融、审计"}},
		},
		{
			name: "one passing mention is not enough", title: "某市若干规定",
			units: []unit{{text: "加强宣传教育。"}, {text: "第二条 本规定自公布之日起施行。"}, {text: "第三条 略。"}, {text: "附则。"}},
			want:  [][]string{{"其他"}, {"其他"}, {"其他"}, {"其他"}},
		},
		{
			name: "a longer keyword hides a shorter one", title: "某市市容和环境卫生管理条例",
			units: []unit{{text: "第一条 略。"}},
			want:  [][]string{{"城乡建设、环境保护"}},
		},
		{
			name: "ignored phrase", title: "中华人民共和国防汛条例",
			units: []unit{{text: "第一条 略。"}},
			want:  [][]string{{"农业、林业、水利"}},
		},
		{
			name: "two title themes, second level in the education one", title: "学校食品安全管理规定",
			units: []unit{{text: "学校食堂应当保障食品安全，加强校园安全管理。"}},
			want:  [][]string{{"市场监管、安全生产监管", "教育", "教育/安全与健康"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := &corpus.Document{Meta: corpus.Meta{ID: "d", Title: tc.title, Subject: tc.subject}}
			for i, u := range tc.units {
				d.Units = append(d.Units, &corpus.Unit{ID: "d/" + string(rune('a'+i)), Type: corpus.TypeClause, Text: u.text, Title: u.title, Breadcrumb: u.crumb})
			}
			tax.Assign(d)
			for i, u := range d.Units {
				if !slices.Equal(u.Themes, tc.want[i]) {
					t.Errorf("unit %d %q: themes = %v, want %v", i, u.Text, u.Themes, tc.want[i])
				}
			}
		})
	}
}

func TestSubjectThemes(t *testing.T) {
	tax, err := themes.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"教育", []string{"教育"}},
		{"科技、教育", []string{"科技", "教育"}},
		{`科技、教育\教育`, []string{"教育"}},
		{"科技、教育 > 科技", []string{"科技"}},
		{`教育\其他`, []string{"教育"}},
		{"财政、金融、审计", []string{"财政、金融、审计"}},
		{"财政", []string{"财政、金融、审计"}},
		{"公安、安全、司法", []string{"公安、安全、司法"}},
		{"学前教育", []string{"教育"}},
		{"综合类", nil},
		{"", nil},
	} {
		if got := tax.SubjectThemes(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("SubjectThemes(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// TestParsedSubject checks that the 主题分类 a document states reaches
// Assign: the header field of a text copy and a format reader's
// SourceMeta.Subject.
func TestParsedSubject(t *testing.T) {
	p, err := parse.Default()
	if err != nil {
		t.Fatal(err)
	}
	const title = "关于做好某某工作的通知"
	text := "[ 索引号 ] 1/2022-1 [ 发文字号 ] 渝两江党办发﹝2022﹞44号\n[ 主题分类 ] 教育 [ 体裁分类 ] 通知\n\n" + title + "\n\n一、统筹财政资金，保障生均拨款。\n\n二、加强组织领导。\n"
	d, err := p.Parse(corpus.Meta{ID: "t", Source: "t.txt"}, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if d.Subject != "教育" {
		t.Errorf("text copy: subject = %q, want 教育", d.Subject)
	}
	checkEducation(t, "text copy", d)

	src := &corpus.Source{Format: corpus.FormatHTML, Meta: corpus.SourceMeta{Title: title, Strong: true, Subject: "教育"},
		Blocks: []corpus.Block{
			{Kind: corpus.BlockHeading, Level: 1, Text: title},
			{Kind: corpus.BlockParagraph, Text: "一、统筹财政资金，保障生均拨款。"},
			{Kind: corpus.BlockParagraph, Text: "二、加强组织领导。"},
		}}
	d, err = p.ParseSource(corpus.Meta{ID: "h", Source: "h.html"}, src)
	if err != nil {
		t.Fatal(err)
	}
	if d.Subject != "教育" {
		t.Errorf("html page: subject = %q, want 教育", d.Subject)
	}
	checkEducation(t, "html page", d)

	// without the field the same text is no education document: its
	// title and units name 财政
	d, err = p.Parse(corpus.Meta{ID: "u", Source: "u.txt"}, []byte(title+"\n\n一、统筹财政资金，保障生均拨款。\n\n二、加强财政预算管理。\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range d.Units {
		if slices.ContainsFunc(u.Themes, func(s string) bool { return strings.HasPrefix(s, "教育") }) {
			t.Errorf("without a subject: %s themes = %v", u.ID, u.Themes)
		}
	}
}

// checkEducation checks that every unit of d is in 教育 and that the unit
// naming 财政资金 has 教育/经费保障.
func checkEducation(t *testing.T, what string, d *corpus.Document) {
	t.Helper()
	funded := false
	for _, u := range d.Units {
		if !slices.Contains(u.Themes, "教育") {
			t.Errorf("%s: %s themes = %v, want 教育", what, u.ID, u.Themes)
		}
		if strings.Contains(u.Text, "财政资金") {
			funded = slices.Contains(u.Themes, "教育/经费保障")
		}
	}
	if !funded {
		t.Errorf("%s: no unit with 教育/经费保障", what)
	}
}

// TestSeedThemes checks theme assignment on the real seed corpus: every
// seed is an education plan (liangjiang-2022 states 主题分类 教育), every
// second-level theme is justified by a keyword in the unit or its
// headings, and every education theme occurs somewhere.
func TestSeedThemes(t *testing.T) {
	c, err := parse.Seeds()
	if err != nil {
		t.Fatal(err)
	}
	tax, err := themes.Default()
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]int{}
	for _, d := range c.Documents() {
		if d.ID == "liangjiang-2022" && d.Subject != "教育" {
			t.Errorf("liangjiang-2022 subject = %q, want 教育", d.Subject)
		}
		for _, u := range d.Units {
			if len(u.Themes) == 0 || u.Themes[0] != "教育" {
				t.Errorf("%s: themes %v do not start with 教育", u.ID, u.Themes)
				continue
			}
			ctx := corpus.Normalize(u.Text + u.Title + strings.Join(u.Breadcrumb, ""))
			for _, th := range u.Themes[1:] {
				used[th]++
				if !slices.Contains(tax.Paths(), th) || !strings.HasPrefix(th, "教育"+themes.Sep) {
					t.Fatalf("%s: unknown theme %s", u.ID, th)
				}
				if !slices.ContainsFunc(tax.Keywords(th), func(k string) bool { return strings.Contains(ctx, corpus.Normalize(k)) }) {
					t.Errorf("%s: theme %s without keyword", u.ID, th)
				}
			}
		}
	}
	for _, name := range educationThemes {
		if used["教育/"+name] == 0 {
			t.Errorf("theme 教育/%s assigned to no unit of the seed corpus", name)
		}
	}
}

func TestUserDictionary(t *testing.T) {
	d, err := themes.UserDictionary()
	if err != nil {
		t.Fatal(err)
	}
	for _, term := range []string{"集团化办学", "双减", "五育并举", "立德树人", "区管校聘", "十四五", "产教融合", "双师型", "1+X"} {
		if !strings.Contains(d, "\n"+term+" ") {
			t.Errorf("user dictionary lacks %s", term)
		}
	}
}
