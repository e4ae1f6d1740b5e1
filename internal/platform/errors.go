package platform

import (
	"errors"
	"fmt"
	"net/http"
)

// Code is a stable, machine-readable error code. Clients branch on it; it
// never changes once released. Each code has a default HTTP status and a
// message in the catalog under "error.<code>".
type Code string

// The codes every domain shares. Domains add their own with NewCode.
const (
	CodeInvalid             Code = "invalid"              // 422: a field fails validation
	CodeMalformedJSON       Code = "malformed_json"       // 400
	CodeBadRequest          Code = "bad_request"          // 400
	CodeBadCursor           Code = "bad_cursor"           // 400
	CodeUnauthenticated     Code = "unauthenticated"      // 401
	CodeForbidden           Code = "forbidden"            // 403
	CodeNotFound            Code = "not_found"            // 404
	CodeRouteNotFound       Code = "route_not_found"      // 404
	CodeMethodNotAllowed    Code = "method_not_allowed"   // 405
	CodeConflict            Code = "conflict"             // 409
	CodeTooLarge            Code = "body_too_large"       // 413
	CodeUnsupportedMedia    Code = "unsupported_media"    // 415
	CodeIdempotencyMismatch Code = "idempotency_mismatch" // 422
	CodeIdempotencyInFlight Code = "idempotency_in_flight"
	CodeIdempotencyRequired Code = "idempotency_key_required"
	CodeRateLimited         Code = "rate_limited" // 429
	CodeLocked              Code = "account_locked"
	CodeCrossOrigin         Code = "cross_origin" // 403
	CodeUnavailable         Code = "unavailable"  // 503
	CodeInternal            Code = "internal"     // 500
)

var codeStatus = map[Code]int{
	CodeInvalid:             http.StatusUnprocessableEntity,
	CodeMalformedJSON:       http.StatusBadRequest,
	CodeBadRequest:          http.StatusBadRequest,
	CodeBadCursor:           http.StatusBadRequest,
	CodeUnauthenticated:     http.StatusUnauthorized,
	CodeForbidden:           http.StatusForbidden,
	CodeNotFound:            http.StatusNotFound,
	CodeRouteNotFound:       http.StatusNotFound,
	CodeMethodNotAllowed:    http.StatusMethodNotAllowed,
	CodeConflict:            http.StatusConflict,
	CodeTooLarge:            http.StatusRequestEntityTooLarge,
	CodeUnsupportedMedia:    http.StatusUnsupportedMediaType,
	CodeIdempotencyMismatch: http.StatusUnprocessableEntity,
	CodeIdempotencyInFlight: http.StatusConflict,
	CodeIdempotencyRequired: http.StatusBadRequest,
	CodeRateLimited:         http.StatusTooManyRequests,
	CodeLocked:              http.StatusTooManyRequests,
	CodeCrossOrigin:         http.StatusForbidden,
	CodeUnavailable:         http.StatusServiceUnavailable,
	CodeInternal:            http.StatusInternalServerError,
}

// NewCode declares a domain error code with its HTTP status and message.
// Call it from a package-level var so a clash panics at start-up.
func NewCode(code Code, status int, msg Message) Code {
	if _, ok := codeStatus[code]; ok {
		panic("platform: error code " + string(code) + " declared twice")
	}
	codeStatus[code] = status
	RegisterMessages(map[string]Message{"error." + string(code): msg})
	return code
}

// Status is the HTTP status of a code; unknown codes are 500.
func (c Code) Status() int {
	if s, ok := codeStatus[c]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// FieldError names one invalid input field and why, as a message key.
type FieldError struct {
	Field string
	Key   string
	Args  []any
}

// Error is the one application error type. Code and the message are safe to
// show to a client; Cause is private and only logged.
type Error struct {
	Code   Code
	Key    string // message key; "" means "error.<code>"
	Args   []any
	Fields []FieldError
	Cause  error
	// Extra carries additional problem members (e.g. the new price on a
	// 409), rendered as JSON beside the standard ones.
	Extra map[string]any
}

func (e *Error) Error() string {
	msg := T(EN, e.MessageKey(), e.Args...)
	if e.Cause != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, msg, e.Cause)
	}
	return fmt.Sprintf("%s: %s", e.Code, msg)
}

