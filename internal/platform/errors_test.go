package platform

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestCodeStatus(t *testing.T) {
	tests := map[Code]int{
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
		CodeCrossOrigin:         http.StatusForbidden,
		CodeUnavailable:         http.StatusServiceUnavailable,
		CodeInternal:            http.StatusInternalServerError,
		Code("no_such_code"):    http.StatusInternalServerError,
	}
	for code, want := range tests {
		if got := code.Status(); got != want {
			t.Errorf("%s.Status() = %d, want %d", code, got, want)
		}
	}
}

func TestNewCode(t *testing.T) {
	c := NewCode("test_out_of_stock", http.StatusConflict, Message{"库存不足", "Out of stock"})
	if c.Status() != http.StatusConflict || E(c).Message(EN) != "Out of stock" || E(c).Message(ZH) != "库存不足" {
		t.Fatalf("NewCode: status %d, messages %q / %q", c.Status(), E(c).Message(ZH), E(c).Message(EN))
	}
	defer func() {
		if recover() == nil {
			t.Fatal("declaring a code twice did not panic")
		}
	}()
	NewCode(CodeConflict, http.StatusTeapot, Message{"x", "x"})
}

func TestErrorChain(t *testing.T) {
	cause := errors.New("disk on fire")
	err := fmt.Errorf("order: place: %w", E(CodeConflict).Wrap(cause))
	if ErrorCode(err) != CodeConflict {
		t.Fatalf("ErrorCode = %s, want %s", ErrorCode(err), CodeConflict)
	}
	if !errors.Is(err, cause) {
		t.Fatal("the cause is not reachable with errors.Is")
	}
	if !strings.Contains(err.Error(), "disk on fire") {
		t.Fatalf("Error() = %q hides the cause from logs", err.Error())
	}
	if msg := AsError(err).Message(ZH); strings.Contains(msg, "disk") {
		t.Fatalf("client message %q leaks the cause", msg)
	}
	plain := errors.New("boom")
	if e := AsError(plain); e.Code != CodeInternal || !errors.Is(e, plain) {
		t.Fatalf("AsError(plain) = %+v", e)
	}
	if ErrorCode(nil) != "" {
		t.Fatal("ErrorCode(nil) is not empty")
	}
	inv := Invalid("name", "field.required").With("price", "field.invalid")
	if inv.Code != CodeInvalid || len(inv.Fields) != 2 || inv.Fields[1].Field != "price" {
		t.Fatalf("Invalid().With() = %+v", inv)
	}
	if got := Errorf(CodeNotFound, "error.not_found_kind", Key("kind.resource")).Message(EN); got != "That resource was not found" {
		t.Fatalf("Errorf message = %q", got)
	}
}
