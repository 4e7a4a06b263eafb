package ocr

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

func TestParseTSV(t *testing.T) {
	// Tesseract's TSV: level 5 rows are words; the others are skipped.
	tsv := "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n" +
		"1\t1\t0\t0\t0\t0\t0\t0\t900\t440\t-1\t\n" +
		"4\t1\t1\t1\t1\t0\t10\t20\t300\t30\t-1\t\n" +
		"5\t1\t1\t1\t1\t1\t10\t20\t60\t30\t96.5\t关于印发\n" +
		"5\t1\t1\t1\t1\t2\t75\t21\t80\t29\t91.0\t2024-2026\n" +
		"5\t1\t1\t1\t1\t3\t160\t20\t150\t31\t95.0\t年 海南省\n" +
		"5\t1\t1\t1\t2\t1\t10\t60\t40\t30\t90.0\tGDP\n" +
		"5\t1\t1\t1\t2\t2\t55\t60\t40\t30\t90.0\tgrowth\n" +
		"5\t1\t1\t1\t2\t3\t100\t60\t40\t30\t90.0\t5%\n" +
		"5\t1\t1\t1\t2\t4\t145\t60\t20\t30\t90.0\t，\n" +
		"5\t1\t1\t1\t3\t1\t10\t100\t40\t30\t10.0\t \n"
	lines, err := ParseTSV([]byte(tsv))
	if err != nil {
		t.Fatal(err)
	}
	want := []Line{
		{Text: "关于印发2024-2026年海南省", Left: 10, Top: 20, Right: 310, Bottom: 51, Conf: (96.5 + 91 + 95) / 3},
		{Text: "GDP growth 5%，", Left: 10, Top: 60, Right: 165, Bottom: 90, Conf: 90},
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines %+v, want %d", len(lines), lines, len(want))
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d: %+v, want %+v", i, lines[i], want[i])
		}
	}
	for _, bad := range []string{
		"5\tx\t1\t1\t1\t1\t10\t20\t60\t30\t96.5\t关于\n",
		"5\t1\t1\t1\t1\t1\t10\t20\t60\t30\tabc\t关于\n",
	} {
		if _, err := ParseTSV([]byte(bad)); err == nil {
			t.Errorf("ParseTSV(%q) accepted a malformed row", bad)
		}
	}
}

func TestNeedSpace(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"关于", "2024", false},
		{"2024", "年", false},
		{"GDP", "growth", true},
		{"（一）", "A", false},
		{"5%", "，", false},
		{"Article", "3", true},
	} {
		if got := needSpace(tc.a, tc.b); got != tc.want {
			t.Errorf("needSpace(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

// engine returns the tesseract engine; the test is skipped when it is
// missing, except on CI (CI set), where that is a failure.
func engine(t *testing.T) *Engine {
	t.Helper()
	e, err := Find()
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("tesseract with chi_sim not installed: %v", err)
		}
		t.Fatalf("CI needs tesseract-ocr and tesseract-ocr-chi-sim: %v", err)
	}
	return e
}

// TestRecognize runs tesseract on testdata/p01_page1_top.png: the title
// and first paragraph of the first page of
// testdata/formats/pdf/p01, rendered by PDFium at 150 dpi in grey and
// cropped (see corpus/pdf/testdata/README.md).
func TestRecognize(t *testing.T) {
	e := engine(t)
	img, err := os.ReadFile("testdata/p01_page1_top.png")
	if err != nil {
		t.Fatal(err)
	}
	lines, err := e.Recognize(context.Background(), img)
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, l := range lines {
		all = append(all, l.Text)
		if l.Left >= l.Right || l.Top >= l.Bottom || l.Right > 900 || l.Bottom > 440 {
			t.Errorf("box of %q: %+v", l.Text, l)
		}
	}
	text := strings.Join(all, "\n")
	for _, want := range []string{
		"海南省农业农村厅",
		"关于印发2024-2026年海南省农机",
		"购置与应用补贴实施方案的通知",
		"为规范实施农机购置与应用补贴政策，充分发挥政策效益",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("%q not recognised in:\n%s", want, text)
		}
	}
	if len(lines) < 8 {
		t.Errorf("%d lines, want 9:\n%s", len(lines), text)
	}

	// A cancelled recognition stops at once.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := e.Recognize(ctx, img); err == nil {
		t.Error("Recognize past its deadline succeeded")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("cancelled Recognize took %s", d)
	}

	// Not an image: an error, no panic.
	if _, err := e.Recognize(context.Background(), []byte("not an image")); err == nil {
		t.Error("Recognize of garbage succeeded")
	}
}

func TestZeroEngine(t *testing.T) {
	var e *Engine
	if _, err := e.Recognize(context.Background(), nil); err == nil {
		t.Error("nil Engine recognised")
	}
}
