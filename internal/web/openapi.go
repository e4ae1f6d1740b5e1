package web

import (
	"encoding"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"storeops/internal/platform"
)

// Info is the OpenAPI document's title block and the credentials the API
// accepts.
type Info struct {
	Title       string
	Version     string
	Description string
	// CustomerCookie names the storefront session cookie (routes with
	// Customer set); StaffCookie the console session cookie, which the
	// staff API accepts besides a bearer token. Empty leaves the scheme out.
	CustomerCookie string
	StaffCookie    string
}

// OpenAPI builds an OpenAPI 3.1 document from the route table: every API
// and AdminAPI route with its Doc. Request and response schemas are
// reflected from the Go values in Doc following encoding/json's rules
// (json tags, omitempty, embedded structs, pointers as nullable, ids as
// strings, times as date-time strings). Errors are problem documents
// (application/problem+json). A documented route without a Doc is an
// error, so the document can never silently miss one.
func OpenAPI(routes []Route, info Info) ([]byte, error) {
	g := &schemaGen{schemas: map[string]any{}, names: map[reflect.Type]string{}}
	problemRef := g.schema(reflect.TypeFor[Problem]())
	paths := map[string]map[string]any{}
	tags := map[string]bool{}
	for _, rt := range routes {
		if rt.Surface != API && rt.Surface != AdminAPI {
			continue
		}
		if rt.Doc == nil || rt.Doc.Summary == "" {
			return nil, fmt.Errorf("web: openapi: route %s has no Doc summary", rt.Pattern())
		}
		path, params := openAPIPath(rt.Path)
		op := g.operation(rt, params, info)
		if rt.Doc.Tag != "" {
			tags[rt.Doc.Tag] = true
		}
		if paths[path] == nil {
			paths[path] = map[string]any{}
		}
		m := strings.ToLower(rt.Method)
		if _, dup := paths[path][m]; dup {
			return nil, fmt.Errorf("web: openapi: %s %s documented twice", rt.Method, path)
		}
		paths[path][m] = op
	}
	tagList := []map[string]string{}
	for _, t := range sortedKeys(tags) {
		tagList = append(tagList, map[string]string{"name": t})
	}
	schemes := map[string]any{
		"bearerToken": map[string]any{"type": "http", "scheme": "bearer", "description": "Staff API token"},
	}
	if info.CustomerCookie != "" {
		schemes["customerSession"] = map[string]any{"type": "apiKey", "in": "cookie", "name": info.CustomerCookie}
	}
	if info.StaffCookie != "" {
		schemes["staffSession"] = map[string]any{"type": "apiKey", "in": "cookie", "name": info.StaffCookie}
	}
	doc := map[string]any{
		"openapi":           "3.1.0",
		"jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
		"info": map[string]any{
			"title":       orDefault(info.Title, "storeops API"),
			"version":     orDefault(info.Version, "dev"),
			"description": info.Description,
		},
		"tags":  tagList,
		"paths": paths,
		"components": map[string]any{
			"schemas": g.schemas,
			"responses": map[string]any{
				"Problem": map[string]any{
					"description": "An RFC 9457 problem; code is stable, title is in the request's language (Accept-Language, zh-CN by default).",
					"content":     map[string]any{"application/problem+json": map[string]any{"schema": problemRef}},
				},
			},
			"securitySchemes": schemes,
		},
	}
	return json.MarshalIndent(doc, "", "  ")
}

var pathParamRE = regexp.MustCompile(`\{([A-Za-z_][A-Za-z0-9_]*)(\.\.\.)?\}`)

// openAPIPath turns a ServeMux pattern path into an OpenAPI path and its
// parameter names ("{path...}" becomes "{path}").
func openAPIPath(p string) (string, []string) {
	var names []string
	out := pathParamRE.ReplaceAllStringFunc(p, func(m string) string {
		name := pathParamRE.FindStringSubmatch(m)[1]
		names = append(names, name)
		return "{" + name + "}"
	})
	return out, names
}

