//go:build !unix

package corpus

// oNonblock is 0 where the platform has no non-blocking open.
const oNonblock = 0
