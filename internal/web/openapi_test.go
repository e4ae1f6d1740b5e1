package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
	"storeops/internal/web"
)

// Every API and staff API route of the real app is in the served
// document with its method and a summary; adding a route without a Doc
// fails here.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	db := storetest.Open(t, store.SQLite, storetest.Config{})
	a, err := app.Build(context.Background(), app.Config{Dev: true}, db)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/api/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi = %q", doc.OpenAPI)
	}
	n := 0
	for _, rt := range a.Router.Routes() {
		if rt.Surface != web.API && rt.Surface != web.AdminAPI {
			continue
		}
		n++
		if rt.Doc == nil || rt.Doc.Summary == "" {
			t.Errorf("%s has no Doc with a summary", rt.Pattern())
			continue
		}
		path := strings.ReplaceAll(rt.Path, "...}", "}")
		op, ok := doc.Paths[path][strings.ToLower(rt.Method)]
		if !ok {
			t.Errorf("%s missing from the document", rt.Pattern())
			continue
		}
		if op["summary"] != rt.Doc.Summary {
			t.Errorf("%s: summary %v", rt.Pattern(), op["summary"])
		}
	}
	if n == 0 {
		t.Fatal("no API routes registered")
	}
}

func TestOpenAPIRejectsUndocumentedRoute(t *testing.T) {
	h := func(http.ResponseWriter, *http.Request) error { return nil }
	_, err := web.OpenAPI([]web.Route{{Method: "GET", Path: "/api/v1/x", Surface: web.API, Handler: h}}, web.Info{})
	if err == nil {
		t.Fatal("an API route without a Doc was accepted")
	}
}

type inner struct {
	Note string `json:"note,omitempty"`
}

type sample struct {
	inner
	ID     platform.ID       `json:"id"`
	Price  platform.Money    `json:"price"`
	At     time.Time         `json:"at"`
	Maybe  *string           `json:"maybe"`
	Tags   []string          `json:"tags,omitempty"`
	Attrs  map[string]int    `json:"attrs,omitempty"`
	Next   *sample           `json:"next,omitempty"`
	Count  int               `json:"count,string"`
	Hidden string            `json:"-"`
	Page   platform.Page[ID] `json:"page"`
	//lint:ignore U1000 an unexported field must stay out of the schema
	private int
}

// ID shadows nothing; it checks generic names stay valid component names.
type ID = platform.ID

func TestOpenAPISchemas(t *testing.T) {
	h := func(http.ResponseWriter, *http.Request) error { return nil }
	b, err := web.OpenAPI([]web.Route{{Method: "PUT", Path: "/api/v1/things/{id}", Surface: web.AdminAPI, Perm: "x", Handler: h,
		Doc: &web.OpenAPIOp{Summary: "Put a thing", Tag: "things", Request: sample{}, Response: &sample{}, Idempotent: true,
			Query: []web.QueryParam{{Name: "q"}}}}}, web.Info{CustomerCookie: "c"})
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	s, ok := schemas["web_test.sample"].(map[string]any)
	if !ok {
		t.Fatalf("no sample schema in %v", keys(schemas))
	}
	props := s["properties"].(map[string]any)
	want := map[string]string{
		"id":    `{"description":"64-bit id as a decimal string","pattern":"^[1-9][0-9]*$","type":"string"}`,
		"price": `{"format":"int64","type":"integer"}`,
		"at":    `{"format":"date-time","type":"string"}`,
		"maybe": `{"type":["string","null"]}`,
		"tags":  `{"items":{"type":"string"},"type":["array","null"]}`,
		"count": `{"type":"string"}`,
		"note":  `{"type":"string"}`,
		"next":  `{"anyOf":[{"$ref":"#/components/schemas/web_test.sample"},{"type":"null"}]}`,
	}
	for name, js := range want {
		got, _ := json.Marshal(props[name])
		if string(got) != js {
			t.Errorf("%s: %s, want %s", name, got, js)
		}
	}
	for _, absent := range []string{"Hidden", "private", "inner", "-"} {
		if _, ok := props[absent]; ok {
			t.Errorf("%s should not be a property", absent)
		}
	}
	req, _ := json.Marshal(s["required"])
	if string(req) != `["at","count","id","maybe","page","price"]` {
		t.Errorf("required = %s", req)
	}
	if _, ok := schemas["platform.Page-platform.ID"]; !ok {
		t.Errorf("generic component name: %v", keys(schemas))
	}
	op := doc["paths"].(map[string]any)["/api/v1/things/{id}"].(map[string]any)["put"].(map[string]any)
	params, _ := json.Marshal(op["parameters"])
	for _, p := range []string{`"name":"id","required":true`, `"in":"query","name":"q"`, `"name":"Idempotency-Key"`} {
		if !strings.Contains(string(params), p) {
			t.Errorf("parameters %s lack %s", params, p)
		}
	}
	sec, _ := json.Marshal(op["security"])
	if !strings.Contains(string(sec), "bearerToken") {
		t.Errorf("security = %s", sec)
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
