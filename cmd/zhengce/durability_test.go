package main

import (
	"errors"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zhengce/zhengce/indexer/store"
	"github.com/zhengce/zhengce/search"
)

// How many `zhengce add` and `zhengce remove` processes
// TestKillDuringChange kills.
const (
	killAddRounds    = 50
	killRemoveRounds = 20
)

// durabilityBinary builds the zhengce binary into a temporary folder.
func durabilityBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "zhengce")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// runZhengce runs the binary to the end and fails the test unless it
// succeeds.
func runZhengce(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "ZHENGCE_NO_OCR=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("zhengce %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// libraryState is what an index directory serves: its documents, and
// the hits of the marker phrases.
type libraryState struct {
	docs []string
	hits map[string]uint64 // by marker
}

// openState opens the index as `zhengce serve` would (collecting what an
// interrupted change left), reads its documents, searches the markers,
// and closes it.
func openState(t *testing.T, dir string, markers []string) libraryState {
	t.Helper()
	l, err := search.OpenLibrary(dir, nil, nil)
	if err != nil {
		t.Fatalf("OpenLibrary: %v", err)
	}
	defer func() {
		if err := l.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	}()
	st := libraryState{hits: map[string]uint64{}}
	for _, d := range l.Corpus().Documents() {
		st.docs = append(st.docs, d.ID)
	}
	for _, m := range markers {
		res, err := l.Search(t.Context(), search.Request{Query: `"` + m + `"`, Limit: search.MaxLimit})
		if err != nil {
			t.Fatalf("search %q: %v", m, err)
		}
		st.hits[m] = res.Total
	}
	return st
}

// deltaDirs lists the delta segment directories of the index in dir.
func deltaDirs(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, "delta"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, "delta/"+e.Name())
	}
	return out
}

