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
