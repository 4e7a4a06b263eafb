//go:build !unix

package indexer

// dropPages is a no-op where madvise is not available.
func dropPages(m []byte) error { return nil }
