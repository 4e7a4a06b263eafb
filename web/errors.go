package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/zhengce/zhengce/corpus"
)

// apiError is the JSON body of every API error:
// {"error":{"code":"invalid","message":"…"}}.
type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// CodeRateLimited is the error code of a 429 answer: the client made too
// many requests (not a corpus error, so it is the web adapter's own).
const CodeRateLimited = "rate_limited"

// CodeBusy is the error code of a 503 from admission control: the server
// is serving as many searches as its cores can finish in time.
const CodeBusy = "busy"

// httpStatus is THE place where errors become HTTP statuses. Every handler
// returns errors; the error handler and the pages that render rich error
// pages ask this function for the status.
func httpStatus(err error) int {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return he.Code
	}
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return http.StatusRequestEntityTooLarge
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return http.StatusGatewayTimeout
	}
	switch corpus.ErrorCode(err) {
	case corpus.EINVALID:
		return http.StatusBadRequest
	case corpus.ENOTFOUND:
		return http.StatusNotFound
	case corpus.ETOOLARGE:
		// Over-long queries and parameters are a client mistake with a
		// clear message; oversized bodies come as echo's 413 above.
		return http.StatusBadRequest
	case corpus.ETIMEOUT:
		return http.StatusGatewayTimeout
	default:
		return http.StatusInternalServerError
	}
}

// errorCode and errorMessage are the user-facing code and Simplified
// Chinese message of err; internal details never leak.
func errorCode(err error) string {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		switch he.Code {
		case http.StatusNotFound:
			return corpus.ENOTFOUND
		case http.StatusRequestEntityTooLarge:
			return corpus.ETOOLARGE
		case http.StatusMethodNotAllowed, http.StatusBadRequest:
			return corpus.EINVALID
		case http.StatusTooManyRequests:
			return CodeRateLimited
		case http.StatusServiceUnavailable:
			return CodeBusy
		case http.StatusUnauthorized:
			return CodeUnauthorized
		case http.StatusForbidden:
			return CodeForbidden
		}
		if he.Code < 500 {
			return corpus.EINVALID
		}
		return corpus.EINTERNAL
	}
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return corpus.ETOOLARGE
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return corpus.ETIMEOUT
	}
	return corpus.ErrorCode(err)
}

func errorMessage(err error) string {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		switch he.Code {
		case http.StatusNotFound:
			return "页面不存在"
		case http.StatusMethodNotAllowed:
			return "不支持该请求方法"
		case http.StatusRequestEntityTooLarge:
			if m, ok := he.Message.(string); ok && m != http.StatusText(he.Code) {
				return m // a limit of the document API, in Chinese
			}
			return "请求体过大"
		case http.StatusTooManyRequests:
			return "请求过于频繁，请稍后再试"
		case http.StatusServiceUnavailable:
			return "服务器繁忙，请稍后再试"
		case http.StatusUnauthorized:
			return "需要有效的管理令牌"
		case http.StatusForbidden:
			return "管理令牌不正确"
		}
		if he.Code < 500 {
			return "请求无效"
		}
		return "服务器内部错误"
	}
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return fmt.Sprintf("请求体过大（最多 %s）", sizeText(mb.Limit))
	}
	if errors.Is(err, context.DeadlineExceeded) && corpus.ErrorCode(err) != corpus.ETIMEOUT {
		return "请求超时，请缩小查询范围后重试"
	}
	return corpus.ErrorMessage(err)
}

// handleError is echo's HTTPErrorHandler: it logs internal errors and
// answers with JSON for the API and an HTML error page otherwise.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status := httpStatus(err)
	if status >= 500 {
		s.log.Error("request failed", "method", c.Request().Method,
			"path", truncate(c.Request().URL.Path, 200), "status", status, "err", err)
	}
	code, msg := errorCode(err), errorMessage(err)
	var werr error
	if wantsJSON(c) {
		if c.Request().Method == http.MethodHead {
			werr = c.NoContent(status)
		} else {
			werr = c.JSON(status, apiError{Error: apiErrorBody{Code: code, Message: msg}})
		}
	} else {
		werr = s.render(c, status, "error", errorPage{
			layout:  s.layout("出错了", ""),
			Status:  status,
			Code:    code,
			Message: msg,
		})
	}
	if werr != nil {
		s.log.Error("writing error response", "err", werr)
	}
}

// wantsJSON reports whether the request is for the JSON API.
func wantsJSON(c echo.Context) bool {
	p := c.Request().URL.Path
	return strings.HasPrefix(p, "/api/") || p == "/healthz" || p == "/metrics" || strings.HasSuffix(p, ".csv")
}

// truncate shortens s to at most n bytes on a rune boundary, for logs.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
