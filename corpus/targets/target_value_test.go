package targets_test

import (
	"encoding/json"
	"testing"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/targets"
)

func fp(v float64) *float64 { return &v }

func TestParseValue(t *testing.T) {
	tests := []struct {
		raw      string
		value    *float64
		max      *float64
		cmp      string
		unit     string
		unparsed bool
	}{
		{raw: "99.5", value: fp(99.5), cmp: "="},
		{raw: "98%", value: fp(98), cmp: "=", unit: "%"},
		{raw: "98 %", value: fp(98), cmp: "=", unit: "%"},
		{raw: "＞93.0", value: fp(93), cmp: ">"},
		{raw: ">25", value: fp(25), cmp: ">"},
		{raw: "≥90%", value: fp(90), cmp: "≥", unit: "%"},
		{raw: "≥85%", value: fp(85), cmp: "≥", unit: "%"},
		{raw: "—0.07", value: fp(-0.07), cmp: "="},
		{raw: "-0.19", value: fp(-0.19), cmp: "="},
		{raw: "－1.47", value: fp(-1.47), cmp: "="},
		{raw: "45 万人次", value: fp(45), cmp: "=", unit: "万人次"},
		{raw: "1.2353", value: fp(1.2353), cmp: "="},
		{raw: "3-5所", value: fp(3), max: fp(5), cmp: "range", unit: "所"},
		{raw: "3—5所", value: fp(3), max: fp(5), cmp: "range", unit: "所"},
		{raw: "8~10人", value: fp(8), max: fp(10), cmp: "range", unit: "人"},
		{raw: "1—2项", value: fp(1), max: fp(2), cmp: "range", unit: "项"},
		{raw: "100%", value: fp(100), cmp: "=", unit: "%"},
		{raw: "100", value: fp(100), cmp: "="},
		{raw: "１００％", value: fp(100), cmp: "=", unit: "%"},
		{raw: "65%以上", value: fp(65), cmp: "≥", unit: "%"},
		{raw: "15个以上", value: fp(15), cmp: "≥", unit: "个"},
		{raw: "20个左右", value: fp(20), cmp: "≈", unit: "个"},
		{raw: "不低于20%", value: fp(20), cmp: "≥", unit: "%"},
		{raw: "不少于12个", value: fp(12), cmp: "≥", unit: "个"},
		{raw: "低于5%", value: fp(5), cmp: "<", unit: "%"},
		{raw: "0.5个百分点以上", value: fp(0.5), cmp: "≥", unit: "个百分点"},
		{raw: "206.76", value: fp(206.76), cmp: "="},
		{raw: "7928", value: fp(7928), cmp: "="},
		{raw: "112.4", value: fp(112.4), cmp: "="},
		{raw: "约束性", unparsed: true},
		{raw: "大幅提升", unparsed: true},
		{raw: "98%（含）", unparsed: true},
		{raw: "≥3-5", unparsed: true},
		{raw: "1.2.3", unparsed: true},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			p, unit := targets.ParseValue(tt.raw)
			if p.Unparsed != tt.unparsed {
				t.Fatalf("Unparsed = %v, want %v (%+v)", p.Unparsed, tt.unparsed, p)
			}
			if p.Raw == "" {
				t.Errorf("Raw dropped: %+v", p)
			}
			if tt.unparsed {
				if p.Value != nil || p.Max != nil {
					t.Errorf("unparsable value got a number: %+v", p)
				}
				if p.Raw != tt.raw {
					t.Errorf("Raw = %q, want %q", p.Raw, tt.raw)
				}
				return
			}
			if !sameFloat(p.Value, tt.value) || !sameFloat(p.Max, tt.max) {
				t.Errorf("value %v..%v, want %v..%v", deref(p.Value), deref(p.Max), deref(tt.value), deref(tt.max))
			}
			if p.Comparator != tt.cmp {
				t.Errorf("comparator %q, want %q", p.Comparator, tt.cmp)
			}
			if unit != tt.unit {
				t.Errorf("unit %q, want %q", unit, tt.unit)
			}
		})
	}
}

func TestParseValueEmpty(t *testing.T) {
	for _, raw := range []string{"", "  ", "—", "-", "/"} {
		p, unit := targets.ParseValue(raw)
		if p.Value != nil || p.Unparsed || p.Raw != "" || unit != "" {
			t.Errorf("ParseValue(%q) = %+v %q, want an empty point", raw, p, unit)
		}
	}
}

func TestPointJSON(t *testing.T) {
	tests := []struct {
		p    corpus.Point
		want string
	}{
		{corpus.Point{}, `{"year":null,"value":null}`},
		{corpus.Point{Year: 2025, Value: fp(99), Comparator: "≥"}, `{"year":2025,"value":99,"comparator":"≥"}`},
		{corpus.Point{Year: 2025, Raw: "大幅提升", Unparsed: true}, `{"year":2025,"value":null,"raw":"大幅提升","unparsed":true}`},
		{corpus.Point{Value: fp(3), Max: fp(5), Comparator: "range"}, `{"year":null,"value":3,"max":5,"comparator":"range"}`},
	}
	for _, tt := range tests {
		got, err := json.Marshal(tt.p)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tt.want {
			t.Errorf("Marshal(%+v) = %s, want %s", tt.p, got, tt.want)
		}
		var back corpus.Point
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatal(err)
		}
		again, _ := json.Marshal(back)
		if string(again) != tt.want {
			t.Errorf("round trip = %s, want %s", again, tt.want)
		}
	}
}

func sameFloat(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
