package corpus_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/corpus"
)

func TestTargetsFilter(t *testing.T) {
	c := seedCorpus(t)
	all := c.Targets(corpus.TargetFilter{})
	total := 0
	for _, d := range c.Documents() {
		total += len(d.Targets)
	}
	if len(all) != total || total == 0 {
		t.Fatalf("unfiltered: %d targets, corpus has %d", len(all), total)
	}
	tests := []struct {
		name string
		f    corpus.TargetFilter
		ok   func(*corpus.Target) bool
	}{
		{"query matches canonical", corpus.TargetFilter{Query: "毛入园率"}, func(t *corpus.Target) bool {
			return strings.Contains(corpus.Normalize(t.Indicator+t.Canonical), "毛入园率")
		}},
		{"district", corpus.TargetFilter{Districts: []string{"黔江区", "巫溪县"}}, func(t *corpus.Target) bool {
			return t.District == "黔江区" || t.District == "巫溪县"
		}},
		{"min", corpus.TargetFilter{Min: fp(99)}, func(t *corpus.Target) bool {
			hi := t.Target.Value
			if t.Target.Max != nil {
				hi = t.Target.Max
			}
			return hi != nil && *hi >= 99
		}},
		{"max", corpus.TargetFilter{Max: fp(1)}, func(t *corpus.Target) bool { return t.Target.Value != nil && *t.Target.Value <= 1 }},
		{"source", corpus.TargetFilter{Source: corpus.SourceTable}, func(t *corpus.Target) bool { return t.Source == corpus.SourceTable }},
		{"kind", corpus.TargetFilter{Kind: corpus.KindResult}, func(t *corpus.Target) bool { return t.Kind == corpus.KindResult && t.Source == corpus.SourceTable }},
		{"traditional query", corpus.TargetFilter{Query: "學前三年"}, func(t *corpus.Target) bool {
			return strings.Contains(corpus.Normalize(t.Indicator+t.Canonical), "学前三年")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Targets(tt.f)
			if len(got) == 0 {
				t.Fatal("no targets")
			}
			want := 0
			for _, x := range all {
				if tt.ok(x) {
					want++
				}
			}
			for _, x := range got {
				if !tt.ok(x) {
					t.Errorf("%s passed the filter: %s %v", x.ID, x.Indicator, deref(x.Target.Value))
				}
			}
			if tt.f.Query == "" && len(got) != want {
				t.Errorf("%d targets, want %d", len(got), want)
			}
		})
	}
	// A word only the sentence has falls back to the source text.
	got := c.Targets(corpus.TargetFilter{Query: "近视率"})
	if len(got) == 0 {
		t.Fatal("近视率: nothing")
	}
	for _, x := range got {
		if !strings.Contains(x.Text, "近视率") {
			t.Errorf("%s does not mention 近视率", x.ID)
		}
	}
	if got := c.Targets(corpus.TargetFilter{Query: "不存在的指标名"}); len(got) != 0 {
		t.Errorf("nonsense query: %d targets", len(got))
	}
}

func TestCompareTargets(t *testing.T) {
	c := seedCorpus(t)
	comps := c.CompareTargets("毛入园率")
	if len(comps) != 1 || comps[0].Canonical != "学前三年毛入园率" {
		var names []string
		for _, cp := range comps {
			names = append(names, cp.Canonical)
		}
		t.Fatalf("comparisons %v, want [学前三年毛入园率]", names)
	}
	cp := comps[0]
	districts := c.Districts()
	if len(cp.Districts) != len(districts) {
		t.Fatalf("%d districts, want all %d", len(cp.Districts), len(districts))
	}
	for i, dt := range cp.Districts {
		if dt.District != districts[i] {
			t.Errorf("district %d = %s, want %s", i, dt.District, districts[i])
		}
		if len(dt.Targets) == 0 {
			t.Errorf("%s states 学前三年毛入园率 in the seeds but has no target", dt.District)
		}
		for j, x := range dt.Targets {
			if x.Canonical != cp.Canonical || x.District != dt.District {
				t.Errorf("%s: foreign target %s", dt.District, x.ID)
			}
			if j > 0 && corpus.TargetRank(dt.Targets[j-1]) > corpus.TargetRank(x) {
				t.Errorf("%s: targets out of order at %s", dt.District, x.ID)
			}
		}
	}
	// The promise each district makes, read from the seeds.
	wantTarget := map[string]string{
		"永川区": "99.5", "巫溪县": "93", "沙坪坝区": "99", "两江新区": "100", "黔江区": "93",
	}
	for _, dt := range cp.Districts {
		x := dt.Targets[0]
		if got := ftoa(x.Target.Value); got != wantTarget[dt.District] {
			t.Errorf("%s: first target %s (%s), want %s", dt.District, got, x.ID, wantTarget[dt.District])
		}
	}
	// A district that says nothing appears with an empty list.
	comps = c.CompareTargets("差异系数")
	if len(comps) == 0 {
		t.Fatal("差异系数: nothing")
	}
	empty := 0
	for _, dt := range comps[0].Districts {
		if dt.Targets == nil {
			t.Errorf("%s: nil list, want empty", dt.District)
		}
		if len(dt.Targets) == 0 {
			empty++
		}
	}
	if empty != len(districts)-1 {
		t.Errorf("%d districts without 差异系数, want %d", empty, len(districts)-1)
	}
	if got := c.CompareTargets("  "); got != nil {
		t.Errorf("empty query compared %d indicators", len(got))
	}
}

func ftoa(v *float64) string {
	if v == nil {
		return "nil"
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

// TestTargetNormText checks that a target's normalised text and
// indicator are those CacheNorm stored while the text and indicator are
// unchanged, and are computed afresh after a change or without a cache.
func TestTargetNormText(t *testing.T) {
	tg := &corpus.Target{Indicator: "学前三年毛入园率（％）", Text: "到２０２５年，学前三年毛入园率达到９３％"}
	want := func(tg *corpus.Target) (string, string) {
		return corpus.Normalize(tg.Text), corpus.Normalize(tg.Indicator)
	}
	check := func(when string) {
		t.Helper()
		text, ind := want(tg)
		if got := tg.NormText(); got != text {
			t.Errorf("%s: NormText %q, want %q", when, got, text)
		}
		if got := tg.NormIndicator(); got != ind {
			t.Errorf("%s: NormIndicator %q, want %q", when, got, ind)
		}
	}
	check("not cached")
	tg.CacheNorm()
	check("cached")
	tg.Text, tg.Indicator = "普惠性幼儿园覆盖率达到８０％", "普惠性幼儿园覆盖率"
	check("changed after caching")
	tg.Text, tg.Indicator = "", ""
	check("emptied")
}
