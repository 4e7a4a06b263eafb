package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/zhengce/zhengce/corpus"
)

// contentSecurityPolicy allows only same-origin scripts, styles and
// images: no inline script, no inline style, no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// MaxRawQueryBytes bounds the raw query string of any request; longer ones
// are rejected with 400 before any parsing.
const MaxRawQueryBytes = 8 << 10

// recoverPanics turns a panic in a handler into an internal error, so one
// bad request never takes the server down.
func (s *Server) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
			}
		}()
		return next(c)
	}
}

// accessLog writes one structured log line per request.
func (s *Server) accessLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			// Let the error handler write the response now, so the logged
			// status is the one the client receives.
			c.Error(err)
		}
		req, res := c.Request(), c.Response()
		s.metrics.observe(routeLabel(c), req.Method, res.Status, time.Since(start))
		s.log.LogAttrs(req.Context(), slog.LevelInfo, "http",
			slog.String("method", req.Method),
			slog.String("path", truncate(req.URL.Path, 200)),
			slog.String("query", truncate(req.URL.RawQuery, 200)),
			slog.Int("status", res.Status),
			slog.Int64("bytes", res.Size),
			slog.Duration("duration", time.Since(start)),
			slog.String("remote", c.RealIP()),
		)
		return nil
	}
}

// securityHeaders sets the security headers on every response.
func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		return next(c)
	}
}

// limitRequest rejects over-long query strings and caps request bodies.
func (s *Server) limitRequest(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if len(req.URL.RawQuery) > MaxRawQueryBytes {
			return corpus.Errorf(corpus.ETOOLARGE, "请求参数过长（最多 %d 字节）", MaxRawQueryBytes)
		}
		limit, upload := s.bodyLimit(c)
		if req.ContentLength > limit {
			return errBodyTooLarge(limit, upload)
		}
		if req.Body != nil {
			req.Body = http.MaxBytesReader(c.Response(), req.Body, limit)
		}
		return next(c)
	}
}

// deadline bounds the work of each request; searches observe the context
// and are cancelled when it expires.
func (s *Server) deadline(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		timeout := s.timeout
		if isDocumentChange(c) {
			timeout = AdminRequestTimeout
		}
		ctx, cancel := context.WithTimeout(c.Request().Context(), timeout)
		defer cancel()
		c.SetRequest(c.Request().WithContext(ctx))
		return next(c)
	}
}
