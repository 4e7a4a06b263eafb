package parse

import (
	"strings"
	"testing"

	"github.com/zhengce/zhengce/corpus"
)

// TestParts checks the part of every top-level heading of the five seed
// documents (and, where a chapter mixes parts, of its sub-headings), as a
// reader of each plan would assign them.
func TestParts(t *testing.T) {
	want := map[string]map[string]string{
		"yongchuan-2022": {"1": corpus.PartBasis, "2": corpus.PartRequirements, "3": corpus.PartTasks, "4": corpus.PartSafeguards, "a1": corpus.PartAnnex, "box1": corpus.PartAnnex},
		"qianjiang-2023": {"p1": corpus.PartBasis, "1": corpus.PartRequirements, "2": corpus.PartTasks, "3": corpus.PartSafeguards, "a1.1": corpus.PartAnnex, "a1.3": corpus.PartAnnex},
		"shapingba-2021": {"p1": corpus.PartBasis, "1": corpus.PartBasis, "2": corpus.PartRequirements, "box1": corpus.PartRequirements, "3": corpus.PartTasks, "4": corpus.PartSafeguards},
		"liangjiang-2022": {"preface": corpus.PartBasis, "1": corpus.PartBasis, "1.1": corpus.PartBasis, "1.2": corpus.PartBasis, "1.3": corpus.PartRequirements, "1.4": corpus.PartRequirements,
			"t1": corpus.PartRequirements, "2": corpus.PartTasks, "box1": corpus.PartTasks, "5": corpus.PartTasks, "10": corpus.PartTasks, "11": corpus.PartSafeguards},
		"wuxi-2022": {"1": corpus.PartBasis, "t1": corpus.PartBasis, "2": corpus.PartRequirements, "3": corpus.PartTasks, "box4": corpus.PartTasks, "4": corpus.PartSafeguards},
	}
	for id, paths := range want {
		d := parseSeed(t, id)
		for path, part := range paths {
			if u := unitByPath(t, d, path); u.Part != part {
				t.Errorf("%s/%s (%s) is in part %s, want %s", id, path, u.Title, u.Part, part)
			}
		}
		// Every unit inherits the part of its nearest part-bearing heading:
		// units of one top-level chapter (outside mixed chapters) agree.
		for _, u := range d.Units {
			top := strings.SplitN(u.Path, ".", 2)[0]
			if p, ok := paths[top]; ok && top != "1" && top != "a1" && !strings.HasPrefix(u.Path, "box") && !strings.HasPrefix(u.Path, "t") && u.Part != p {
				t.Errorf("%s: %s is in part %s, its chapter %s in %s", id, u.Path, u.Part, top, p)
			}
		}
	}
}

// TestCitations checks the citation format on examples of every
// numbering level.
func TestCitations(t *testing.T) {
	cases := []struct{ doc, path, want string }{
		{"wuxi-2022", "3.2.1", "《巫溪县教育事业发展“十四五”规划（2021—2025年）》第三章第二节第1条"},
		{"wuxi-2022", "3.1.1.p2", "《巫溪县教育事业发展“十四五”规划（2021—2025年）》第三章第一节第1条第2段"},
		{"wuxi-2022", "t2.r5", "《巫溪县教育事业发展“十四五”规划（2021—2025年）》表2第5行"},
		{"wuxi-2022", "box3.p1", "《巫溪县教育事业发展“十四五”规划（2021—2025年）》专栏3第1段"},
		{"yongchuan-2022", "3.2.8", "《重庆市永川区教育事业发展“十四五”规划（2021-2025年）》第三部分第（二）项第8条"},
		{"yongchuan-2022", "p2", "《重庆市永川区教育事业发展“十四五”规划（2021-2025年）》开篇第2段"},
		{"liangjiang-2022", "box2.8", "《两江新区教育事业发展“十四五”规划（2021—2025年）》专栏2项目8"},
		{"liangjiang-2022", "preface.p1", "《两江新区教育事业发展“十四五”规划（2021—2025年）》序言第1段"},
		{"liangjiang-2022", "1.1.2.3", "《两江新区教育事业发展“十四五”规划（2021—2025年）》第一章第一部分第（二）项第3条"},
		{"qianjiang-2023", "a1.3.2", "《深入推进黔江教育高质量发展工作方案》附件第三部分第（二）项"},
		{"shapingba-2021", "box1.r16", "《重庆市沙坪坝区“十四五”教育事业发展规划》专栏1第16行"},
	}
	for _, tc := range cases {
		if u := unitByPath(t, parseSeed(t, tc.doc), tc.path); u.Citation != tc.want {
			t.Errorf("%s/%s: citation %s, want %s", tc.doc, tc.path, u.Citation, tc.want)
		}
	}
}

// TestTasks checks task units: numbered measures under task headings and
// 专栏 items, with their responsible units.
func TestTasks(t *testing.T) {
	q := parseSeed(t, "qianjiang-2023")
	tasks := 0
	for _, u := range q.Units {
		if u.Type == corpus.TypeTask {
			tasks++
			if !strings.HasPrefix(u.Path, "2.") {
				t.Errorf("qianjiang task outside 二、工作举措: %s", u.Path)
			}
		}
	}
	if tasks != 20 {
		t.Errorf("qianjiang has %d tasks, want the 20 measures of 二、工作举措", tasks)
	}
	u := unitByPath(t, q, "2.1.4")
	if u.Type != corpus.TypeTask || u.Title != "增强职业院校基础能力" || len(u.Owners) != 9 || u.Owners[0] != "区教委" || u.Owners[8] != "区职教中心" {
		t.Errorf("qianjiang 2.1.4: %s %q %v", u.Type, u.Title, u.Owners)
	}
	l := parseSeed(t, "liangjiang-2022")
	if u := unitByPath(t, l, "box1.1"); u.Type != corpus.TypeTask || u.Label != "项目1" || u.Title != "构建全面立德树人的体制机制" {
		t.Errorf("liangjiang box1.1: %s %q %q", u.Type, u.Label, u.Title)
	}
	if u := unitByPath(t, l, "box9.36"); u.Type != corpus.TypeTask {
		t.Errorf("liangjiang box9.36: %s", u.Type)
	}
	// Run-in numbered paragraphs outside 主要任务 are clauses with titles.
	if u := unitByPath(t, q, "3.1"); u.Type != corpus.TypeClause || u.Title != "加强组织领导" || u.Label != "（一）" {
		t.Errorf("qianjiang 3.1: %s %q %q", u.Type, u.Label, u.Title)
	}
}
