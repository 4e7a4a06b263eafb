package indexer

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestGramKeys(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []uint64
	}{
		{"", nil},
		{"学", nil},
		{"办学", []uint64{gramKey('办', '学')}},
		{"1+X证书", []uint64{gramKey('1', '+'), gramKey('+', 'X'), gramKey('X', '证'), gramKey('证', '书')}},
		{"学习学习", []uint64{gramKey('学', '习'), gramKey('习', '学')}},
	} {
		if got := GramKeys(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("GramKeys(%q) = %x, want %x", tc.in, got, tc.want)
		}
	}
	// the keys of distinct bigrams differ: runes have at most 21 bits
	if gramKey(0x10FFFF, 0) == gramKey(0, 0x10FFFF) || gramKey('a', 'b') == gramKey('b', 'a') {
		t.Error("gramKey collides")
	}
}

// gramTexts returns n random texts over a small alphabet, so that some
// bigrams are in nearly every text (roaring lists, the bitmap
// intersection) and others in a few (raw lists).
func gramTexts(n int, seed uint64) []string {
	r := rand.New(rand.NewPCG(seed, 1))
	common := []rune("教育发展学校")
	rare := []rune("集团化办学普惠托育𠀋")
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for range 4 + r.IntN(40) {
			if r.IntN(10) == 0 {
				b.WriteRune(rare[r.IntN(len(rare))])
			} else {
				b.WriteRune(common[r.IntN(len(common))])
			}
		}
		out[i] = b.String()
	}
	return out
}

func TestGramsCandidates(t *testing.T) {
	for _, n := range []int{1, 7, 3000, 20000} {
		texts := gramTexts(n, uint64(n))
		path := filepath.Join(t.TempDir(), GramsFile)
		if err := writeGrams(context.Background(), path, texts, 3); err != nil {
			t.Fatal(err)
		}
		g, err := readGrams(path, n)
		if err != nil {
			t.Fatal(err)
		}
		phrases := []string{"教育", "教育发展", "学校", "集团", "集团化办学", "托育𠀋", "育发展学校教", "无此", "教育发展学校教育"}
		for _, tx := range texts[:min(n, 20)] {
			phrases = append(phrases, tx, string([]rune(tx)[:3]))
		}
		for _, ph := range phrases {
			keys := GramKeys(ph)
			got, err := g.Candidates(keys)
			if err != nil {
				t.Fatal(err)
			}
			var want []int32
			for o, tx := range texts {
				all := true
				for _, k := range keys {
					all = all && slices.Contains(GramKeys(tx), k)
				}
				if all && len(keys) > 0 {
					want = append(want, int32(o))
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("n=%d %q: %d candidates, want %d", n, ph, len(got), len(want))
			}
		}
	}
}

func TestGramsWriteCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := writeGrams(ctx, filepath.Join(t.TempDir(), GramsFile), gramTexts(5000, 1), 2)
	if err == nil {
		t.Fatal("cancelled write succeeded")
	}
}

// TestGramsCorrupt: a damaged postings file is an error, never a panic or
// an ordinal outside the index.
func TestGramsCorrupt(t *testing.T) {
	texts := gramTexts(3000, 2)
	path := filepath.Join(t.TempDir(), GramsFile)
	if err := writeGrams(context.Background(), path, texts, 2); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parseGrams(data, len(texts)+1); err == nil {
		t.Error("postings of another document count accepted")
	}
	for _, cut := range []int{0, 7, 15, 16, 40, len(data) / 2, len(data) - 1} {
		if _, err := parseGrams(data[:cut], len(texts)); err == nil {
			t.Errorf("truncated at %d accepted", cut)
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	keys := GramKeys("教育发展学校集团化办学")
	for range 2000 {
		bad := slices.Clone(data)
		for range 1 + r.IntN(4) {
			bad[r.IntN(len(bad))] ^= byte(1 + r.IntN(255))
		}
		g, err := parseGrams(bad, len(texts))
		if err != nil {
			continue
		}
		for i := range keys {
			ords, err := g.Candidates(keys[i : i+1])
			if err != nil {
				continue
			}
			for _, o := range ords {
				if o < 0 || int(o) >= len(texts) {
					t.Fatalf("ordinal %d outside %d documents", o, len(texts))
				}
			}
		}
	}
}
