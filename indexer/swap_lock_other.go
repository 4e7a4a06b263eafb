//go:build !unix

package indexer

// lockSupported reports whether lockFile really locks on this system.
const lockSupported = false

// lockFile is a no-op where flock is not available: concurrent builds
// are then not serialised, and leftovers are recognised by age only.
func lockFile(path string, wait bool) (release func(), ok bool, err error) {
	return func() {}, true, nil
}
