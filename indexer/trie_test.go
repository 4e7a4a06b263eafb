package indexer

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestWordTrie walks the trie from every position of random strings and
// compares the entries met with a brute-force lookup of every prefix in a
// map; the entries include wide runes, repeats (the first is kept),
// prefixes of each other, and unusable entries (left out).
func TestWordTrie(t *testing.T) {
	entries := []string{"教育", "教育局", "学前教育", "学", "前", "教", "育", "普惠", "普惠性", "𠀀", "𠀀教", "教育",
		"a", "ab", "abc", "", "\xff", "教\xff", "集团化办学", "集团", "化"}
	first := map[string]int{}
	for i, e := range entries {
		if _, ok := first[e]; !ok && e != "" && e != "\xff" && e != "教\xff" {
			first[e] = i
		}
	}
	tr, err := newWordTrie(len(entries), func(i int) string { return entries[i] })
	if err != nil {
		t.Fatal(err)
	}
	// few shared prefixes: the first table was more than half full and
	// the trie was filled again in one twice the size
	if nodes, slots := len(tr.value), len(tr.slots); nodes > slots/2 || slots <= 32 {
		t.Errorf("%d nodes in %d slots, want a table at most half full and refilled", nodes, slots)
	}
	alphabet := []rune("教育局学前普惠性𠀀集团化办abcxyz，。")
	rng := rand.New(rand.NewPCG(3, 4))
	for range 3000 {
		var runes []rune
		for range 1 + rng.IntN(12) {
			runes = append(runes, alphabet[rng.IntN(len(alphabet))])
		}
		text := string(runes)
		codes := tr.codes(nil, text)
		if len(codes) != len(runes) {
			t.Fatalf("%q: %d codes for %d runes", text, len(codes), len(runes))
		}
		for k := range runes {
			var got, want []int
			node := int32(0)
			for _, c := range codes[k:] {
				if node = tr.child(node, c); node == 0 {
					break
				}
				if v := tr.value[node]; v >= 0 {
					got = append(got, int(v))
				}
			}
			for end := k + 1; end <= len(runes); end++ {
				if i, ok := first[string(runes[k:end])]; ok {
					want = append(want, i)
				}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("%q from rune %d: trie %v, map %v", text, k, got, want)
			}
		}
	}
	// a rune in no entry has code 0 and no child anywhere
	if c := tr.code('z'); c != 0 {
		t.Errorf("code of z = %d, want 0", c)
	}
}

// TestWordTrieLimits: a dictionary of more distinct characters than a
// slot has room for is refused with an error, one just within is built,
// and the deepest node of a large trie is still found (its number fills
// most of a slot's child bits).
func TestWordTrieLimits(t *testing.T) {
	distinct := func(n int) func(int) string {
		// one entry of two characters each: n distinct runes from U+4E00
		// on (the CJK blocks and beyond), skipping the surrogates
		r := func(i int) string {
			if c := rune(0x4E00 + i); c < 0xD800 {
				return string(c)
			}
			return string(rune(0x4E00 + 0x800 + i))
		}
		return func(i int) string { return r(i) + r((i+1)%n) }
	}
	if _, err := newWordTrie(trieMaxCodes+1, distinct(trieMaxCodes+1)); err == nil {
		t.Errorf("%d distinct characters: no error", trieMaxCodes+1)
	}
	tr, err := newWordTrie(trieMaxCodes, distinct(trieMaxCodes))
	if err != nil {
		t.Fatalf("%d distinct characters: %v", trieMaxCodes, err)
	}
	last := trieMaxCodes - 1
	w := distinct(trieMaxCodes)(last)
	node := int32(0)
	for _, c := range tr.codes(nil, w) {
		if node = tr.child(node, c); node == 0 {
			t.Fatalf("%q: no path", w)
		}
	}
	if got := tr.value[node]; got != int32(last) {
		t.Errorf("%q: entry %d, want %d", w, got, last)
	}
}
