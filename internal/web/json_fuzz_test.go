package web_test

import (
	"errors"
	"testing"
	"time"

	"storeops/internal/platform"
	"storeops/internal/web"
)

// fuzzBody is a representative request body: ids, money, nested
// structs, slices, maps, pointers and times.
type fuzzBody struct {
	ID       platform.ID       `json:"id"`
	Name     string            `json:"name"`
	Price    platform.Money    `json:"price"`
	Qty      int               `json:"qty,omitempty"`
	Note     *string           `json:"note"`
	Tags     []string          `json:"tags"`
	Attrs    map[string]string `json:"attrs"`
	At       time.Time         `json:"at"`
	Lines    []fuzzLine        `json:"lines"`
	Accepted bool              `json:"accepted"`
}

type fuzzLine struct {
	SKU string      `json:"sku"`
	Qty int32       `json:"qty"`
	Ref platform.ID `json:"ref,omitempty"`
}

// DecodeJSONBytes never panics, and every failure is an application
// error with a 4xx status, never an internal one.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{
		`{"id":"251434735937523712","name":"茶","price":1999,"tags":["a"],"attrs":{"k":"v"},"at":"2026-11-25T12:00:00Z","lines":[{"sku":"X","qty":2}]}`,
		`{"id":12}`, `{"id":"-1"}`, `{"id":"abc"}`, `{"qty":1e99}`, `{"price":"12"}`, `{"at":"yesterday"}`,
		`{"unknown":1}`, `{}`, `[]`, `null`, ``, ` `, `{`, `{}{}`, `{} x`, `"str"`, `{"lines":[{"qty":4294967296}]}`,
		`{"note":null,"tags":null}`, "\xff\xfe", `{"name":"\ud800"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var v fuzzBody
		err := web.DecodeJSONBytes(body, &v)
		if err == nil {
			return
		}
		var e *platform.Error
		if !errors.As(err, &e) {
			t.Fatalf("%q: error %T %v is not a *platform.Error", body, err, err)
		}
		if s := e.Code.Status(); s < 400 || s >= 500 {
			t.Fatalf("%q: code %s has status %d", body, e.Code, s)
		}
	})
}
