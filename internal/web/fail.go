package web

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"

	"storeops/internal/platform"
)

// Problem is an RFC 9457 problem document with the stable code and the
// field errors, in the request's language.
type Problem struct {
	Type      string         `json:"type"`
	Title     string         `json:"title"`
	Status    int            `json:"status"`
	Code      platform.Code  `json:"code"`
	Detail    string         `json:"detail,omitempty"`
	Instance  string         `json:"instance,omitempty"`
	RequestID string         `json:"request_id,omitempty"`
	Errors    []ProblemField `json:"errors,omitempty"`
	Extra     map[string]any `json:"-"`
}

// ProblemField is one invalid field.
type ProblemField struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// MarshalJSON puts Extra members beside the standard ones.
func (p Problem) MarshalJSON() ([]byte, error) {
	type plain Problem
	b, err := json.Marshal(plain(p))
	if err != nil || len(p.Extra) == 0 {
		return b, err
	}
	m := map[string]any{}
	_ = json.Unmarshal(b, &m)
	for k, v := range p.Extra {
		if _, taken := m[k]; !taken {
			m[k] = v
		}
	}
	return json.Marshal(m)
}

// ProblemOf builds the problem for err in lang.
func ProblemOf(err error, lang platform.Lang) Problem {
	e := platform.AsError(err)
	p := Problem{
		Type:   "urn:storeops:problem:" + string(e.Code),
		Title:  e.Message(lang),
		Status: e.Code.Status(),
		Code:   e.Code,
		Extra:  e.Extra,
	}
	for _, f := range e.Fields {
		p.Errors = append(p.Errors, ProblemField{Field: f.Field, Message: platform.T(lang, f.Key, f.Args...)})
	}
	return p
}

// Fail is the one place an error becomes a response. Application errors
// render with their code and status; anything else is logged once with the
// request id and shown as a generic internal error. Staff pages answer an
// unauthenticated request with a redirect to the sign-in page.
func Fail(w http.ResponseWriter, r *http.Request, err error) {
	e := platform.AsError(err)
	info := infoFrom(r.Context())
	lang := LangOf(r)
	status := e.Code.Status()
	if status >= 500 {
		log := slog.Default()
		if info != nil && info.log != nil {
			log = info.log
		}
		log.ErrorContext(r.Context(), "request failed", "err", err, "method", r.Method, "path", r.URL.Path, "request_id", RequestID(r.Context()))
	}
	surface := surfaceOfPath(r.URL.Path)
	if info != nil && info.surface != "" {
		surface = info.surface
	}
	if info != nil {
		info.errCode = e.Code
	}
	if surface == Console && e.Code == platform.CodeUnauthenticated {
		target := "/console/login?next=" + url.QueryEscape(r.URL.RequestURI())
		if r.Header.Get("HX-Request") != "" {
			w.Header().Set("HX-Redirect", target)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		http.Redirect(w, r, target, http.StatusSeeOther)
		return
	}
	if surface.JSON() || wantsJSON(r) || info == nil || info.htmlError == nil {
		p := ProblemOf(e, lang)
		p.Instance = r.URL.Path
		p.RequestID = RequestID(r.Context())
		w.Header().Set("Content-Type", "application/problem+json")
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Content-Language", string(lang))
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(p)
		return
	}
	info.htmlError(w, r, surface, status, e)
}

func wantsJSON(r *http.Request) bool {
	accept := r.Header.Get("Accept")
	return accept == "application/json" || accept == "application/problem+json"
}