func (g *schemaGen) operation(rt Route, pathParams []string, info Info) map[string]any {
	d := rt.Doc
	op := map[string]any{
		"summary":     d.Summary,
		"operationId": operationID(rt),
	}
	if d.Description != "" {
		op["description"] = d.Description
	}
	if d.Tag != "" {
		op["tags"] = []string{d.Tag}
	}
	params := []any{}
	for _, name := range pathParams {
		params = append(params, map[string]any{"name": name, "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
	}
	for _, q := range d.Query {
		p := map[string]any{"name": q.Name, "in": "query", "required": q.Required, "schema": map[string]any{"type": "string"}}
		if q.Description != "" {
			p["description"] = q.Description
		}
		params = append(params, p)
	}
	if d.Idempotent {
		params = append(params, map[string]any{"name": "Idempotency-Key", "in": "header", "required": true,
			"description": "A unique key per intended operation; a retry with the same key and body gets the first response.",
			"schema":      map[string]any{"type": "string", "maxLength": 255}})
	}
	params = append(params, map[string]any{"name": "Accept-Language", "in": "header", "required": false,
		"description": "zh-CN (default) or en: the language of problem titles and field messages.",
		"schema":      map[string]any{"type": "string"}})
	op["parameters"] = params
	if d.Request != nil {
		op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
			"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(d.Request))},
		}}
	}
	status := d.Status
	if status == 0 {
		status = http.StatusOK
	}
	ok := map[string]any{"description": http.StatusText(status)}
	if d.Response != nil {
		ok["content"] = map[string]any{"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(d.Response))}}
	}
	problem := map[string]any{"$ref": "#/components/responses/Problem"}
	op["responses"] = map[string]any{strconv.Itoa(status): ok, "4XX": problem, "5XX": problem}
	switch {
	case rt.Surface == AdminAPI && !rt.Public:
		sec := []any{map[string]any{"bearerToken": []string{}}}
		if info.StaffCookie != "" {
			sec = append(sec, map[string]any{"staffSession": []string{}})
		}
		op["security"] = sec
	case rt.Customer && info.CustomerCookie != "":
		op["security"] = []any{map[string]any{"customerSession": []string{}}}
	default:
		op["security"] = []any{}
	}
	return op
}

var nonWord = regexp.MustCompile(`[^A-Za-z0-9]+`)

// operationID is stable and unique per method and path:
// "post_api_v1_customers_signup".
func operationID(rt Route) string {
	return strings.Trim(strings.ToLower(rt.Method)+"_"+nonWord.ReplaceAllString(rt.Path, "_"), "_")
}

// schemaGen reflects Go types into JSON Schema (draft 2020-12, as
// OpenAPI 3.1 uses), naming each struct type once in components.
type schemaGen struct {
	schemas map[string]any
	names   map[reflect.Type]string
}

var (
	timeType          = reflect.TypeFor[time.Time]()
	idType            = reflect.TypeFor[platform.ID]()
	problemType       = reflect.TypeFor[Problem]()
	jsonMarshalerType = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

func (g *schemaGen) schema(t reflect.Type) map[string]any {
	switch t {
	case timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case idType:
		return map[string]any{"type": "string", "pattern": "^[1-9][0-9]*$", "description": "64-bit id as a decimal string"}
	}
	if t.Kind() == reflect.Pointer {
		return nullable(g.schema(t.Elem()))
	}
	if t != problemType && (t.Implements(jsonMarshalerType) || reflect.PointerTo(t).Implements(jsonMarshalerType)) {
		return map[string]any{} // custom JSON: any value
	}
	if t.Implements(textMarshalerType) || reflect.PointerTo(t).Implements(textMarshalerType) {
		return map[string]any{"type": "string"}
	}
	switch t.Kind() {
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int64, reflect.Uint, reflect.Uint64, reflect.Uintptr:
		return map[string]any{"type": "integer", "format": "int64"}
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Uint8, reflect.Uint16, reflect.Uint32:
		return map[string]any{"type": "integer", "format": "int32"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 && t.Kind() == reflect.Slice {
			return map[string]any{"type": "string", "contentEncoding": "base64"}
		}
		s := map[string]any{"type": "array", "items": g.schema(t.Elem())}
		if t.Kind() == reflect.Slice {
			// encoding/json writes a nil slice as null.
			s["type"] = []string{"array", "null"}
		}
		return s
	case reflect.Map:
		return map[string]any{"type": []string{"object", "null"}, "additionalProperties": g.schema(t.Elem())}
	case reflect.Struct:
		return g.structRef(t)
	}
	return map[string]any{} // interfaces and the unrepresentable: any value
}

// structRef returns a $ref to the struct's component, generating it once;
// an anonymous struct is inlined.
func (g *schemaGen) structRef(t reflect.Type) map[string]any {
	if t.Name() == "" {
		return g.structSchema(t)
	}
	name, ok := g.names[t]
	if !ok {
		name = g.componentName(t)
		g.names[t] = name
		g.schemas[name] = map[string]any{} // placeholder for recursive types
		s := g.structSchema(t)
		if t == problemType {
			s["additionalProperties"] = true // Problem.Extra members
		}
		g.schemas[name] = s
	}
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

var componentUnsafe = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// componentName is "pkg.Type", with generic arguments folded in
// ("platform.Page-customer.Address"), unique per type.
func (g *schemaGen) componentName(t reflect.Type) string {
	name := t.Name()
	if i := strings.IndexByte(name, '['); i >= 0 {
		args := name[i+1 : len(name)-1]
		var short []string
		for _, a := range strings.Split(args, ",") {
			short = append(short, a[strings.LastIndexByte(a, '/')+1:])
		}
		name = name[:i] + "-" + strings.Join(short, "-")
	}
	pkg := t.PkgPath()
	pkg = pkg[strings.LastIndexByte(pkg, '/')+1:]
	base := componentUnsafe.ReplaceAllString(pkg+"."+name, "_")
	out := base
	for n := 2; ; n++ {
		if _, taken := g.schemas[out]; !taken {
			return out
		}
		out = base + strconv.Itoa(n)
	}
}

// structSchema lists a struct's JSON members as encoding/json writes
// them: exported fields, json tag names, "-" skipped, embedded structs
// without a tag flattened, omitempty and omitzero members optional.
func (g *schemaGen) structSchema(t reflect.Type) map[string]any {
	props := map[string]any{}
	var required []string
	g.fields(t, props, &required, map[reflect.Type]bool{})
	sort.Strings(required)
	s := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

func (g *schemaGen) fields(t reflect.Type, props map[string]any, required *[]string, seen map[reflect.Type]bool) {
	if seen[t] {
		return
	}
	seen[t] = true
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		ft := f.Type
		if f.Anonymous && name == "" {
			et := ft
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				g.fields(et, props, required, seen)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		var s map[string]any
		if hasOpt(opts, "string") && isScalar(ft) {
			s = map[string]any{"type": "string"}
		} else {
			s = g.schema(ft)
		}
		if _, dup := props[name]; dup {
			continue // the shallower field wins, as in encoding/json
		}
		props[name] = s
		if !hasOpt(opts, "omitempty") && !hasOpt(opts, "omitzero") {
			*required = append(*required, name)
		}
	}
}

func hasOpt(opts, want string) bool {
	for _, o := range strings.Split(opts, ",") {
		if o == want {
			return true
		}
	}
	return false
}

func isScalar(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64, reflect.String:
		return true
	}
	return false
}

// nullable allows null beside s.
func nullable(s map[string]any) map[string]any {
	if _, ok := s["$ref"]; ok {
		return map[string]any{"anyOf": []any{s, map[string]any{"type": "null"}}}
	}
	switch typ := s["type"].(type) {
	case string:
		s["type"] = []string{typ, "null"}
	case []string:
		if !containsStr(typ, "null") {
			s["type"] = append(typ, "null")
		}
	case nil:
		// any value already includes null
	}
	return s
}

func containsStr(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
