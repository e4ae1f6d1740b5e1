package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"storeops/internal/platform"
)

// DecodeJSON reads one JSON object from the request body into v. It
// insists on a JSON content type, rejects unknown fields and trailing data,
// and turns every failure into a client problem: 415 for a wrong content
// type, 413 past the body limit, 400 for malformed JSON, 422 naming the
// field for a wrong type or an unknown field.
func DecodeJSON(r *http.Request, v any) error {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return platform.E(platform.CodeUnsupportedMedia)
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return platform.E(platform.CodeTooLarge)
		}
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	return DecodeJSONBytes(body, v)
}

// DecodeJSONBytes is DecodeJSON's parser, separate so it can be fuzzed.
func DecodeJSONBytes(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return platform.E(platform.CodeMalformedJSON)
	}
	// A NUL escape is valid JSON but no text column can keep it.
	if bytes.Contains(body, []byte(`\u0000`)) {
		return platform.Errorf(platform.CodeBadRequest, "error.nul_char")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &typeErr):
			field := typeErr.Field
			if field == "" {
				field = "body"
			}
			return platform.Invalid(field, "field.wrong_type")
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return platform.Invalid(field, "field.unknown")
		}
		return platform.E(platform.CodeMalformedJSON).Wrap(err)
	}
	if dec.More() {
		return platform.E(platform.CodeMalformedJSON)
	}
	var rest json.RawMessage
	if err := dec.Decode(&rest); err != io.EOF {
		return platform.E(platform.CodeMalformedJSON)
	}
	return nil
}

// WriteJSON writes v as JSON with status.
func WriteJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(v)
}

// PathID reads a path value as an id; a malformed one is a 404 of kind.
func PathID(r *http.Request, name, kind string) (platform.ID, error) {
	id, err := platform.ParseID(r.PathValue(name))
	if err != nil {
		return 0, platform.NotFound(kind)
	}
	return id, nil
}

// PageOf reads ?cursor=&limit=.
func PageOf(r *http.Request) (platform.PageRequest, error) {
	q := r.URL.Query()
	return platform.ParsePage(q.Get("cursor"), q.Get("limit"))
}
