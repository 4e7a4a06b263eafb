package web

import (
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

// maxClients bounds the buckets a rateLimiter keeps (about 100 bytes
// each): beyond it, idle buckets are swept at once, then arbitrary ones
// dropped (a dropped client merely starts again with a full bucket).
const maxClients = 100_000

// rateLimiter is a token bucket per client IP (per /64 network for IPv6,
// where one host easily owns many addresses): rate tokens a second, up to
// burst. Idle buckets are swept so memory stays bounded.
type rateLimiter struct {
	rate  float64
	burst float64
	now   func() time.Time
	max   int // maxClients, smaller in tests

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newRateLimiter(rate float64, burst int, now func() time.Time) *rateLimiter {
	if burst < 1 {
		burst = int(math.Max(1, math.Ceil(rate)))
	}
	return &rateLimiter{rate: rate, burst: float64(burst), now: now, max: maxClients, buckets: map[string]*bucket{}, lastSweep: now()}
}

// clientKey is the bucket of a client address: the IPv4 address, or the
// /64 network of an IPv6 address.
func clientKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil || a.Is4() || a.Is4In6() {
		return ip
	}
	p, err := a.Prefix(64)
	if err != nil {
		return ip
	}
	return p.String()
}

// sweep drops the buckets that have refilled completely: they are the
// same as new ones.
func (l *rateLimiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if now.Sub(b.last).Seconds()*l.rate >= l.burst {
			delete(l.buckets, k)
		}
	}
	l.lastSweep = now
}

// allow takes a token from ip's bucket. When none is left it reports how
// long until one is.
func (l *rateLimiter) allow(ip string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if now.Sub(l.lastSweep) > time.Minute {
		l.sweep(now)
	}
	ip = clientKey(ip)
	b := l.buckets[ip]
	if b == nil {
		if len(l.buckets) >= l.max {
			l.sweep(now)
			for k := range l.buckets {
				if len(l.buckets) < l.max {
					break
				}
				delete(l.buckets, k)
			}
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[ip] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

// errRateLimited is returned for requests over the limit.
var errRateLimited = echo.NewHTTPError(http.StatusTooManyRequests)

// limitRate refuses requests over the per-IP rate with 429 and a
// Retry-After header. Health checks and static assets are exempt.
func (s *Server) limitRate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.limiter == nil {
			return next(c)
		}
		p := c.Request().URL.Path
		if p == "/healthz" || p == "/metrics" || strings.HasPrefix(p, "/static/") {
			return next(c)
		}
		ok, wait := s.limiter.allow(c.RealIP())
		if !ok {
			s.metrics.rateLimited()
			c.Response().Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			return errRateLimited
		}
		return next(c)
	}
}
