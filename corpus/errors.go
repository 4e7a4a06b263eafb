package corpus

import (
	"errors"
	"fmt"
)

// Error codes. Every package reports failures a user can act on as an
// *Error with one of these codes; the web adapter maps codes to HTTP
// statuses in one place. Any other error is internal: it is logged and the
// user sees a generic message.
const (
	EINVALID  = "invalid"   // bad input: malformed query, unreadable document
	ENOTFOUND = "not_found" // no such document, unit or route
	ETOOLARGE = "too_large" // input over a documented limit
	ETIMEOUT  = "timeout"   // the operation ran out of time
	EINTERNAL = "internal"  // anything else
)

// Error is an error meant for the user: Message is Simplified Chinese text
// safe to show; Err, when set, is the underlying cause for logs.
type Error struct {
	Code    string
	Message string
	Err     error
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, or
// EINTERNAL when there is none. A nil error has no code.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of the first *Error in err's
// chain, or a generic message for internal errors.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "服务器内部错误"
}
