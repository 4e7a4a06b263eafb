package web

import (
	"mime"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/zhengce/zhengce/corpus/parse"
)

// TestAnyFileNameWorks checks that documents read from files with spaces,
// emoji, leading dots and Chinese in their names get ids whose links,
// permalinks and downloads all work over HTTP, and that the original file
// is served with its format's type and its name.
func TestAnyFileNameWorks(t *testing.T) {
	text := "一、总体要求\n\n推进集团化办学。\n"
	files := map[string]string{
		"with space 😀.txt":  "with_space_😀",
		".leading-dot.txt":  "leading-dot",
		"重庆市 教育规划（2022）.md": "重庆市_教育规划（2022）",
		"100%#?.txt":        "100___",
	}
	fsys := fstest.MapFS{}
	for name := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	c, err := parse.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	searcher, err := hostileSearcher(t, c)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Corpus: c, Searcher: searcher})
	if err != nil {
		t.Fatal(err)
	}
	for name, id := range files {
		t.Run(id, func(t *testing.T) {
			d, err := c.Document(id)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			esc := url.PathEscape(id)
			for _, p := range []string{"/d/" + esc, "/c/" + esc + "/" + d.Units[len(d.Units)-1].Path, "/api/docs/" + esc} {
				if res, body := get(t, s, p); res.StatusCode != 200 {
					t.Errorf("GET %s: %d %.200s", p, res.StatusCode, body)
				}
			}
			res, body := get(t, s, "/files/"+esc)
			if res.StatusCode != 200 || body != text {
				t.Fatalf("download: %d %q", res.StatusCode, body)
			}
			cd := res.Header.Get("Content-Disposition")
			if disp, params, err := mime.ParseMediaType(cd); err != nil || disp != "attachment" || params["filename"] != name {
				t.Errorf("Content-Disposition %q (%v): want attachment named %q", cd, err, name)
			}
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/") {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
	if res, _ := get(t, s, "/files/"+url.PathEscape("../etc/passwd")); res.StatusCode != 400 && res.StatusCode != 404 {
		t.Errorf("traversal: status %d", res.StatusCode)
	}
}
