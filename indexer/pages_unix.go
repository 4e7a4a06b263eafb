//go:build unix

package indexer

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// dropPages tells the kernel that the process no longer needs the pages
// of the read-only file mapping m: they leave its resident memory and stay
// in the page cache, and a later read maps them again.
func dropPages(m []byte) error {
	if len(m) == 0 {
		return nil
	}
	if err := unix.Madvise(m, unix.MADV_DONTNEED); err != nil {
		return fmt.Errorf("madvise: %w", err)
	}
	return nil
}
