package themes

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestMatchPairFilter checks that skipping the positions whose two runes
// start no keyword (Taxonomy.pairs) changes no match: the default
// taxonomy's match of random texts made of keyword pieces, other Han
// characters, ASCII and invalid UTF-8 equals its match with the filter
// off.
func TestMatchPairFilter(t *testing.T) {
	tax, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	off := *tax
	off.oneRune = slices.Repeat([]bool{true}, len(tax.oneRune)) // every list looked at
	var pieces []string
	for _, n := range tax.nodes {
		for _, k := range n.keywords {
			r := []rune(k)
			pieces = append(pieces, k, string(r[:1]), string(r[len(r)/2:]))
		}
	}
	pieces = append(pieces, "的", "和", "推进", "a", "1", " ", "\xff", "\xe6\x95")
	rng := rand.New(rand.NewPCG(1, 2))
	matched := 0
	for range 5000 {
		var b strings.Builder
		for range 1 + rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		text := b.String()
		got, want := make([]bool, len(tax.nodes)), make([]bool, len(tax.nodes))
		tax.match(text, got)
		off.match(text, want)
		if !slices.Equal(got, want) {
			t.Fatalf("%q: themes %v with the pair filter, %v without", text, got, want)
		}
		if slices.Contains(got, true) {
			matched++
		}
	}
	if matched < 1000 {
		t.Fatalf("only %d of the texts match a theme: the test says little", matched)
	}
}
