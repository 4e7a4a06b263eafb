package pdf

import (
	"context"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/zhengce/zhengce/corpus"
)

// TestStartup measures the start of the PDFium runtime (the first Read of
// a new Reader, p02) and the process's memory after it. It runs only with
// ZHENGCE_PDF_STARTUP set to the cache directory to use ("-" for none);
// run it in a fresh process per measurement:
//
//	ZHENGCE_PDF_STARTUP=$(mktemp -d) go test -run TestStartup -v ./corpus/pdf  # cold cache
//	(the same directory again: warm cache; "-": no cache)
func TestStartup(t *testing.T) {
	dir := os.Getenv("ZHENGCE_PDF_STARTUP")
	if dir == "" {
		t.Skip("set ZHENGCE_PDF_STARTUP to a cache directory or - to measure")
	}
	data := read(t, p02)
	r := New(Options{CacheDir: dir})
	defer r.Close()
	start := time.Now()
	if _, err := r.Read(context.Background(), data, corpus.DefaultLimits()); err != nil {
		t.Fatal(err)
	}
	first := time.Since(start)
	start = time.Now()
	if _, err := r.Read(context.Background(), data, corpus.DefaultLimits()); err != nil {
		t.Fatal(err)
	}
	second := time.Since(start)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	status, _ := os.ReadFile("/proc/self/status")
	var rss string
	for l := range strings.Lines(string(status)) {
		if strings.HasPrefix(l, "VmRSS") || strings.HasPrefix(l, "VmHWM") {
			rss += strings.Join(strings.Fields(l), " ") + "; "
		}
	}
	t.Logf("cache %q: first Read %s, second %s; Go heap in use %d MB, Go sys %d MB; %s",
		dir, first.Round(time.Millisecond), second.Round(time.Millisecond), ms.HeapInuse>>20, ms.Sys>>20, rss)
}
