package indexer

import (
	"strings"
	"testing"
	"unicode"
)

// TestContentChars checks contentChars against its definition on every
// rune, alone and in a text.
func TestContentChars(t *testing.T) {
	var all strings.Builder
	want := 0
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if 0xD800 <= r && r <= 0xDFFF {
			continue // surrogates are not runes of a string
		}
		content := !unicode.IsPunct(r) && !unicode.IsSpace(r) && !unicode.IsSymbol(r)
		exp := 0
		if content {
			exp = 1
		}
		if got := contentChars(string(r)); got != exp {
			t.Fatalf("contentChars(%U) = %d, want %d", r, got, exp)
		}
		all.WriteRune(r)
		want += exp
	}
	if got := contentChars(all.String()); got != want {
		t.Errorf("contentChars of every rune = %d, want %d", got, want)
	}
}
