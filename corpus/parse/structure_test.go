package parse

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/corpus"
)

// outlineOf renders a document's units compactly: "path type label|title"
// per unit, for structure tests on small synthetic documents.
func outlineOf(t *testing.T, text string) string {
	t.Helper()
	d, err := parseDefault(corpus.Meta{ID: "x", Title: "测试"}, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, d)
	var b strings.Builder
	for _, u := range bodyUnits(d) {
		b.WriteString(u.Path + " " + string(u.Type) + " " + u.Label + "|" + u.Title + "\n")
	}
	return b.String()
}

// TestStructure covers the numbering rules on small documents.
func TestStructure(t *testing.T) {
	cases := []struct{ name, text, want string }{
		{"levels follow numbering, not #", "# 一、总体要求\n#### （一）指导思想\n## （二）基本原则\n### 二、主要任务\n",
			"1 section 一、|总体要求\n1.1 section （一）|指导思想\n1.2 section （二）|基本原则\n2 section 二、|主要任务\n"},
		{"coarser style closes finer one", "（一）甲\n一、乙\n（一）丙\n",
			"1 section （一）|甲\n1-2 section 一、|乙\n1-2.1 section （一）|丙\n"},
		{"chapters, sections, items", "第一章 总则\n第一节 目标\n1.提高质量。正文。\n第二节 任务\n1.扩大资源。\n第二章 保障措施\n",
			"1 section 第一章|总则\n1.1 section 第一节|目标\n1.1.1 clause 1.|提高质量\n1.2 section 第二节|任务\n1.2.1 section 1.|扩大资源\n2 section 第二章|保障措施\n"},
		{"duplicate label gets a suffix", "一、主要任务\n1.甲。正文。\n1.乙。正文。\n",
			"1 section 一、|主要任务\n1.1 task 1.|甲\n1.1-2 task 1.|乙\n"},
		{"unnumbered paragraphs and preamble", "前言段落。\n一、目标\n第一段。\n第二段。\n",
			"p1 clause |\n1 section 一、|目标\n1.p1 clause |\n1.p2 clause |\n"},
		{"bold run-in title", "一、成就\n**党的领导全面加强。**区委高度重视。\n",
			"1 section 一、|成就\n1.p1 clause |党的领导全面加强\n"},
		{"decimal is no label", "一、发展目标\n1.5万人参加培训，比上年增加。\n2.甲\n",
			"1 section 一、|发展目标\n1.p1 clause |\n1.2 section 2.|甲\n"},
		{"decimal label in sequence", "一、目标\n1.2035远景目标。\n2.十四五目标。\n",
			"1 section 一、|目标\n1.1 section 1.|2035远景目标\n1.2 section 2.|十四五目标\n"},
		{"box with 项目 items", "一、主要任务\n（一）甲\n正文。\n专栏1:工程\n项目1:计划。内容。\n项目2计划乙。内容。\n二、保障措施\n",
			"1 section 一、|主要任务\n1.1 section （一）|甲\n1.1.p1 clause |\n box1 section 专栏1|工程\nbox1.1 task 项目1|计划\nbox1.2 task 项目2|计划乙\n2 section 二、|保障措施\n"},
		{"box with prose", "一、主要任务\n\t专栏3 目标\n\n实施行动计划。\n\n二、保障\n",
			"1 section 一、|主要任务\nbox3 section 专栏3|目标\nbox3.p1 task |\n2 section 二、|保障\n"},
		{"numbering restart is an annex", "一、甲\n二、乙\n三、丙\n一、成员\n组长：某某\n二、职责\n（一）审议。\n",
			"1 section 一、|甲\n2 section 二、|乙\n3 section 三、|丙\na1.1 section 一、|成员\na1.1.p1 clause |\na1.2 section 二、|职责\na1.2.1 section （一）|审议\n"},
		{"explicit annex with listing line", "一、甲\n附件：项目表\n附件\n项目表\n1.学校\n",
			"1 section 一、|甲\n1.p1 clause |\na1 section 附件|项目表\na1.p1 clause |\na1.1 section 1.|学校\n"},
		{"numbered annexes", "一、甲\n附件1 名单\n内容。\n附件2：职责\n",
			"1 section 一、|甲\na1 section 附件1|名单\na1.p1 clause |\na2 section 附件2|职责\n"},
		{"articles", "第一章 总则\n第一条 为规范管理，制定本办法。\n第二条　本办法适用于全区学校。\n（一）公办学校；\n第二章 附则\n",
			"1 section 第一章|总则\nart1 clause 第一条|为规范管理，制定本办法\nart2 clause 第二条|本办法适用于全区学校\nart2.1 section （一）|公办学校\n2 section 第二章|附则\n"},
		{"序言", "序 言\n引言内容。\n第一章 总则\n",
			"preface section 序言|\npreface.p1 clause |\n1 section 第一章|总则\n"},
		{"page break before 表彰", "一、目标\n加强师德建设，举办优秀教师\n\n表彰大会。\n",
			"1 section 一、|目标\n1.p1 clause |\n"},
		{"enumerated grades are no label", "一、目标\n一、二年级学生不布置书面作业。\n",
			"1 section 一、|目标\n1.p1 clause |\n"},
		{"项目 outside a box is a paragraph", "一、甲\n项目1：不是专栏。\n",
			"1 section 一、|甲\n1.p1 clause |\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := strings.ReplaceAll(tc.want, "\n box1", "\nbox1")
			if got := outlineOf(t, tc.text); got != want {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// TestNumLabel compares numLabel with the regexp it replaces.
func TestNumLabel(t *testing.T) {
	cases := []string{
		"", "1", "1.", "1. 总体要求", "12、发展目标", "123．任务", "1234. 不是", "2035年远景目标",
		"3 . 间隔", "4\t、制表", "5.\n换行", "6.标题\n正文", "7.\xff", "８．全角数字", "9、", "1.5万人",
		"01.零开头", "a1. 字母", " 1. 前导空格",
	}
	for _, s := range cases {
		want := numRe.FindStringSubmatch(s)
		var got [4]string
		ok := numLabel(s, &got)
		if ok != (want != nil) {
			t.Errorf("numLabel(%q) = %v, regexp matches: %v", s, ok, want != nil)
			continue
		}
		if ok && got != [4]string(want) {
			t.Errorf("numLabel(%q) = %q, regexp %q", s, got, want)
		}
	}
}

// TestOrdinalLabel compares ordinalLabel with the regexps it stands for
// (chapterRe, sectionRe, articleRe) on chosen lines and on random strings
// of the pieces those regexps turn on.
func TestOrdinalLabel(t *testing.T) {
	cases := []string{
		"", "第", "第一章", "第一章 总则", "第 十二 章　附则", "第1章", "第123章 标题", "第1234章 标题",
		"第一节", "第三节 法律责任", "第一条", "第一条 为了", "第一条　为了规范", "第十条\t内容", "第1234条 内容",
		"第12345条 内容", "第一条为了", "第一条 \n", "第一章\n总则", "第一章 总则\n第二章", "第\n一章", "第一2章",
		"第一\xff章", "第一章\xff", "第一条 \xff", "第二十一条  本条例自发布之日起施行。", "第一百零一条 附则",
		"第〇条 零", "第两章", "第一章总则", "第一 条 内容", "第一条\u3000\u3000内容", "第一条\u3000", " 第一章",
	}
	pieces := []string{"第", "一", "十", "百", "两", "1", "2", "3", "章", "节", "条", " ", "\t", "\n", "\u3000", "总则", "\xff", "。", "a"}
	rng := rand.New(rand.NewPCG(7, 11))
	for range 20000 {
		var b strings.Builder
		if rng.IntN(4) > 0 {
			b.WriteString("第")
		}
		for range rng.IntN(8) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		cases = append(cases, b.String())
	}
	for _, c := range []struct {
		re        *regexp.Regexp
		unit      rune
		maxDigits int
		spaced    bool
		style     string
	}{
		{chapterRe, '章', 3, false, styleChapter},
		{sectionRe, '节', 3, false, styleSection},
		{articleRe, '条', 4, true, styleArticle},
	} {
		matched := 0
		for _, s := range cases {
			var want, got heading
			var wantRest, gotRest string
			wok := match(c.re, s, &want, c.style, &wantRest)
			gok := ordinalLabel(s, c.unit, c.maxDigits, c.spaced, &got, c.style, &gotRest)
			if gok != wok || got != want || gotRest != wantRest {
				t.Errorf("%s: ordinalLabel(%q) = %v %+v %q, regexp %v %+v %q", c.style, s, gok, got, gotRest, wok, want, wantRest)
			}
			if wok {
				matched++
			}
		}
		if matched < 20 {
			t.Errorf("%s: only %d of the lines match: the cases do not exercise the label", c.style, matched)
		}
	}
}
