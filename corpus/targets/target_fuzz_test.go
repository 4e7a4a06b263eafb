package targets_test

import (
	"testing"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/targets"
)

// FuzzTargetText checks that the value parser and the prose extractor
// never panic, never lose a value silently, and quote what they extract.
func FuzzTargetText(f *testing.F) {
	for _, s := range []string{
		"99.5", "＞93.0", "—0.07", "45 万人次", "3-5所", "≥90%", "约束性",
		"到2025年，学前三年毛入园率达93%以上，建成市、区级名师工作室15个以上。",
		"培育10所品牌幼儿园、15所品牌小学、3-5所品牌初中。",
		"公办幼儿园、普惠性幼儿园在园幼儿占比达到80%、90%；",
		"比例分别达到90%95%以上", "巫溪府发〔2022〕14号", "1.2.3.4", "-", "达",
	} {
		f.Add(s)
	}
	d := &corpus.Document{Meta: corpus.Meta{ID: "f", Title: "规划（2021—2025年）"}}
	f.Fuzz(func(t *testing.T, s string) {
		p, _ := targets.ParseValue(s)
		if p.Value == nil && p.Raw != "" && !p.Unparsed {
			t.Fatalf("ParseValue(%q) dropped the value: %+v", s, p)
		}
		if p.Unparsed && p.Raw == "" {
			t.Fatalf("ParseValue(%q) flagged without raw text", s)
		}
		u := &corpus.Unit{ID: "f/1", Type: corpus.TypeClause, Text: s, Part: corpus.PartTasks}
		got, _ := targets.ProseTargets(d, u, 2025)
		for _, tg := range got {
			if tg.Target.Value == nil || tg.Indicator == "" || tg.Text == "" {
				t.Fatalf("incomplete target from %q: %+v", s, tg)
			}
		}
	})
}
