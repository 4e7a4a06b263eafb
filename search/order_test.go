package search

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
)

// TestGroupOrderIndependent: groups are evaluated cheapest first, which
// must not change what a query finds: every order of the same groups
// gives the same total, facets, hits and (up to rounding) scores.
func TestGroupOrderIndependent(t *testing.T) {
	f := seeds(t)
	for _, groups := range [][]string{
		{"学前教育", "普惠"},
		{"教师", "培训", "乡村"},
		{`"集团化办学"`, "质量"},
		{"双减 OR 课后服务", "学校"},
		{"职业教育", "产教融合", "的"},
		{"教育", "发展", "-高职"},
		{"智慧", `"教育"`, "平台 OR 资源"},
		{"学校", "培训教师"},
		{"教育", "课后双减"},
	} {
		t.Run(strings.Join(groups, " "), func(t *testing.T) {
			var want *Response
			for _, perm := range permutations(groups) {
				q := strings.Join(perm, " ")
				got := search(t, f.svc, Request{Query: q, Limit: MaxLimit})
				if want == nil {
					want = got
					if want.Total == 0 {
						t.Fatalf("%q finds nothing", q)
					}
					if ids, n := hitIDs(got), bruteQuery(t, f, groups); fmt.Sprint(ids) != fmt.Sprint(n) {
						t.Fatalf("%q: %d hits, brute force %d", q, len(ids), len(n))
					}
					continue
				}
				if got.Total != want.Total || fmt.Sprint(got.Facets) != fmt.Sprint(want.Facets) {
					t.Fatalf("%q: total %d facets %v; first order: %d %v", q, got.Total, got.Facets, want.Total, want.Facets)
				}
				if a, b := scores(got), scores(want); len(a) != len(b) {
					t.Fatalf("%q: %d hits, first order %d", q, len(a), len(b))
				} else {
					for id, s := range b {
						if math.Abs(a[id]-s) > 1e-4*math.Max(1, s) {
							t.Errorf("%q: %s scores %g, first order %g", q, id, a[id], s)
						}
					}
				}
			}
		})
	}
}

// bruteQuery returns the ids of the units matching every group by brute
// force: a group's items are ORed; an item matches a text holding it
// verbatim (normalised) or, unquoted, every one of its words; -x excludes
// the texts holding x.
func bruteQuery(t *testing.T, f *fixture, groups []string) []string {
	t.Helper()
	words := map[string]map[string]bool{}
	var out []string
	for id, txt := range allTexts(f.c) {
		if words[id] == nil {
			words[id] = map[string]bool{}
			for _, w := range f.seg.Terms(txt) {
				words[id][w] = true
			}
		}
		ok := true
		for _, g := range groups {
			if ex, found := strings.CutPrefix(g, "-"); found {
				ok = ok && !strings.Contains(txt, ex)
				continue
			}
			any := false
			for _, it := range strings.Split(g, " OR ") {
				if ph, quoted := strings.CutPrefix(it, `"`); quoted {
					any = any || strings.Contains(txt, strings.TrimSuffix(ph, `"`))
					continue
				}
				all := len(f.seg.Terms(it)) > 0
				for _, w := range f.seg.Terms(it) {
					all = all && words[id][w]
				}
				any = any || strings.Contains(txt, it) || all
			}
			ok = ok && any
		}
		if ok {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

func scores(r *Response) map[string]float64 {
	out := map[string]float64{}
	for _, h := range r.Hits {
		out[h.ID] = h.Score
	}
	return out
}

// permutations returns every order of s (s is short).
func permutations(s []string) [][]string {
	if len(s) <= 1 {
		return [][]string{append([]string(nil), s...)}
	}
	var out [][]string
	for i := range s {
		rest := append(append([]string(nil), s[:i]...), s[i+1:]...)
		for _, p := range permutations(rest) {
			out = append(out, append([]string{s[i]}, p...))
		}
	}
	sort.Slice(out, func(i, j int) bool { return strings.Join(out[i], " ") < strings.Join(out[j], " ") })
	return out
}

// TestCountAt: counting by the rarest byte is strings.Count, on random
// strings over a small alphabet (many partial and overlapping matches)
// and on the seed texts, for every position of the byte.
func TestCountAt(t *testing.T) {
	f := seeds(t)
	check := func(s, sep string) {
		t.Helper()
		for pos := range len(sep) {
			if got, want := countAt(s, sep, pos), strings.Count(s, sep); got != want {
				t.Fatalf("countAt(%q, %q, %d) = %d, strings.Count %d", s, sep, pos, got, want)
			}
		}
	}
	r := rand.New(rand.NewPCG(5, 6))
	alpha := []string{"a", "b", "学", "学前", "教育", "育教", "aa"}
	for range 20000 {
		var s, sep strings.Builder
		for range r.IntN(30) {
			s.WriteString(alpha[r.IntN(len(alpha))])
		}
		for range 1 + r.IntN(4) {
			sep.WriteString(alpha[r.IntN(len(alpha))])
		}
		check(s.String(), sep.String())
	}
	texts := allTexts(f.c)
	for _, sep := range []string{"学前教育", "集团化办学", "教育教育", "，", "99.5%", "育发"} {
		for _, txt := range texts {
			check(txt, sep)
		}
	}
}
