package parse

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/corpus"
)

// maxAllocPerInputByte bounds what parsing one document may allocate, as
// a multiple of its size: the costliest linear input (nested headings,
// 10,000 and more of them) allocates about 180 bytes per input byte; a
// quadratic stage allocates thousands of times the input already at
// 64 KB (one line of repeated targets did 3,681× at 64 KB and 14,378× at
// 256 KB before the targets were bounded).
const maxAllocPerInputByte = 400

// pathological are documents that make a super-linear stage show: each
// generator returns a document of about n bytes.
var pathological = []struct {
	name string
	gen  func(n int) string
}{
	{"one_long_line", func(n int) string { return strings.Repeat("教育发展规划内容", n/24) }},
	{"commas_in_one_sentence", func(n int) string { return "一、总则\n" + strings.Repeat("教育，", n/9) + "。\n" }},
	{"numbers_between_commas", func(n int) string { return "一、任务\n" + strings.Repeat("建成学校1所，", n/19) }},
	{"repeated_target_line", func(n int) string { return strings.Repeat("学前三年毛入园率达到95%，", n/36) }},
	{"repeated_target_sentences", func(n int) string { return strings.Repeat("学前三年毛入园率达到95%。", n/36) }},
	{"repeated_target_lines", func(n int) string { return strings.Repeat("学前三年毛入园率达到95%。\n", n/37) }},
	{"same_headings", func(n int) string { return strings.Repeat("一、标题\n正文。\n", n/24) }},
	{"markdown_headings", func(n int) string {
		var b strings.Builder
		for i := 0; b.Len() < n; i++ {
			b.WriteString("# 标题" + itoa(i) + "\n")
		}
		return b.String()
	}},
	{"nested_headings", func(n int) string {
		labels := []string{"第一章 总则\n", "第一节 甲\n", "一、乙\n", "（一）丙\n", "1.丁\n", "（1）戊\n", "①己\n"}
		var b strings.Builder
		for i := 0; b.Len() < n; i++ {
			b.WriteString(labels[i%len(labels)])
			b.WriteString("内容。\n")
		}
		return b.String()
	}},
	{"tab_table_row", func(n int) string { return "表1\n" + strings.Repeat("甲\t", n/4) + "\n" }},
	{"pipe_table_row", func(n int) string { return "| a | b |\n|---|---|\n|" + strings.Repeat("甲|", n/4) + "\n" }},
	{"indicator_table", func(n int) string {
		var b strings.Builder
		b.WriteString("表1 主要指标\n指标\t单位\t2020年\t2025年\n")
		for i := 0; b.Len() < n; i++ {
			b.WriteString("指标" + itoa(i) + "\t%\t" + itoa(i%100) + "\t95\n")
		}
		return b.String()
	}},
	{"wide_table", func(n int) string {
		var b strings.Builder
		b.WriteString("表1 指标\n")
		row := "指标" + strings.Repeat("\t12", 300) + "\n"
		for b.Len() < n {
			b.WriteString(row)
		}
		return b.String()
	}},
}

// TestParseLinear parses each pathological document with the default
// parser (every stage: cleaning, structure, tables, themes, targets) at
// 64 KB, then at 1 MB (not with -short), and fails when it allocates more
// than maxAllocPerInputByte times its size; a quadratic stage fails at
// 64 KB already, before the 1 MB run could exhaust memory. Time is bounded
// through allocation: a stage that rescans its input allocates as it goes.
// Under the race detector it parses the 64 KB documents only and checks
// nothing but errors (see raceEnabled).
func TestParseLinear(t *testing.T) {
	sizes := []int{64 << 10, 1 << 20}
	if testing.Short() || raceEnabled {
		sizes = sizes[:1]
	}
	p, err := defaultParser()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range pathological {
		t.Run(tt.name, func(t *testing.T) {
			for _, size := range sizes {
				doc := []byte(tt.gen(size))
				alloc, d, err := allocated(func() (*corpus.Document, error) { return p.Parse(corpus.Meta{ID: "x"}, doc) })
				if err != nil {
					t.Fatal(err)
				}
				ratio := float64(alloc) / float64(len(doc))
				t.Logf("%d bytes: allocated %.1f× the input, %d units, %d targets (%d omitted)", len(doc), ratio, len(d.Units), len(d.Targets), d.TargetsOmitted)
				if raceEnabled {
					continue // allocation is not measurable: see raceEnabled
				}
				if ratio > maxAllocPerInputByte {
					t.Fatalf("parsing %d bytes allocated %d bytes, %.0f× the input (limit %d×): a stage is super-linear", len(doc), alloc, ratio, maxAllocPerInputByte)
				}
			}
		})
	}
}

// TestTargetsBounded: a 1 MB line repeating one promise keeps MaxPerUnit
// targets of bounded text and counts the others.
func TestTargetsBounded(t *testing.T) {
	const n = 1 << 20
	for _, tt := range []struct {
		name             string
		doc              string
		targets, omitted int
	}{
		{"one_line", strings.Repeat("学前三年毛入园率达到95%，", n/36), 50, n/36 - 50},
		{"many_lines", strings.Repeat("学前三年毛入园率达到95%。\n", n/37), 2000, n/37 - 2000},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d, err := parseDefault(corpus.Meta{ID: "x"}, []byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Targets) != tt.targets || d.TargetsOmitted != tt.omitted {
				t.Errorf("%d targets, %d omitted; want %d and %d", len(d.Targets), d.TargetsOmitted, tt.targets, tt.omitted)
			}
			text := 0
			for _, g := range d.Targets {
				text += len(g.Text)
			}
			if text > 400*3*len(d.Targets) {
				t.Errorf("targets quote %d bytes", text)
			}
		})
	}
}

// allocated returns the bytes allocated while f runs.
func allocated(f func() (*corpus.Document, error)) (uint64, *corpus.Document, error) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	d, err := f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, d, err
}

// BenchmarkParsePathological parses each pathological document of 1 MB
// and reports the bytes allocated per input MB (B/inputMB), the figure
// TestParseLinear bounds.
func BenchmarkParsePathological(b *testing.B) {
	p, err := defaultParser()
	if err != nil {
		b.Fatal(err)
	}
	for _, tt := range pathological {
		doc := []byte(tt.gen(1 << 20))
		b.Run(tt.name, func(b *testing.B) {
			b.SetBytes(int64(len(doc)))
			b.ReportAllocs()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for b.Loop() {
				if _, err := p.Parse(corpus.Meta{ID: "x"}, doc); err != nil {
					b.Fatal(err)
				}
			}
			runtime.ReadMemStats(&after)
			perOp := float64(after.TotalAlloc-before.TotalAlloc) / float64(b.N)
			b.ReportMetric(perOp/(float64(len(doc))/(1<<20)), "B/inputMB")
		})
	}
}

// TestTargetsOmittedWarned: the loader reports a document whose targets
// went beyond the limits as a warning naming the file and the count.
func TestTargetsOmittedWarned(t *testing.T) {
	dir := t.TempDir()
	doc := strings.Repeat("学前三年毛入园率达到95%，", 100)
	if err := os.WriteFile(filepath.Join(dir, "long.txt"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	w := c.Warnings()
	if len(w) != 1 || w[0].Source != "long.txt" || !strings.Contains(w[0].Message, "另有 50 个目标未收录") {
		t.Errorf("warnings %+v, want one for long.txt with 50 targets omitted", w)
	}
}
