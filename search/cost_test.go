package search

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/corpus"
)

// BenchmarkDuplicateTerms compares a query with its terms repeated to the
// query with each term once: duplicates collapse in the parser, so the
// repeated forms must cost about the same.
func BenchmarkDuplicateTerms(b *testing.B) {
	f := seeds(b)
	ctx := context.Background()
	for _, bc := range []struct{ name, q string }{
		{"的", "的"},
		{"的x32", strings.TrimSpace(strings.Repeat("的 ", 32))},
		{"教育", "教育"},
		{"教育x32", strings.TrimSpace(strings.Repeat("教育 ", 32))},
		{"双减_OR_课后服务", "双减 OR 课后服务"},
		{"双减_OR_课后服务x10", strings.TrimSuffix(strings.Repeat("双减 OR 课后服务 ", 10), " ")},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := f.svc.Search(ctx, Request{Query: bc.q}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestDuplicatesCollapse: repeated items, groups and exclusions are kept
// once, so a repeated query is planned and answered like the query once.
func TestDuplicatesCollapse(t *testing.T) {
	f := seeds(t)
	rep := func(s string, n int) string { return strings.TrimSpace(strings.Repeat(s+" ", n)) }
	for _, tc := range []struct{ in, same string }{
		{rep("的", MaxQueryTerms), "的"},
		{rep("教育", MaxQueryTerms), "教育"},
		{rep(`"五育并举"`, 10) + " 教育", `"五育并举" 教育`},
		{"双减 OR 双减 OR 课后服务", "双减 OR 课后服务"},
		{"双减 OR 课后服务 课后服务 OR 双减", "双减 OR 课后服务"},
		{"教育 -高职 -高职 -高职", "教育 -高职"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseQuery(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			want, err := ParseQuery(tc.same)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("ParseQuery(%q) = %+v, want %+v", tc.in, got, want)
			}
			gp, wp := f.svc.compile(got), f.svc.compile(want)
			if !reflect.DeepEqual(gp.terms, wp.terms) || !reflect.DeepEqual(gp.words, wp.words) {
				t.Errorf("plan terms %q words %q, want %q %q", gp.terms, gp.words, wp.terms, wp.words)
			}
			a := search(t, f.svc, Request{Query: tc.in})
			b := search(t, f.svc, Request{Query: tc.same})
			if a.Total != b.Total || !reflect.DeepEqual(hitIDs(a), hitIDs(b)) {
				t.Errorf("total %d, want %d", a.Total, b.Total)
			}
		})
	}
	if _, err := ParseQuery(rep("的", MaxQueryTerms+1)); corpus.ErrorCode(err) != corpus.ETOOLARGE {
		t.Errorf("%d terms as written: %v, want ETOOLARGE", MaxQueryTerms+1, err)
	}
}
