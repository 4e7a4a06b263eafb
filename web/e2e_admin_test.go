package web

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/zhengce/zhengce/corpus"
)

// TestBrowserAdmin drives /admin in headless Chromium: a wrong token is
// refused and shows nothing else; the right one opens the page; a file
// chosen through the file input is uploaded and reported 已索引, then
// deleted (after a confirmation that can be cancelled), at desktop and
// phone width.
func TestBrowserAdmin(t *testing.T) {
	chrome := chromiumPath(t)
	col := newFakeCollection(t, corpus.File{Name: "base.txt", Data: policyText("巫溪县基础教育工作方案", "基础测试语")})
	s, err := New(Config{Collection: col, Searcher: collectionSearcher{col}, AdminToken: docToken})
	if err != nil {
		t.Fatal(err)
	}

	// About 5 s; the generous deadline only guards against a hung browser.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srvCtx, stopServer := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- s.Serve(srvCtx, ln) }()
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

	// confirm() dialogs: accepted unless dismiss is set; their messages
	// are kept.
	var dismiss atomic.Bool
	var dialogs atomic.Int32
	if err := chromedp.Do(tabCtx); err != nil { // start the browser before listening
		t.Fatal(err)
	}
	go func() {
		for ev, err := range chromedp.Events(tabCtx, page.JavascriptDialogOpening) {
			if err != nil {
				return
			}
			dialogs.Add(1)
			accept := !dismiss.Load() && strings.Contains(ev.Message, "确定从索引中删除")
			if _, err := chromedp.Call(tabCtx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: accept}); err != nil {
				return
			}
		}
	}()

	files := t.TempDir()
	writeFile := func(name, title, phrase string) string {
		p := filepath.Join(files, name)
		if err := os.WriteFile(p, policyText(title, phrase), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	has := func(id string) bool {
		return slices.ContainsFunc(col.Corpus().Documents(), func(d *corpus.Document) bool { return d.ID == id })
	}

	// uploadAndDelete uploads one file through the file input, checks
	// its result, then deletes it from the list.
	uploadAndDelete := func(t *testing.T, name, shot string) {
		id := docID(name)
		path := writeFile(name, "巫溪县浏览器上传方案"+id, "浏览器上传测试语")
		b.do(chromedp.SetUploadFiles(chromedp.CSS("#file-input"), []string{path}))
		b.waitJS(`Array.from(document.querySelectorAll(".upload-item")).some(li => li.querySelector(".upload-name").textContent === "` + name + `" && li.classList.contains("is-indexed"))`)
		status := evalJS[string](b, `Array.from(document.querySelectorAll(".upload-item")).filter(li => li.querySelector(".upload-name").textContent === "`+name+`")[0].querySelector(".upload-status").textContent`)
		if status != "已索引" {
			t.Errorf("upload status %q, want 已索引", status)
		}
		if evalJS[float64](b, `Array.from(document.querySelectorAll(".upload-item progress")).pop().value`) != 1 {
			t.Error("the progress bar did not reach the end")
		}
		if !has(id) {
			t.Fatalf("the collection has no %s after the upload", id)
		}
		row := `document.querySelector('#doc-rows tr[data-id="` + id + `"]')`
		b.waitJS(row + ` !== null`)
		checkNoOverflow(b, "admin after upload")
		b.screenshot(shot, true)

		// cancelling the confirmation keeps the document
		dismiss.Store(true)
		before := dialogs.Load()
		b.do(chromedp.Click(chromedp.CSS(`#doc-rows tr[data-id="` + id + `"] button`)))
		if dialogs.Load() == before {
			t.Error("删除 asked for no confirmation")
		}
		if !has(id) || !evalJS[bool](b, row+` !== null`) {
			t.Fatal("a cancelled deletion removed the document")
		}
		dismiss.Store(false)
		b.do(chromedp.Click(chromedp.CSS(`#doc-rows tr[data-id="` + id + `"] button`)))
		b.waitJS(row + ` === null`)
		if has(id) {
			t.Errorf("%s is still in the collection after 删除", id)
		}
	}

	t.Run("token", func(t *testing.T) {
		b.t = t
		b.do(chromedp.EmulateViewport(1280, 900), chromedp.Navigate(b.base+"/admin"), chromedp.WaitVisible(chromedp.CSS("#admin-token")))
		if !evalJS[bool](b, `document.getElementById("admin-main").hidden`) {
			t.Error("the document tools are shown before a token is given")
		}
		b.do(chromedp.SendKeys(chromedp.CSS("#admin-token"), "wrong-token"), chromedp.Click(chromedp.CSS("#token-form button")))
		b.waitJS(`document.getElementById("token-msg").textContent.includes("不正确")`)
		if !evalJS[bool](b, `document.getElementById("admin-main").hidden && sessionStorage.length === 0`) {
			t.Error("a wrong token opened the page or was stored")
		}
		// the keyboard alone: type the token, press Enter
		evalJS[bool](b, `(document.getElementById("admin-token").value = "") === ""`)
		b.do(chromedp.SendKeys(chromedp.CSS("#admin-token"), docToken), chromedp.KeyEvent(kb.Enter))
		b.waitJS(`!document.getElementById("admin-main").hidden && document.getElementById("admin-login").hidden`)
		b.waitJS(`document.querySelector('#doc-rows tr[data-id="base"]') !== null`)
		if got := evalJS[string](b, `document.activeElement ? document.activeElement.id : ""`); got != "pick-files" {
			t.Errorf("focus on %q after the token, want the file button", got)
		}
		if got := evalJS[string](b, `sessionStorage.getItem("zhengce-admin-token")`); got != docToken {
			t.Errorf("token in sessionStorage %q", got)
		}
		if evalJS[int](b, `localStorage.length`) != 0 {
			t.Error("something was kept in localStorage")
		}
	})

	t.Run("desktop", func(t *testing.T) {
		b.t = t
		uploadAndDelete(t, "desktop-upload.txt", "desktop-admin.png")
	})

	t.Run("several files", func(t *testing.T) {
		b.t = t
		paths := []string{writeFile("multi-1.txt", "巫溪县多文件方案一", "多文件"), writeFile("multi-2.txt", "巫溪县多文件方案二", "多文件")}
		bad := filepath.Join(files, "multi-bad.pdf")
		if err := os.WriteFile(bad, []byte("BAD"), 0o644); err != nil {
			t.Fatal(err)
		}
		before := len(col.callLog())
		b.do(chromedp.SetUploadFiles(chromedp.CSS("#file-input"), append(paths, bad)))
		b.waitJS(`Array.from(document.querySelectorAll(".upload-item")).filter(li => li.querySelector(".upload-name").textContent.startsWith("multi-") && (li.classList.contains("is-indexed") || li.classList.contains("is-rejected"))).length === 3`)
		got := evalJS[[]string](b, `Array.from(document.querySelectorAll(".upload-item")).filter(li => li.querySelector(".upload-name").textContent.startsWith("multi-")).map(li => li.querySelector(".upload-name").textContent + " " + li.querySelector(".upload-status").textContent)`)
		want := []string{"multi-1.txt 已索引", "multi-2.txt 已索引", "multi-bad.pdf 未索引：无法识别的文件格式"}
		if !slices.Equal(got, want) {
			t.Errorf("upload rows %q, want %q", got, want)
		}
		// one request per file
		if calls := col.callLog()[before:]; len(calls) != 3 {
			t.Errorf("collection calls %q, want one per file", calls)
		}
		b.waitJS(`document.querySelector('#doc-rows tr[data-id="multi-1"]') !== null && document.querySelector('#doc-rows tr[data-id="multi-2"]') !== null`)
		if !has("multi-1") || !has("multi-2") || has("multi-bad") {
			t.Error("the collection does not hold what the page reports")
		}
	})

	t.Run("phone", func(t *testing.T) {
		b.t = t
		b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile))
		// the token kept in the tab opens the page at once
		b.do(chromedp.Navigate(b.base + "/admin"))
		b.waitJS(`!document.getElementById("admin-main").hidden && document.querySelector('#doc-rows tr[data-id="base"]') !== null`)
		checkNoOverflow(b, "admin")
		uploadAndDelete(t, "phone-upload.txt", "phone-admin.png")
	})

	t.Run("logout", func(t *testing.T) {
		b.t = t
		b.do(chromedp.Click(chromedp.CSS("#logout")))
		b.waitJS(`document.getElementById("admin-main").hidden && !document.getElementById("admin-login").hidden`)
		if evalJS[int](b, `sessionStorage.length`) != 0 {
			t.Error("the token outlived 退出管理")
		}
		checkNoOverflow(b, "admin token form")
		b.screenshot("phone-admin-token.png", true)
	})
	if calls := col.callLog(); len(calls) != 7 {
		t.Errorf("collection calls %q, want five uploads and two removals", calls)
	}
}
