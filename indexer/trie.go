package indexer

import (
	"fmt"
	"math/bits"
	"unicode/utf8"
)

// wordTrie maps every entry of a dictionary to its index and is walked one
// rune at a time: cut finds the dictionary words starting at a position
// by stepping from the root along the following runes (the DAG of the
// position in one walk). A byte trie takes three steps, three scattered
// memory reads, per Chinese character; here each rune is first mapped to a
// dense code, the root's children are a plain array indexed by code, and
// every deeper step is one probe of an open-addressing table.
//
// It is built once (newWordTrie) and read-only afterwards, so safe for
// concurrent use.
type wordTrie struct {
	narrow []uint16        // code of each rune below 1<<16; 0: the rune starts no entry
	wide   map[rune]uint32 // codes of the other runes
	root   []int32         // child of the root by code; 0: none
	slots  []uint64        // children of the other nodes (see slotKey)
	shift  uint            // 64 − log2(len(slots))
	value  []int32         // entry index of each node, −1 when the node is a prefix only
}

// A slot of the table of children packs the key — the parent node and
// the rune code, parent<<trieCodeBits | code — above the child node, in
// one word: half the size of a key and a child apart, so twice as many
// slots stay in the caches a walk reads them through. parent ≥ 1, so a
// used slot is never 0, the empty one.
const (
	trieNodeBits = 24 // nodes, parent or child
	trieCodeBits = 16 // rune codes
	trieMaxNodes = 1<<trieNodeBits - 1
	trieMaxCodes = 1<<trieCodeBits - 1
)

// slotKey returns the key of node's child along code c.
func slotKey(node int32, c uint32) uint64 { return uint64(node)<<trieCodeBits | uint64(c) }

// newWordTrie builds the trie of entries: entry i is texts(i). Of an
// entry repeated, the first is kept, as gse's dictionary does (AddToken).
// Empty entries and entries that are not valid UTF-8 are left out: the
// route walks valid text only (cutEach hands anything else to gse), where
// no such entry can be a word. It fails only when the trie would outgrow
// its node numbers or rune codes (trieMaxNodes characters, trieMaxCodes
// distinct ones: gse's dictionary has about 1,000,000 and 11,000).
func newWordTrie(n int, texts func(int) string) (*wordTrie, error) {
	t := &wordTrie{narrow: make([]uint16, 1<<16), wide: map[rune]uint32{}, value: []int32{-1}}
	codes := uint32(0)
	runes := 0
	usable := func(w string) bool { return w != "" && utf8.ValidString(w) }
	for i := range n {
		w := texts(i)
		if !usable(w) {
			continue
		}
		for _, r := range w {
			runes++
			if t.code(r) == 0 {
				if codes++; codes > trieMaxCodes {
					return nil, fmt.Errorf("dictionary of more than %d distinct characters is too large", trieMaxCodes)
				}
				if r < 1<<16 {
					t.narrow[r] = uint16(codes)
				} else {
					t.wide[r] = codes
				}
			}
		}
	}
	if runes >= trieMaxNodes {
		return nil, fmt.Errorf("dictionary of %d characters is too large", runes)
	}
	t.root = make([]int32, codes+1)
	// at most one node per rune of the entries, and far fewer where
	// entries share prefixes: a table of more slots than runes is never
	// full, and at most half full keeps probes short while it stays small
	// enough for the caches (a walk probes it at every step); a fuller
	// one is built again twice the size
	for size := 1 << bits.Len(uint(runes)); ; size *= 2 {
		t.fill(n, texts, usable, size)
		if len(t.value) <= size/2 {
			return t, nil
		}
	}
}

// fill inserts entries 0 to n−1 (texts) into a table of size slots,
// which must exceed the number of their runes; t.root and the codes are
// set.
func (t *wordTrie) fill(n int, texts func(int) string, usable func(string) bool, size int) {
	clear(t.root)
	t.value = t.value[:1]
	t.slots = make([]uint64, size)
	t.shift = uint(64 - bits.Len(uint(size-1)))
	for i := range n {
		w := texts(i)
		if !usable(w) {
			continue
		}
		node := int32(0)
		for _, r := range w {
			c := t.code(r)
			next := t.child(node, c)
			if next == 0 {
				next = int32(len(t.value))
				t.value = append(t.value, -1)
				t.link(node, c, next)
			}
			node = next
		}
		if t.value[node] < 0 {
			t.value[node] = int32(i)
		}
	}
}

// code returns the code of r, 0 when r is in no entry.
func (t *wordTrie) code(r rune) uint32 {
	if r < 1<<16 {
		return uint32(t.narrow[r])
	}
	return t.wide[r]
}

// child returns the child of node along code c, 0 when there is none.
func (t *wordTrie) child(node int32, c uint32) int32 {
	if node == 0 {
		return t.root[c]
	}
	key := slotKey(node, c)
	mask := uint64(len(t.slots) - 1)
	for h := (key * 0x9E3779B97F4A7C15) >> t.shift; ; h = (h + 1) & mask {
		s := t.slots[h]
		if s>>trieNodeBits == key {
			return int32(s & trieMaxNodes)
		}
		if s == 0 {
			return 0
		}
	}
}

// link records child as the child of node along code c.
func (t *wordTrie) link(node int32, c uint32, child int32) {
	if node == 0 {
		t.root[c] = child
		return
	}
	key := slotKey(node, c)
	mask := uint64(len(t.slots) - 1)
	h := (key * 0x9E3779B97F4A7C15) >> t.shift
	for t.slots[h] != 0 {
		h = (h + 1) & mask
	}
	t.slots[h] = key<<trieNodeBits | uint64(child)
}

// codes appends the code of every rune of text to dst.
func (t *wordTrie) codes(dst []uint32, text string) []uint32 {
	for _, r := range text {
		dst = append(dst, t.code(r))
	}
	return dst
}
