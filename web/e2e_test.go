package web

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/search"
)

// chromiumPath returns the browser to drive. Without one the test is
// skipped locally and fails in CI (CI=true).
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed; the browser end-to-end tests must run in CI")
	}
	t.Skip("chromium is not installed")
	return ""
}

// browser drives one headless Chromium tab against base.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
	dir  string // screenshots
}

func (b *browser) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("browser: %v", err)
	}
}

func evalJS[T any](b *browser, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitJS polls until expr is true, riding out navigations (an evaluation
// during a navigation fails and is retried).
func (b *browser) waitJS(expr string) {
	b.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var last error
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](expr))
		if err == nil && ok {
			return
		}
		last = err
		if b.ctx.Err() != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.t.Fatalf("waiting for %s: %v", expr, last)
}

// screenshot saves the whole page, or only the viewport when full is
// false (a reader page is tens of thousands of pixels tall).
func (b *browser) screenshot(name string, full bool) {
	b.t.Helper()
	shot := chromedp.CaptureScreenshot()
	if full {
		shot = chromedp.FullScreenshot(100)
	}
	png, err := chromedp.Run(b.ctx, shot)
	if err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(filepath.Join(b.dir, name), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// TestBrowser drives the real server in headless Chromium through the
// journeys of a user: search, filter by district, open a result, follow a
// permalink, copy a citation, compare districts, look up targets, at
// desktop and phone width.
func TestBrowser(t *testing.T) {
	chrome := chromiumPath(t)
	f := seedFixture(t)

	// The journeys take about 15 s; the generous deadline only guards
	// against a hung browser on a loaded machine.
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srvCtx, stopServer := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- f.server.Serve(srvCtx, ln) }()
	defer func() {
		stopServer()
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chrome),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
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

	const phrase = "集团化办学"
	want, err := f.server.searcher.Search(ctx, search.Request{Query: phrase, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("search", func(t *testing.T) {
		b.t = t
		b.do(chromedp.EmulateViewport(1280, 900), chromedp.Navigate(b.base+"/"), chromedp.WaitVisible(chromedp.CSS("#q")))
		if !evalJS[bool](b, `document.documentElement.classList.contains("js")`) {
			t.Error("app.js did not run (blocked by the CSP?)")
		}
		b.do(chromedp.SendKeys(chromedp.CSS("#q"), phrase), chromedp.Click(chromedp.CSS(".searchbox button")))
		b.waitJS(`location.pathname === "/search" && document.querySelectorAll(".hit").length > 0`)
		total := evalJS[string](b, `document.querySelector(".results-summary strong").textContent`)
		if total != fmt.Sprint(want.Total) {
			t.Errorf("page says %s results, engine %d", total, want.Total)
		}
		if n := evalJS[int](b, `document.querySelectorAll(".hit mark").length`); n == 0 {
			t.Error("no highlighted match in the results")
		}
		b.screenshot("desktop-search.png", true)
	})

	t.Run("region tree", func(t *testing.T) {
		b.t = t
		// view=clause: one result per unit, each with its district badge
		b.do(chromedp.Navigate(b.base + "/search?view=clause&q=" + url.QueryEscape(phrase)))
		b.waitJS(`document.querySelector(".region-tree .tree-children > summary") !== null`)
		if evalJS[bool](b, `document.querySelector(".region-tree .tree-children").open`) {
			t.Error("region tree open before a choice")
		}
		// the keyboard opens the tree: focus its summary, press Enter
		b.do(chromedp.Focus(chromedp.CSS(".region-tree .tree-children > summary")), chromedp.KeyEvent(kb.Enter))
		b.waitJS(`document.querySelector(".region-tree .tree-children").open`)
		child := evalJS[[]string](b, `(() => { const c = document.querySelector(".region-tree .tree-children input[name=region]"); return [c.id, c.value] })()`)
		if !evalJS[bool](b, `(() => { const r = document.getElementById("`+child[0]+`").getBoundingClientRect(); return r.width > 0 && r.height > 0 })()`) {
			t.Fatal("the opened tree's checkbox is not visible")
		}
		b.do(chromedp.Click(chromedp.ID(child[0])))
		b.waitJS(`new URLSearchParams(location.search).get("region") !== null && document.querySelectorAll(".hit").length > 0`)
		if got := evalJS[string](b, `new URLSearchParams(location.search).get("region")`); got != child[1] {
			t.Errorf("region parameter %q, want %q", got, child[1])
		}
		name := child[1][strings.LastIndex(child[1], "/")+1:]
		for _, g := range evalJS[[]string](b, `Array.from(document.querySelectorAll(".hit .crumb .badge"), e => e.title + "|" + e.textContent)`) {
			if !strings.HasSuffix(g, "|"+name) || !strings.HasPrefix(g, strings.ReplaceAll(child[1], "/", " › ")) {
				t.Errorf("result %q after filtering on %s", g, child[1])
			}
		}
		want, err := f.server.searcher.Search(ctx, search.Request{Query: phrase, Regions: []string{child[1]}, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if total := evalJS[string](b, `document.querySelector(".results-summary strong").textContent`); total != fmt.Sprint(want.Total) {
			t.Errorf("page says %s results, engine %d", total, want.Total)
		}
		if !evalJS[bool](b, `document.getElementById("`+child[0]+`").checked && document.querySelector(".region-tree .tree-children").open`) {
			t.Error("after the reload the chosen region is not checked in an open tree")
		}
		chip := evalJS[string](b, `Array.from(document.querySelectorAll(".chip"), e => e.textContent).join(";")`)
		if !strings.Contains(chip, "地区："+strings.ReplaceAll(child[1], "/", " › ")) {
			t.Errorf("chips %q lack the region", chip)
		}
		b.screenshot("desktop-region.png", true)
		b.do(chromedp.Navigate(b.base + "/search?view=clause&q=" + url.QueryEscape(phrase)))
		b.waitJS(`document.querySelectorAll(".hit").length > 0`)
	})

	var district string
	t.Run("tick district", func(t *testing.T) {
		b.t = t
		district = evalJS[string](b, `document.querySelector('input[name="district"]').value`)
		id := evalJS[string](b, `document.querySelector('input[name="district"]').id`)
		b.do(chromedp.Click(chromedp.ID(id)))
		b.waitJS(`new URLSearchParams(location.search).get("district") !== null && document.querySelectorAll(".hit").length > 0`)
		got := evalJS[[]string](b, `Array.from(document.querySelectorAll(".hit .crumb .badge"), e => e.textContent)`)
		for _, g := range got {
			if g != district {
				t.Errorf("result from %s after filtering on %s", g, district)
			}
		}
		if !evalJS[bool](b, `document.getElementById("`+id+`").checked`) {
			t.Error("district checkbox not checked after reload")
		}
		if got := evalJS[string](b, `document.activeElement ? document.activeElement.id : ""`); got != id {
			t.Errorf("focus on %q after the reload, want the checkbox %q", got, id)
		}
		if evalJS[bool](b, `getComputedStyle(document.querySelector(".facet-form .apply")).display !== "none"`) {
			t.Error("submit button visible although the form auto-submits")
		}
	})

	t.Run("open result", func(t *testing.T) {
		b.t = t
		href := evalJS[string](b, `document.querySelector(".hit a.cite").getAttribute("href")`)
		b.do(chromedp.Click(chromedp.CSS(".hit a.cite")))
		b.waitJS(`location.pathname.startsWith("/c/") && document.querySelector(".is-target") !== null`)
		checkTarget(b, "")
		if n := evalJS[int](b, `document.querySelectorAll(".is-target mark").length`); n == 0 {
			t.Errorf("target unit of %s has no highlighted match", href)
		}
		// The next-match button walks the highlighted matches.
		if n := evalJS[int](b, `document.querySelectorAll(".doc-body mark").length`); n > 0 {
			b.do(chromedp.Click(chromedp.CSS("button[data-next-mark]")))
			if evalJS[int](b, `document.querySelectorAll(".doc-body mark.current").length`) != 1 {
				t.Error("next-match button marks no current match")
			}
		}
		if d := evalJS[string](b, `document.querySelector(".doc-meta dd").textContent`); d != district {
			t.Errorf("opened a document of %s, filtered on %s", d, district)
		}
		// Copy the citation from the banner: copied, or offered for a
		// manual copy.
		if !evalJS[bool](b, `document.querySelector('.is-target button[data-copy="cite"]') !== null`) {
			t.Error("target unit has no copy-citation button")
		}
		b.do(chromedp.Click(chromedp.CSS(`.target-note button[data-copy="cite"]`)))
		b.waitJS(`(() => { const t = document.querySelector(".target-note"); return t.querySelector("button.copied") !== null || t.querySelector("input.copy-box") !== null })()`)
		if evalJS[bool](b, `document.querySelector(".target-note input.copy-box") !== null`) {
			v := evalJS[string](b, `document.querySelector(".target-note input.copy-box").value`)
			if !strings.HasPrefix(v, "《") || !strings.Contains(v, b.base+"/c/") {
				t.Errorf("citation offered for copy = %q", v)
			}
		}
		b.screenshot("desktop-permalink.png", false)
	})

	t.Run("permalink", func(t *testing.T) {
		b.t = t
		u := pickUnit(f.corpus)
		b.do(chromedp.Navigate(b.base + permalink(u)))
		b.waitJS(`document.querySelector(".is-target") !== null`)
		checkTarget(b, anchorOf(u.Path))
		text := evalJS[string](b, `document.querySelector(".is-target").textContent`)
		if !strings.Contains(corpus.Normalize(text), corpus.Normalize(u.Text)) {
			t.Errorf("highlighted unit shows %.80q, want the text of %s", text, u.ID)
		}
		if !evalJS[bool](b, `document.querySelector('.is-target button[data-copy="link"]') !== null && document.querySelector('.is-target button[data-copy="cite"]') !== null`) {
			t.Error("copy buttons missing on the target unit")
		}
	})

	t.Run("table row permalink", func(t *testing.T) {
		b.t = t
		row := pickTableRow(f.corpus)
		if row == nil {
			t.Fatal("the seed corpus has no table rows")
		}
		b.do(chromedp.Navigate(b.base + permalink(row)))
		b.waitJS(`document.querySelector("tr.is-target") !== null`)
		checkTarget(b, anchorOf(row.Path))
		if n := evalJS[int](b, `document.querySelector("tr.is-target").closest("table").querySelectorAll("thead th").length`); n == 0 {
			t.Error("table has no header cells")
		}
		b.screenshot("desktop-table-row.png", false)
	})

	t.Run("unknown permalink", func(t *testing.T) {
		b.t = t
		u := pickUnit(f.corpus)
		b.do(chromedp.Navigate(b.base + permalink(u) + ".99"))
		b.waitJS(`document.querySelector(".error-page") !== null`)
		if !evalJS[bool](b, `document.querySelector('.error-page a.nearest') !== null && document.querySelector('.error-page input[name="q"]') !== null`) {
			t.Error("404 page lacks the nearest unit or the search box")
		}
	})

	t.Run("compare", func(t *testing.T) {
		b.t = t
		b.do(chromedp.Navigate(b.base + "/compare?q=" + url.QueryEscape(phrase)))
		b.waitJS(`document.querySelectorAll(".compare-col").length > 0`)
		cols := evalJS[[]string](b, `Array.from(document.querySelectorAll(".compare-col"), e => e.dataset.district)`)
		if want := f.corpus.Districts(); strings.Join(cols, ",") != strings.Join(want, ",") {
			t.Errorf("columns %v, want every district %v", cols, want)
		}
		for _, d := range cols {
			resp, err := f.server.searcher.Search(ctx, search.Request{Query: phrase, Districts: []string{d}, Types: textTypes, Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			none := evalJS[bool](b, `document.querySelector('.compare-col[data-district="`+d+`"] .none') !== null`)
			if none != (resp.Total == 0) {
				t.Errorf("%s: 'no match' shown = %v, engine total %d", d, none, resp.Total)
			}
		}
		b.screenshot("desktop-compare.png", true)
	})

	t.Run("targets", func(t *testing.T) {
		b.t = t
		const ind = "毛入园率"
		b.do(chromedp.Navigate(b.base + "/targets?q=" + url.QueryEscape(ind)))
		b.waitJS(`document.querySelector(".targets-table, .none") !== null`)
		rows := evalJS[int](b, `document.querySelectorAll(".targets-table tbody tr").length`)
		if want := len(f.corpus.Targets(corpus.TargetFilter{Query: ind})); rows != want {
			t.Errorf("targets table has %d rows, want %d", rows, want)
		}
		csv := evalJS[string](b, `document.querySelector('a[download]').getAttribute("href")`)
		if !strings.HasPrefix(csv, "/targets.csv?q=") {
			t.Errorf("CSV link %q", csv)
		}
		b.screenshot("desktop-targets.png", true)
	})

	t.Run("phone", func(t *testing.T) {
		b.t = t
		b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile))
		b.do(chromedp.Navigate(b.base + "/"))
		b.waitJS(`document.querySelector("#q") !== null`)
		checkNoOverflow(b, "home")
		b.screenshot("phone-home.png", true)
		b.do(chromedp.Navigate(b.base + "/search?q=" + url.QueryEscape(phrase)))
		b.waitJS(`document.querySelectorAll(".hit").length > 0`)
		if evalJS[bool](b, `document.querySelector("details.facets-box").open`) {
			t.Error("facet sidebar not collapsed on a phone")
		}
		checkNoOverflow(b, "search")
		b.screenshot("phone-search.png", true)
		// the region tree at phone width: open the filters, the tree,
		// tick a division
		b.do(chromedp.Click(chromedp.CSS("details.facets-box > summary")))
		b.waitJS(`document.querySelector("details.facets-box").open`)
		b.do(chromedp.Click(chromedp.CSS(".region-tree .tree-children > summary")))
		b.waitJS(`document.querySelector(".region-tree .tree-children").open`)
		checkNoOverflow(b, "region tree")
		b.screenshot("phone-region-tree.png", true)
		id := evalJS[string](b, `document.querySelector(".region-tree .tree-children input[name=region]").id`)
		b.do(chromedp.Click(chromedp.ID(id)))
		b.waitJS(`new URLSearchParams(location.search).get("region") !== null && document.querySelectorAll(".hit").length > 0`)
		checkNoOverflow(b, "search by region")
		u := pickUnit(f.corpus)
		b.do(chromedp.Navigate(b.base + permalink(u)))
		b.waitJS(`document.querySelector(".is-target") !== null`)
		checkTarget(b, anchorOf(u.Path))
		checkNoOverflow(b, "reader")
		b.screenshot("phone-permalink.png", false)
		b.do(chromedp.Navigate(b.base + "/compare?q=" + url.QueryEscape(phrase)))
		b.waitJS(`document.querySelectorAll(".compare-col").length > 0`)
		checkNoOverflow(b, "compare")
		b.screenshot("phone-compare.png", false)
		b.do(chromedp.Navigate(b.base + "/targets?q=" + url.QueryEscape("毛入园率")))
		b.waitJS(`document.querySelector(".targets-table") !== null`)
		checkNoOverflow(b, "targets")
		b.screenshot("phone-targets.png", false)
	})
	t.Logf("browser journeys took %s; screenshots in %s", time.Since(start).Round(time.Millisecond), dir)
}

// checkTarget checks that the highlighted unit is the permalink's unit,
// that it is the :target of the page and that it is in view.
func checkTarget(b *browser, wantID string) {
	b.t.Helper()
	b.waitJS(`document.querySelector(":target") !== null`)
	got := evalJS[[]string](b, `[document.querySelector("[data-target]").dataset.target, document.querySelector(".is-target").id, document.querySelector(":target").id]`)
	if got[0] != got[1] || got[1] != got[2] || wantID != "" && got[0] != wantID {
		b.t.Errorf("data-target %q, .is-target %q, :target %q; want %q", got[0], got[1], got[2], wantID)
	}
	if !evalJS[bool](b, `(() => { const r = document.querySelector(".is-target").getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0 })()`) {
		b.t.Error("target unit is not scrolled into view")
	}
}

func checkNoOverflow(b *browser, page string) {
	b.t.Helper()
	if w := evalJS[[]int](b, `[document.documentElement.scrollWidth, innerWidth]`); w[0] > w[1]+1 {
		b.t.Errorf("%s: page is %dpx wide in a %dpx viewport", page, w[0], w[1])
	}
}

// pickTableRow returns a row in the middle of the first table with rows.
func pickTableRow(c *corpus.Corpus) *corpus.Unit {
	for _, d := range c.Documents() {
		for _, tb := range d.Tables {
			if len(tb.RowIDs) > 2 {
				if u, err := c.Unit(tb.RowIDs[len(tb.RowIDs)/2]); err == nil {
					return u
				}
			}
		}
	}
	return nil
}

// pickUnit returns a unit deep in a document, preferring a numbered task.
func pickUnit(c *corpus.Corpus) *corpus.Unit {
	var best *corpus.Unit
	for _, d := range c.Documents() {
		for _, u := range d.Units {
			if best == nil || u.Type == corpus.TypeTask && best.Type != corpus.TypeTask ||
				u.Type == best.Type && strings.Count(u.Path, ".") > strings.Count(best.Path, ".") {
				best = u
			}
		}
	}
	return best
}
