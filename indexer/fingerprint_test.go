package indexer

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

// TestHashBuffer: hashing through the 64 KB buffer is SHA-256 of the
// plain stream, for strings smaller and larger than the buffer.
func TestHashBuffer(t *testing.T) {
	parts := []string{"", "教育", strings.Repeat("学", 30000), "x", strings.Repeat("ab", 70000), "", "尾"}
	for n := range len(parts) + 1 {
		b := newHashBuffer()
		var plain []byte
		for _, p := range parts[:n] {
			b.add(p, 0)
			plain = append(append(plain, p...), 0)
		}
		sum := sha256.Sum256(plain)
		if got, want := b.sum(), hex.EncodeToString(sum[:])[:16]; got != want {
			t.Fatalf("%d parts: %s, want %s", n, got, want)
		}
	}
}
