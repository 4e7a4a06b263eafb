//go:build !unix

package watch

// oNonblock is 0 where the platform has no non-blocking open.
const oNonblock = 0
