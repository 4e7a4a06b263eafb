package web

import (
	"net/http"
	"runtime"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
)

// Admission of expensive requests (searches, comparisons, the reader with
// a query): at most SearchesPerCore × GOMAXPROCS run at once. A request
// that finds every slot taken waits at most AdmitWait, then is refused
// with 503 and Retry-After, rather than queueing behind work the cores
// cannot finish before its deadline.
const (
	SearchesPerCore = 4
	AdmitWait       = 100 * time.Millisecond
	// retryAfterBusy is the Retry-After of a 503, in seconds.
	retryAfterBusy = 1
)

// errBusy is returned for a request refused by admission control.
var errBusy = echo.NewHTTPError(http.StatusServiceUnavailable)

// newSlots returns the admission semaphore for n concurrent expensive
// requests; n <= 0 means SearchesPerCore × GOMAXPROCS.
func newSlots(n int) chan struct{} {
	if n <= 0 {
		n = SearchesPerCore * runtime.GOMAXPROCS(0)
	}
	return make(chan struct{}, n)
}

// admit runs next when a slot is free within AdmitWait (and before the
// request's deadline); otherwise it answers 503 with Retry-After. The
// last expensive request running calls Config.Settle before it answers.
func (s *Server) admit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		select {
		case s.slots <- struct{}{}:
		default:
			t := time.NewTimer(s.admitWait)
			defer t.Stop()
			select {
			case s.slots <- struct{}{}:
			case <-t.C:
				c.Response().Header().Set("Retry-After", strconv.Itoa(retryAfterBusy))
				return errBusy
			case <-c.Request().Context().Done():
				return c.Request().Context().Err()
			}
		}
		defer func() { <-s.slots }()
		if s.settle != nil {
			// before the answer goes out, so that a client that has it
			// finds the server settled; the slot is still held, so one
			// slot taken means no other expensive request is running
			c.Response().Before(func() {
				if len(s.slots) == 1 {
					s.settle()
				}
			})
		}
		return next(c)
	}
}
