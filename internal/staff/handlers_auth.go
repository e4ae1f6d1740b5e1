package staff

import (
	"net/http"
	"strconv"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/web"
)

type handlers struct {
	s  *Service
	rd *web.Renderer
}

// LoginData is the sign-in page's view data.
type LoginData struct {
	Email string
	Next  string
	Error string
}

func (h *handlers) loginPage(w http.ResponseWriter, r *http.Request) error {
	next := web.LocalPath(r.URL.Query().Get("next"), "/console")
	if web.PrincipalFrom(r.Context()).IsStaff() {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	return h.rd.Render(w, r, http.StatusOK, "staff/login", LoginData{Next: next})
}

// login checks the form's credentials; a failure re-renders the form with
// one message that never says whether the email exists.
func (h *handlers) login(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	data := LoginData{Email: r.PostForm.Get("email"), Next: web.LocalPath(r.PostForm.Get("next"), "/console")}
	u, err := h.s.Login(r.Context(), Credentials{Email: data.Email, Password: r.PostForm.Get("password"), IP: audit.ClientIP(r)})
	if err != nil {
		e := platform.AsError(err)
		switch e.Code {
		case CodeInvalidCredentials, platform.CodeLocked, platform.CodeRateLimited:
		default:
			return err
		}
		if secs := RetryAfter(e); secs > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(secs))
		}
		data.Error = e.Message(web.LangOf(r))
		return h.rd.Render(w, r, e.Code.Status(), "staff/login", data)
	}
	if err := h.s.startSession(w, r, u); err != nil {
		return err
	}
	h.s.log.InfoContext(r.Context(), "staff signed in", "staff_id", u.ID, "ip", audit.ClientIP(r), "request_id", web.RequestID(r.Context()))
	http.Redirect(w, r, data.Next, http.StatusSeeOther)
	return nil
}

func (h *handlers) logout(w http.ResponseWriter, r *http.Request) error {
	if err := h.s.endSession(w, r); err != nil {
		return err
	}
	http.Redirect(w, r, "/console/login", http.StatusSeeOther)
	return nil
}

// Me is the caller as /api/v1/me returns it.
type Me struct {
	StaffID    platform.ID   `json:"staff_id,omitempty"`
	Role       platform.Role `json:"role,omitempty"`
	Name       string        `json:"name,omitempty"`
	Email      string        `json:"email,omitempty"`
	CustomerID platform.ID   `json:"customer_id,omitempty"`
	Via        string        `json:"via,omitempty"`
}

func (h *handlers) me(w http.ResponseWriter, r *http.Request) error {
	p := web.PrincipalFrom(r.Context())
	if p == nil || (!p.IsStaff() && p.CustomerID == 0) {
		return platform.E(platform.CodeUnauthenticated)
	}
	return web.WriteJSON(w, http.StatusOK, Me{StaffID: p.StaffID, Role: p.Role, Name: p.Name, Email: p.Email, CustomerID: p.CustomerID, Via: p.Via})
}

func (h *handlers) apiList(w http.ResponseWriter, r *http.Request) error {
	f, err := filterOf(r)
	if err != nil {
		return err
	}
	page, err := h.s.List(r.Context(), f)
	if err != nil {
		return err
	}
	p := web.PrincipalFrom(r.Context())
	for i := range page.Items {
		page.Items[i].Email = Email(p, page.Items[i].Email)
		page.Items[i].Mobile = Phone(p, page.Items[i].Mobile)
	}
	return web.WriteJSON(w, http.StatusOK, page)
}

// filterOf reads ?department=&role=&cursor=&limit=; unknown values are
// field errors.
func filterOf(r *http.Request) (Filter, error) {
	q := r.URL.Query()
	var f Filter
	if v := q.Get("department"); v != "" {
		d := Department(v)
		if !d.Valid() {
			return f, platform.Invalid("department", "field.invalid")
		}
		f.Department = &d
	}
	if v := q.Get("role"); v != "" {
		ro := platform.Role(v)
		if !ro.Valid() {
			return f, platform.Invalid("role", "field.invalid")
		}
		f.Role = &ro
	}
	page, err := web.PageOf(r)
	if err != nil {
		return f, err
	}
	f.Page = page
	return f, nil
}
