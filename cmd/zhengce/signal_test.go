package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// interruptLimit is how soon after Ctrl-C or SIGTERM the process must be
// gone, whatever it was doing.
const interruptLimit = time.Second

// parseWait is when TestInterrupt interrupts a command while it parses:
// 900 small files take under a second to parse on 2 cores, and the
// segmenter loads meanwhile.
const parseWait = 400 * time.Millisecond

// TestInterrupt runs the real binary on a corpus of 900 files (ten
// copies of testdata/laws) and interrupts it while it parses the corpus
// and while it builds the index, for `zhengce index` and for the start-up
// of `zhengce serve`: it must exit within interruptLimit of the signal,
// with a non-zero status and a message saying it was interrupted.
func TestInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and parses a corpus of 900 files")
	}
	bin := filepath.Join(t.TempDir(), "zhengce")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := bigCorpus(t, 10)
	for _, tt := range []struct {
		name string
		cmd  []string
		sig  syscall.Signal
		when string // "" interrupts parseWait after the start, else once stderr shows this
	}{
		{"index_parsing", []string{"index"}, syscall.SIGINT, ""},
		{"index_building", []string{"index"}, syscall.SIGINT, "建立索引："},
		{"index_building_sigterm", []string{"index"}, syscall.SIGTERM, "建立索引："},
		{"serve_parsing", []string{"serve", "--addr", "127.0.0.1:0"}, syscall.SIGINT, ""},
		{"serve_building", []string{"serve", "--addr", "127.0.0.1:0"}, syscall.SIGTERM, "建立索引："},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := append(tt.cmd, "--corpus", dir, "--index", filepath.Join(t.TempDir(), "index"))
			cmd := exec.Command(bin, args...)
			cmd.Env = append(os.Environ(), "ZHENGCE_NO_OCR=1")
			stderr := &syncBuffer{}
			cmd.Stderr, cmd.Stdout = stderr, stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			defer cmd.Process.Kill()
			wait := parseWait
			if tt.when != "" {
				wait = 5 * time.Minute
			}
			deadline := time.After(wait)
		poll:
			for {
				select {
				case err := <-exited:
					t.Fatalf("exited before the signal (%v):\n%s", err, stderr)
				case <-deadline:
					if tt.when != "" {
						t.Fatalf("no %q within %s:\n%s", tt.when, wait, stderr)
					}
					break poll
				case <-time.After(20 * time.Millisecond):
					if tt.when != "" && strings.Contains(stderr.String(), tt.when) {
						break poll
					}
				}
			}
			if tt.when == "" && strings.Contains(stderr.String(), "建立索引") {
				t.Fatalf("parsing ended within %s: the corpus is too small to interrupt it:\n%s", parseWait, stderr)
			}
			sent := time.Now()
			if err := cmd.Process.Signal(tt.sig); err != nil {
				t.Fatal(err)
			}
			select {
			case err := <-exited:
				took := time.Since(sent)
				t.Logf("exited %s after %s: %v", tt.sig, took.Round(time.Millisecond), err)
				if took > interruptLimit {
					t.Errorf("exited %s after the signal, want within %s", took.Round(time.Millisecond), interruptLimit)
				}
				var exit *exec.ExitError
				if !errors.As(err, &exit) || exit.ExitCode() <= 0 {
					t.Errorf("exit status %v, want non-zero", err)
				}
				if out := stderr.String(); !strings.Contains(out, "中断") {
					t.Errorf("no message about the interruption:\n%s", out)
				}
			case <-time.After(10 * interruptLimit):
				t.Fatalf("still running %s after the signal:\n%s", 10*interruptLimit, stderr)
			}
		})
	}
}

// bigCorpus writes copies of the law samples (testdata/laws) into a
// temporary folder, each with a distinct file name.
func bigCorpus(t *testing.T, copies int) string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "laws", "*.md"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no law samples: %v", err)
	}
	dir := t.TempDir()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".md")
		for i := range copies {
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s_%d.md", name, i)), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}
