package web

import (
	"context"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/zhengce/zhengce/corpus/parse"
)

// lawsServer serves the laws sample of the search tests
// (testdata/laws and testdata/search/laws) with the real search service.
func lawsServer(t *testing.T) *Server {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, dir := range []string{"../testdata/laws", "../testdata/search/laws"} {
		names, err := filepath.Glob(filepath.Join(dir, "law*.md"))
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range names {
			data, err := os.ReadFile(n)
			if err != nil {
				t.Fatal(err)
			}
			fsys[filepath.Base(n)] = &fstest.MapFile{Data: data}
		}
	}
	c, err := parse.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := buildService("laws", c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	s, err := New(Config{Corpus: c, Searcher: svc})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestBrowserGroups drives the laws sample in headless Chromium at
// desktop and phone width: suggestions under the search box by keyboard
// (arrow keys, Escape, Enter opens the document), results grouped by
// document with the switch to the clause view, and the jump card of a
// query naming an article.
func TestBrowserGroups(t *testing.T) {
	chrome := chromiumPath(t)
	srv := lawsServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srvCtx, stopServer := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(srvCtx, ln) }()
	defer func() {
		stopServer()
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, chromedp.ExecPath(chrome), chromedp.Headless, chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("hide-scrollbars", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	defer cancelAlloc()
	tabCtx, cancelTab := chromedp.NewContext(allocCtx)
	defer cancelTab()
	dir := os.Getenv("ZHENGCE_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	b := &browser{t: t, ctx: tabCtx, base: "http://" + ln.Addr().String(), dir: dir}

	for _, vp := range []struct {
		name string
		w, h int64
	}{{"desktop", 1280, 900}, {"phone", 375, 740}} {
		t.Run(vp.name+"/suggest", func(t *testing.T) {
			b.t = t
			b.do(chromedp.EmulateViewport(vp.w, vp.h), chromedp.Navigate(b.base+"/"), chromedp.WaitVisible(chromedp.CSS("#q")))
			b.waitJS(`document.querySelector("#q").getAttribute("role") === "combobox"`)
			b.do(chromedp.Focus(chromedp.CSS("#q")), chromedp.SendKeys(chromedp.CSS("#q"), "养犬"))
			b.waitJS(`!document.querySelector("#q-suggest").hidden && document.querySelectorAll("#q-suggest [role=option]").length === 3`)
			if got := evalJS[string](b, `document.querySelector("#q").getAttribute("aria-expanded")`); got != "true" {
				t.Errorf("aria-expanded %q with the list open", got)
			}
			if over := evalJS[bool](b, `document.querySelector("#q-suggest").getBoundingClientRect().right > window.innerWidth + 1`); over {
				t.Error("the suggestion list overflows the viewport")
			}
			b.screenshot("groups-suggest-"+vp.name+".png", false)
			b.do(chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowDown))
			if id := evalJS[string](b, `document.querySelector("#q").getAttribute("aria-activedescendant") || ""`); id != "q-suggest-1" {
				t.Errorf("after two ArrowDown the active option is %q", id)
			}
			if sel := evalJS[string](b, `document.querySelector("#q-suggest [aria-selected=true]").textContent`); !strings.Contains(sel, "养犬管理条例") {
				t.Errorf("selected option %q", sel)
			}
			b.do(chromedp.KeyEvent(kb.Escape))
			b.waitJS(`document.querySelector("#q-suggest").hidden && document.querySelector("#q").getAttribute("aria-expanded") === "false"`)
			b.do(chromedp.KeyEvent(kb.ArrowDown))
			b.waitJS(`!document.querySelector("#q-suggest").hidden`)
			b.do(chromedp.KeyEvent(kb.ArrowDown))
			want := evalJS[string](b, `document.querySelector("#q-suggest [aria-selected=true]").dataset.url`)
			b.do(chromedp.KeyEvent(kb.Enter))
			b.waitJS(`location.pathname === ` + jsString(want))
		})

		t.Run(vp.name+"/groups", func(t *testing.T) {
			b.t = t
			b.do(chromedp.EmulateViewport(vp.w, vp.h), chromedp.Navigate(b.base+"/search?q="+url.QueryEscape("养犬 登记")))
			b.waitJS(`document.querySelectorAll(".groups > .group").length >= 3`)
			titles := evalJS[[]string](b, `[...document.querySelectorAll(".group-title")].map(e => e.textContent.trim())`)
			seen := map[string]bool{}
			for _, ti := range titles {
				if seen[ti] {
					t.Errorf("document %s shown twice", ti)
				}
				seen[ti] = true
			}
			if n := evalJS[int](b, `Math.max(...[...document.querySelectorAll(".group")].map(g => g.querySelectorAll(".group-hits > .hit").length))`); n < 1 || n > 3 {
				t.Errorf("%d units under a document", n)
			}
			more := evalJS[string](b, `(document.querySelector(".group-more a") || {}).href || ""`)
			if !strings.Contains(more, "/d/") || !strings.Contains(more, "q=") {
				t.Errorf("本文件另有 links %q", more)
			}
			if over := evalJS[bool](b, `document.documentElement.scrollWidth > window.innerWidth + 1`); over {
				t.Error("the page scrolls sideways")
			}
			b.screenshot("groups-"+vp.name+".png", false)
			// the switch to the clause view, by keyboard
			b.do(chromedp.Focus(chromedp.CSS(`.view-switch a[data-view="clause"]`)), chromedp.KeyEvent(kb.Enter))
			b.waitJS(`location.search.includes("view=clause") && document.querySelectorAll(".hits > .hit").length > 3`)
			if n := evalJS[int](b, `document.querySelectorAll(".groups").length`); n != 0 {
				t.Error("the clause view shows groups")
			}
		})

		t.Run(vp.name+"/jump", func(t *testing.T) {
			b.t = t
			b.do(chromedp.EmulateViewport(vp.w, vp.h), chromedp.Navigate(b.base+"/search?q="+url.QueryEscape("《数据安全法》第二十一条")))
			b.waitJS(`document.querySelector(".jump-card a.jump-link") !== null`)
			text := evalJS[string](b, `document.querySelector(".jump-card a.jump-link").textContent`)
			if !strings.Contains(text, "跳转到《中华人民共和国数据安全法》第二十一条") {
				t.Errorf("jump card %q", text)
			}
			// the card comes before the results, the article first under its document
			if ok := evalJS[bool](b, `!!(document.querySelector(".jump-card").compareDocumentPosition(document.querySelector(".groups")) & Node.DOCUMENT_POSITION_FOLLOWING)`); !ok {
				t.Error("the jump card is not above the results")
			}
			b.screenshot("groups-jump-"+vp.name+".png", false)
			b.do(chromedp.Focus(chromedp.CSS(".jump-card a.jump-link")), chromedp.KeyEvent(kb.Enter))
			b.waitJS(`location.pathname === "/c/law02691/art21"`)
		})
	}
}

// jsString quotes s as a JavaScript string literal (ASCII paths only).
func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
