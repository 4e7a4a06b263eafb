package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkServeStartup times `zhengce serve` in-process from Run to the
// first successful /api/search with bare words (which need the
// segmenter): "cold" without an index (load the full dictionary while
// parsing, build, switch to the domain dictionary), "warm" with one. Run
// with -cpuprofile to see what start-up spends; zcbench serve measures the
// same on the real binary.
func BenchmarkServeStartup(b *testing.B) {
	for _, cold := range []bool{true, false} {
		name := "warm"
		if cold {
			name = "cold"
		}
		b.Run(name, func(b *testing.B) {
			root := b.TempDir()
			dir := filepath.Join(root, "index")
			if !cold {
				serveOnce(b, dir)
			}
			for b.Loop() {
				if cold {
					b.StopTimer()
					entries, err := os.ReadDir(root)
					if err != nil {
						b.Fatal(err)
					}
					for _, e := range entries {
						if err := os.RemoveAll(filepath.Join(root, e.Name())); err != nil {
							b.Fatal(err)
						}
					}
					b.StartTimer()
				}
				serveOnce(b, dir)
			}
		})
	}
}

// serveOnce starts the server on index dir, waits for one successful
// bare-word search and stops it.
func serveOnce(b *testing.B, dir string) {
	b.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	m := &Main{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" },
		Ready: func(addr string) { ready <- addr }}
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--index", dir}) }()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		b.Fatalf("serve ended before listening: %v", err)
	}
	res, err := http.Get("http://" + addr + "/api/search?q=" + url.QueryEscape("学前教育 普惠"))
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b.Fatalf("first search: status %d", res.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		b.Fatalf("serve: %v", err)
	}
}