// listedSegments reads the delta segments the store of the index in dir
// lists.
func listedSegments(t *testing.T, dir string) []string {
	t.Helper()
	s, err := store.Open(filepath.Join(dir, store.File), store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	snap, err := s.Read()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, sg := range snap.Segments {
		if sg.Name != "." {
			out = append(out, sg.Name)
		}
	}
	return out
}

// TestKillDuringChange kills `zhengce add` (killAddRounds times) and
// `zhengce remove` (killRemoveRounds times) with SIGKILL at a random
// moment of their run, and after each kill opens the index: it must open
// without error and hold exactly the documents before the change or
// exactly those after it, each fully searchable — never a part of a
// change, never a damaged index — and keep no segment directory its
// store does not list.
func TestKillDuringChange(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it about 75 times")
	}
	bin := durabilityBinary(t)
	corpusDir := t.TempDir()
	for i := range 4 {
		text := fmt.Sprintf("东营市关于推进教育发展的通知\n2021年3月%d日\n一、总体要求\n推进教育发展，提高学校质量。\n二、主要任务\n学校管理改革，基础%03d标记。\n", i+1, i)
		if err := os.WriteFile(filepath.Join(corpusDir, fmt.Sprintf("base%d.txt", i)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	idx := filepath.Join(t.TempDir(), "index")
	runZhengce(t, bin, "index", "--corpus", corpusDir, "--index", idx)

	// a round's files: two documents, each with the round's marker in
	// two paragraphs
	filesDir := t.TempDir()
	marker := func(round int) string { return fmt.Sprintf("甲%03d乙", round) }
	roundFiles := func(round int) ([]string, []string) {
		var paths, ids []string
		for _, part := range []string{"a", "b"} {
			id := fmt.Sprintf("r%03d%s", round, part)
			text := fmt.Sprintf("垦利区学校管理办法（%s）\n一、总则\n学校管理改革，%s一。\n二、附则\n教育质量提升，%s二。\n", id, marker(round), marker(round))
			p := filepath.Join(filesDir, id+".txt")
			if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			paths, ids = append(paths, p), append(ids, id)
		}
		return paths, ids
	}
	var markers []string // of every round so far
	want := openState(t, idx, nil).docs
	if len(want) != 4 {
		t.Fatalf("the built index holds %v", want)
	}

	// one add and one removal run to the end: how long a change takes
	paths, ids := roundFiles(0)
	markers = append(markers, marker(0))
	start := time.Now()
	runZhengce(t, bin, append([]string{"add", "--index", idx}, paths...)...)
	tookAdd := time.Since(start)
	want = slices.Sorted(slices.Values(append(want, ids...)))
	if st := openState(t, idx, markers); !slices.Equal(st.docs, want) || st.hits[marker(0)] != 4 {
		t.Fatalf("after add: %v (%v), want %v and 4 hits", st.docs, st.hits, want)
	}
	start = time.Now()
	runZhengce(t, bin, "remove", "--index", idx, ids[0])
	tookRemove := time.Since(start)
	want = slices.DeleteFunc(want, func(id string) bool { return id == ids[0] })
	if st := openState(t, idx, markers); !slices.Equal(st.docs, want) || st.hits[marker(0)] != 2 {
		t.Fatalf("after remove: %v (%v), want %v and 2 hits", st.docs, st.hits, want)
	}
	t.Logf("one add takes %s, one removal %s", tookAdd.Round(time.Millisecond), tookRemove.Round(time.Millisecond))

	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	outcomes := map[string]int{}
	// when each command commits its change, estimated from the kills
	// so far: raised past a kill without the change applied, lowered to
	// one with it (a command slows down as the index grows)
	commit := map[string]time.Duration{"add": tookAdd * 9 / 10, "remove": tookRemove * 9 / 10}
	// kill runs zhengce with args, kills it after a random delay, checks
	// the index holds before or after, and returns which
	kill := func(round int, args []string, before, after []string) []string {
		t.Helper()
		// half the kills anywhere in the run, half around the moment
		// the change is committed
		c := commit[args[0]]
		delay := time.Duration(rng.Int63n(int64(c)*5/4 + 1))
		if round%2 == 1 {
			delay = c*3/4 + time.Duration(rng.Int63n(int64(c)/2+1))
		}
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "ZHENGCE_NO_OCR=1")
		out := &syncBuffer{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		killed := false
		select {
		case err := <-exited:
			if err != nil {
				t.Fatalf("round %d: zhengce %s failed before the kill: %v\n%s", round, args[0], err, out)
			}
		case <-time.After(delay):
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
				t.Fatal(err)
			}
			err := <-exited
			var exit *exec.ExitError
			killed = errors.As(err, &exit) && !exit.Exited()
			if err != nil && !killed {
				t.Fatalf("round %d: zhengce %s failed: %v\n%s", round, args[0], err, out)
			}
		}
		st := openState(t, idx, markers)
		var now []string
		switch {
		case slices.Equal(st.docs, before):
			now = before
			outcomes[args[0]+" not applied"]++
			commit[args[0]] = max(commit[args[0]], delay*11/10)
		case slices.Equal(st.docs, after):
			now = after
			outcomes[args[0]+" applied"]++
			commit[args[0]] = min(commit[args[0]], delay)
		default:
			t.Fatalf("round %d: after killing zhengce %s at %s: documents %v;\nwant %v\n  or %v", round, args[0], delay, st.docs, before, after)
		}
		if !killed {
			outcomes[args[0]+" finished before the kill"]++
			if !slices.Equal(now, after) {
				t.Fatalf("round %d: zhengce %s finished but its change is not there", round, args[0])
			}
		}
		// every document is complete: a marker has the hits of the
		// documents of its round that are there
		for r, m := range markers {
			var n uint64
			for _, id := range now {
				if strings.HasPrefix(id, fmt.Sprintf("r%03d", r)) {
					n += 2
				}
			}
			if st.hits[m] != n {
				t.Fatalf("round %d: %q has %d hits, want %d (documents %v)", round, m, st.hits[m], n, now)
			}
		}
		if got, listed := deltaDirs(t, idx), listedSegments(t, idx); !slices.Equal(got, listed) {
			t.Fatalf("round %d: segment directories %v, the store lists %v", round, got, listed)
		}
		return now
	}

	for round := 1; round <= killAddRounds; round++ {
		paths, ids := roundFiles(round)
		markers = append(markers, marker(round))
		after := slices.Sorted(slices.Values(append(slices.Clone(want), ids...)))
		want = kill(round, append([]string{"add", "--index", idx}, paths...), want, after)
		if round*killRemoveRounds/killAddRounds > (round-1)*killRemoveRounds/killAddRounds {
			// a removal of one or two documents
			var rm []string
			for range 1 + rng.Intn(2) {
				if id := want[rng.Intn(len(want))]; !slices.Contains(rm, id) {
					rm = append(rm, id)
				}
			}
			after := slices.DeleteFunc(slices.Clone(want), func(id string) bool { return slices.Contains(rm, id) })
			want = kill(round, append([]string{"remove", "--index", idx}, rm...), want, after)
		}
	}
	t.Logf("outcomes: %v; commit estimated at %s of an add, %s of a removal", outcomes,
		commit["add"].Round(time.Millisecond), commit["remove"].Round(time.Millisecond))
	if n := outcomes["remove applied"] + outcomes["remove not applied"]; n != killRemoveRounds {
		t.Errorf("%d removal rounds, want %d", n, killRemoveRounds)
	}

	// the index still takes changes from the command line
	paths, ids = roundFiles(killAddRounds + 1)
	markers = append(markers, marker(killAddRounds+1))
	runZhengce(t, bin, append([]string{"add", "--index", idx}, paths...)...)
	runZhengce(t, bin, "remove", "--index", idx, ids[0])
	want = slices.Sorted(slices.Values(append(want, ids[1])))
	if st := openState(t, idx, markers); !slices.Equal(st.docs, want) || st.hits[marker(killAddRounds+1)] != 2 {
		t.Errorf("final: %v (%d hits), want %v and 2 hits", st.docs, st.hits[marker(killAddRounds+1)], want)
	}
}
