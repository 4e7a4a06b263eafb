package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/ingest"
	"github.com/zhengce/zhengce/corpus/parse"
	"github.com/zhengce/zhengce/indexer"
	"github.com/zhengce/zhengce/search"
)

func TestZZProfOpen(t *testing.T) {
	dir := os.Getenv("ZZDIR")
	if dir == "" {
		t.Skip()
	}
	f, _ := os.Create("/tmp/zcprof/cpu.out")
	pprof.StartCPUProfile(f)
	t0 := time.Now()
	p, _ := parse.Default()
	t.Logf("parse.Default %v", time.Since(t0))
	t0 = time.Now()
	r := ingest.New(ingest.Options{Parser: p})
	seg, err := indexer.LoadIndexSegmenter(dir)
	t.Logf("seg %v %v", time.Since(t0), err)
	t0 = time.Now()
	live, err := search.OpenLibrary(dir, func() (*corpus.Loader, error) { return r.Loader(), nil }, seg)
	t.Logf("open %v %v", time.Since(t0), err)
	pprof.StopCPUProfile()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("heap %d MB", ms.HeapAlloc>>20)
	live.Close()
}

func TestZZVerify(t *testing.T) {
	dir := os.Getenv("ZZDIR")
	if dir == "" {
		t.Skip()
	}
	t0 := time.Now()
	m, _ := indexer.ReadMeta(dir)
	err := indexer.Verify(dir, m)
	t.Logf("verify %v %v", time.Since(t0), err)
}