func (e *Error) Unwrap() error { return e.Cause }

// MessageKey is the catalog key of the error's human message.
func (e *Error) MessageKey() string {
	if e.Key != "" {
		return e.Key
	}
	return "error." + string(e.Code)
}

// Message renders the human message in lang.
func (e *Error) Message(lang Lang) string { return T(lang, e.MessageKey(), e.Args...) }

// E makes an error with a code and its default message.
func E(code Code) *Error { return &Error{Code: code} }

// Errorf makes an error with a code and a specific message key.
func Errorf(code Code, key string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// Wrap attaches a private cause.
func (e *Error) Wrap(cause error) *Error { e.Cause = cause; return e }

// With adds a field error (for CodeInvalid).
func (e *Error) With(field, key string, args ...any) *Error {
	e.Fields = append(e.Fields, FieldError{Field: field, Key: key, Args: args})
	return e
}

// Invalid is a validation error on one field.
func Invalid(field, key string, args ...any) *Error {
	return E(CodeInvalid).With(field, key, args...)
}

// ErrNotFound is the sentinel for "no such row"; domains wrap or return it.
var ErrNotFound = E(CodeNotFound)

// NotFound says a thing of the named kind does not exist.
func NotFound(kind string) *Error {
	return Errorf(CodeNotFound, "error.not_found_kind", Key("kind."+kind))
}

// AsError finds the application error in err's chain; anything else becomes
// an internal error carrying err as its cause.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: CodeInternal, Cause: err}
}

// ErrorCode is the code of err, or CodeInternal.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	return AsError(err).Code
}

func init() {
	RegisterMessages(map[string]Message{
		"error.invalid":                  {"提交的内容有误，请检查后重试", "Some fields are invalid"},
		"error.malformed_json":           {"请求体不是有效的 JSON", "The request body is not valid JSON"},
		"error.bad_request":              {"请求有误", "Bad request"},
		"error.bad_cursor":               {"分页游标无效", "The pagination cursor is invalid"},
		"error.unauthenticated":          {"请先登录", "Please sign in"},
		"error.forbidden":                {"您没有执行此操作的权限", "You do not have permission to do this"},
		"error.not_found":                {"未找到", "Not found"},
		"error.not_found_kind":           {"未找到该%s", "That %s was not found"},
		"error.route_not_found":          {"接口不存在", "No such endpoint"},
		"error.method_not_allowed":       {"该接口不支持此请求方法", "This method is not allowed here"},
		"error.conflict":                 {"操作与当前状态冲突", "The request conflicts with the current state"},
		"error.body_too_large":           {"请求体过大", "The request body is too large"},
		"error.unsupported_media":        {"请使用 application/json 格式提交", "Send the body as application/json"},
		"error.idempotency_mismatch":     {"相同的幂等键已用于不同的请求内容", "This Idempotency-Key was already used with a different request"},
		"error.idempotency_in_flight":    {"相同幂等键的请求正在处理中，请稍后重试", "A request with this Idempotency-Key is still in progress"},
		"error.idempotency_key_required": {"此请求需要 Idempotency-Key 请求头", "This request needs an Idempotency-Key header"},
		"error.rate_limited":             {"请求过于频繁，请稍后再试", "Too many requests, try again later"},
		"error.account_locked":           {"登录失败次数过多，账户已暂时锁定，请稍后再试", "Too many failed sign-ins; the account is locked for a while"},
		"error.cross_origin":             {"跨站请求已被拒绝", "Cross-origin request rejected"},
		"error.unavailable":              {"服务暂不可用", "Service unavailable"},
		"error.internal":                 {"服务器内部错误，请稍后重试", "Internal error, please try again"},
		"field.required":                 {"必填", "is required"},
		"field.too_long":                 {"不能超过 %d 个字符", "must be at most %d characters"},
		"field.invalid":                  {"格式不正确", "is not valid"},
		"field.unknown":                  {"不是可识别的字段", "is not a known field"},
		"field.wrong_type":               {"类型不正确", "has the wrong type"},
		"kind.resource":                  {"资源", "resource"},
	})
}
