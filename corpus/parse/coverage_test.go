package parse

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/zhengce/zhengce/corpus"
)

// TestNeverDropText is the coverage guarantee: for every seed and every
// law of the sample in testdata/laws, every non-blank line of the source
// is either found in the text of some unit, or removed by a cleaning rule
// — and the removed lines, with the rule that removed them, are the
// golden file testdata/golden/removed.txt (go test -update rewrites it;
// review its diff). Content such as an article that mentions 主办单位 must
// never be taken for web-page chrome.
func TestNeverDropText(t *testing.T) {
	type source struct{ name, text string }
	var sources []source
	seeds, err := fs.Glob(corpus.Embedded(), "seeds/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range seeds {
		data, err := fs.ReadFile(corpus.Embedded(), f)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, source{f, string(data)})
	}
	laws, err := filepath.Glob(filepath.Join("..", "..", "testdata", "laws", "law*.md"))
	if err != nil {
		t.Fatal(err)
	}
	if len(laws) < 50 {
		t.Fatalf("law sample: %d files, want at least 50", len(laws))
	}
	for _, f := range laws {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, source{"laws/" + filepath.Base(f), string(data)})
	}
	sort.Slice(sources, func(i, j int) bool { return sources[i].name < sources[j].name })
	var removed strings.Builder
	for _, src := range sources {
		d, err := parseDefault(corpus.Meta{Source: filepath.Base(src.name)}, []byte(src.text))
		if err != nil {
			t.Fatalf("%s: %v", src.name, err)
		}
		raw := strings.Split(strings.ReplaceAll(src.text, "\r\n", "\n"), "\n")
		c := clean(raw, readHeaderFields(raw), d.Title)
		stripped := map[int]bool{}
		for _, s := range c.stripped {
			stripped[s.Line] = true
			if s.Reason == stripChrome && (strings.ContainsAny(s.Text, "。；") || articleLabelRe.MatchString(strings.TrimSpace(s.Text))) {
				t.Errorf("%s line %d: content removed as web chrome: %q", src.name, s.Line+1, s.Text)
			}
			fmt.Fprintf(&removed, "%s\t%s\t%s\n", src.name, s.Reason, strings.TrimSpace(s.Text))
		}
		var all strings.Builder
		for _, u := range d.Units {
			all.WriteString(squeeze(u.Text))
			all.WriteString(squeeze(strings.Join(u.Cells, "")))
			all.WriteByte('\n')
		}
		units := all.String()
		for i, l := range raw {
			s := squeeze(displayLine(l))
			if s == "" || stripped[i] || strings.HasPrefix(strings.TrimSpace(l), "<!--") {
				continue
			}
			if !strings.Contains(units, s) && !tableLineCovered(units, l) {
				t.Errorf("%s line %d lost: %q", src.name, i+1, l)
			}
		}
	}
	checkGoldenFile(t, filepath.Join("..", "..", "testdata", "golden", "removed.txt"), []byte(removed.String()))
}

// articleLabelRe matches the label of an article of a law: 第八条.
var articleLabelRe = regexp.MustCompile(`^第[一二三四五六七八九十百千零〇\d]+条`)

// tableLineCovered reports whether every cell of a table line (tabs or
// pipes between cells) is in the units' text.
func tableLineCovered(units, line string) bool {
	cells := strings.FieldsFunc(line, func(r rune) bool { return r == '\t' || r == '|' || r == '｜' })
	if len(cells) < 2 {
		return false
	}
	for _, c := range cells {
		if s := squeeze(c); s != "" && strings.Trim(s, "-:") != "" && !strings.Contains(units, s) {
			return false
		}
	}
	return true
}

// squeeze removes whitespace and markdown emphasis.
func squeeze(s string) string {
	s = strings.ReplaceAll(s, "**", "")
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}
