package main

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/parse"
	"github.com/zhengce/zhengce/indexer"
)

// copyIndex copies the current version of the index src into a fresh
// index directory (same layout: a link into a version store).
func copyIndex(t *testing.T, src string) string {
	t.Helper()
	cur, err := filepath.EvalSymlinks(src)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "index")
	store := "." + filepath.Base(dir) + ".versions"
	dst := filepath.Join(filepath.Dir(dir), store, "v-copy")
	err = filepath.WalkDir(cur, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(cur, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(store, "v-copy"), dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// damage truncates the index's bleve segment to half its size.
func damage(t *testing.T, dir string) {
	t.Helper()
	zaps, err := filepath.Glob(filepath.Join(dir, "shard-*", "store", "*.zap"))
	if err != nil || len(zaps) == 0 {
		t.Fatalf("no segment in %s: %v", dir, err)
	}
	st, err := os.Stat(zaps[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(zaps[0], st.Size()/2); err != nil {
		t.Fatal(err)
	}
	if _, _, err := indexer.OpenIndex(dir); !errors.Is(err, indexer.ErrCorrupt) {
		t.Fatalf("damaged index not detected: %v", err)
	}
}

// phraseUnits counts the units whose normalised text contains phrase: the
// exact total of a quoted-phrase search.
func phraseUnits(t *testing.T, phrase string) uint64 {
	t.Helper()
	c, err := parse.Seeds()
	if err != nil {
		t.Fatal(err)
	}
	var n uint64
	for _, d := range c.Documents() {
		for _, u := range d.Units {
			if strings.Contains(corpus.Normalize(u.Text), phrase) {
				n++
			}
		}
	}
	if n == 0 {
		t.Fatalf("no unit contains %s", phrase)
	}
	return n
}

// searchTotal runs a quoted-phrase search over HTTP and checks that every
// hit is returned.
func searchTotal(base, phrase string) (uint64, error) {
	res, err := http.Get(base + "/api/search?limit=1000&q=" + url.QueryEscape(`"`+phrase+`"`))
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	var body struct {
		Total uint64            `json:"total"`
		Hits  []json.RawMessage `json:"hits"`
	}
	if res.StatusCode != http.StatusOK {
		return 0, errors.New("status " + res.Status)
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		return 0, err
	}
	if uint64(len(body.Hits)) != body.Total {
		return 0, errors.New("fewer hits than the total")
	}
	return body.Total, nil
}

// TestServeRebuildsDamagedIndex: serve on a damaged index detects it,
// rebuilds it and answers completely.
func TestServeRebuildsDamagedIndex(t *testing.T) {
	const phrase = "集团化办学"
	want := phraseUnits(t, phrase)
	dir := copyIndex(t, cliIndex(t))
	damage(t, dir)
	base, stderr, stop := startServe(t, "--index", dir)
	if got, err := searchTotal(base, phrase); err != nil || got != want {
		t.Errorf("search after the repair: %d (%v), want %d", got, err, want)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "建立索引") {
		t.Errorf("serve did not rebuild the damaged index:\n%s", stderr.String())
	}
	if _, _, err := indexer.OpenIndex(dir); err != nil {
		t.Errorf("index after serve: %v", err)
	}
}

// TestServeUpgradesOldFormat: an index written by an earlier version of
// zhengce (another index format) is rebuilt by `serve` from its own
// document store, and the user is told it is an upgrade, not damage.
func TestServeUpgradesOldFormat(t *testing.T) {
	const phrase = "集团化办学"
	want := phraseUnits(t, phrase)
	dir := copyIndex(t, cliIndex(t))
	metas, err := filepath.Glob(filepath.Join(dir, "*", indexer.MetaFile))
	if err != nil {
		t.Fatal(err)
	}
	metas = append(metas, filepath.Join(dir, indexer.MetaFile))
	for _, p := range metas {
		data, err := os.ReadFile(p)
		if err != nil {
			continue // no segment there
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		m["format"] = 1
		if data, err = json.Marshal(m); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	base, stderr, stop := startServe(t, "--index", dir)
	if got, err := searchTotal(base, phrase); err != nil || got != want {
		t.Errorf("search after the upgrade: %d (%v), want %d", got, err, want)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if out := stderr.String(); !strings.Contains(out, "索引由旧版本建立") || strings.Contains(out, "已损坏") {
		t.Errorf("serve did not report an upgrade:\n%s", out)
	}
	if _, _, err := indexer.OpenIndex(dir); err != nil {
		t.Errorf("index after serve: %v", err)
	}
}

// TestIndexRepairsDamagedIndex: `zhengce index` over a damaged index
// replaces it with a sound one.
func TestIndexRepairsDamagedIndex(t *testing.T) {
	dir := copyIndex(t, cliIndex(t))
	damage(t, dir)
	if _, errOut, err := runCLI(t, "index", "--index", dir); err != nil {
		t.Fatalf("zhengce index: %v\n%s", err, errOut)
	}
	idx, m, err := indexer.OpenIndex(dir)
	if err != nil {
		t.Fatalf("repaired index: %v", err)
	}
	defer idx.Close()
	if n, err := idx.DocCount(); err != nil || int(n) != m.Stats.Units+m.Stats.Targets {
		t.Errorf("repaired index holds %d documents (%v), want %d", n, err, m.Stats.Units+m.Stats.Targets)
	}
}

// adminStatus is the part of the admin status this test reads.
type adminStatus struct {
	State string `json:"state"`
	Error string `json:"error"`
	Index struct {
		Built time.Time `json:"built"`
	} `json:"index"`
}

func admin(t *testing.T, method, u, token string) (int, adminStatus) {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var st adminStatus
	if res.StatusCode < 300 {
		if err := json.NewDecoder(res.Body).Decode(&st); err != nil {
			t.Fatal(err)
		}
	}
	return res.StatusCode, st
}

// TestServeReloadAndReindex runs the real server while its index is
// rebuilt twice: once by `zhengce index` followed by SIGHUP, once by
// POST /api/admin/reindex. A client searching all the time gets every
// answer complete, and the server ends up serving each new index.
func TestServeReloadAndReindex(t *testing.T) {
	const phrase, token = "集团化办学", "test-admin-token"
	want := phraseUnits(t, phrase)
	dir := copyIndex(t, cliIndex(t))
	base, stderr, stop := startServeEnv(t, map[string]string{"ZHENGCE_ADMIN_TOKEN": token}, "--index", dir)
	status := base + "/api/admin/reindex"

	var (
		searches atomic.Int64
		wg       sync.WaitGroup
		errMu    sync.Mutex
		errs     []string
		done     = make(chan struct{})
	)
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				got, err := searchTotal(base, phrase)
				if err == nil && got != want {
					err = errors.New("incomplete total")
				}
				if err != nil {
					errMu.Lock()
					errs = append(errs, err.Error())
					errMu.Unlock()
				}
				searches.Add(1)
				time.Sleep(20 * time.Millisecond) // leave the builds some CPU
			}
		}()
	}
	waitBuilt := func(after time.Time) time.Time {
		t.Helper()
		// generous: a build under the race detector on a busy machine
		for deadline := time.Now().Add(5 * time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			code, st := admin(t, http.MethodGet, status, token)
			if code == 200 && st.State == "failed" {
				t.Fatalf("rebuild failed: %s", st.Error)
			}
			if code == 200 && st.Index.Built.After(after) && st.State != "running" {
				return st.Index.Built
			}
		}
		t.Fatalf("server never served an index built after %v", after)
		return time.Time{}
	}

	code, st := admin(t, http.MethodGet, status, token)
	if code != 200 || st.Index.Built.IsZero() {
		t.Fatalf("admin status: %d %+v", code, st)
	}
	first := st.Index.Built
	if code, _ := admin(t, http.MethodPost, status, ""); code != http.StatusUnauthorized {
		t.Errorf("POST without token: %d", code)
	}

	// 1. `zhengce index` writes a new version; the server keeps the old
	// one until SIGHUP.
	if _, errOut, err := runCLI(t, "index", "--index", dir); err != nil {
		t.Fatalf("zhengce index: %v\n%s", err, errOut)
	}
	m, err := indexer.ReadMeta(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, st := admin(t, http.MethodGet, status, token); !st.Index.Built.Equal(first) {
		t.Fatalf("server switched index before SIGHUP")
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	if got := waitBuilt(first); !got.Equal(m.Built) {
		t.Errorf("after SIGHUP the server serves the index built %v, want %v", got, m.Built)
	}

	// 2. POST /api/admin/reindex rebuilds in the server.
	if code, st := admin(t, http.MethodPost, status, token); code != http.StatusAccepted || st.State != "running" {
		t.Fatalf("POST reindex: %d %+v", code, st)
	}
	waitBuilt(m.Built)
	if _, st := admin(t, http.MethodGet, status, token); st.State != "done" {
		t.Errorf("reindex state %q", st.State)
	}

	close(done)
	wg.Wait()
	if len(errs) > 0 {
		t.Errorf("%d of %d searches failed during the swaps, first: %s", len(errs), searches.Load(), errs[0])
	}
	if searches.Load() < 10 {
		t.Errorf("only %d searches ran during the swaps", searches.Load())
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "index reloaded") {
		t.Errorf("no reload in the log:\n%.3000s", stderr.String())
	}
}
