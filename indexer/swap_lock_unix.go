//go:build unix

package indexer

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockSupported reports whether lockFile really locks on this system.
const lockSupported = true

// lockFile takes an exclusive advisory lock (flock) on path, creating the
// file. With wait false it does not block: ok is false when another
// process holds the lock. The kernel drops the lock when the process
// dies, so a killed build never leaves a lock behind.
func lockFile(path string, wait bool) (release func(), ok bool, err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, false, fmt.Errorf("lock %s: %w", path, err)
	}
	how := syscall.LOCK_EX
	if !wait {
		how |= syscall.LOCK_NB
	}
	if err := syscall.Flock(int(f.Fd()), how); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, false, nil
		}
		return nil, false, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() { f.Close() }, true, nil
}
