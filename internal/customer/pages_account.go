package customer

import (
	"net/http"
	"net/url"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/web"
)

// accountPageRoutes are the storefront's account pages: the account
// (profile, consent, security, export, deletion), the address book,
// sign-in by code and the password reset pages. Forms are plain POSTs
// protected by the app's cross-origin check.
func (h *handlers) accountPageRoutes() []web.Route {
	return []web.Route{
		{Method: http.MethodGet, Path: "/account", Surface: web.Shop, Handler: h.accountHome},
		{Method: http.MethodPost, Path: "/account/profile", Surface: web.Shop, Handler: h.profileForm},
		{Method: http.MethodPost, Path: "/account/consents", Surface: web.Shop, Handler: h.consentForm},
		{Method: http.MethodPost, Path: "/account/sessions/end", Surface: web.Shop, Handler: h.endSessionsForm},
		{Method: http.MethodGet, Path: "/account/export", Surface: web.Shop, Handler: h.exportDownload},
		{Method: http.MethodPost, Path: "/account/delete", Surface: web.Shop, Handler: h.deleteForm},
		{Method: http.MethodGet, Path: "/account/addresses", Surface: web.Shop, Handler: h.addressesPage},
		{Method: http.MethodPost, Path: "/account/addresses", Surface: web.Shop, Handler: h.addressAddForm},
		{Method: http.MethodPost, Path: "/account/addresses/{id}/default", Surface: web.Shop, Handler: h.addressDefaultForm},
		{Method: http.MethodPost, Path: "/account/addresses/{id}/delete", Surface: web.Shop, Handler: h.addressDeleteForm},
		{Method: http.MethodGet, Path: "/signin/code", Surface: web.Shop, Handler: h.codePage},
		{Method: http.MethodPost, Path: "/signin/code/send", Surface: web.Shop, Handler: h.codeSendForm},
		{Method: http.MethodPost, Path: "/signin/code", Surface: web.Shop, Handler: h.codeSignInForm},
		{Method: http.MethodGet, Path: "/password/forgot", Surface: web.Shop, Handler: h.forgotPage},
		{Method: http.MethodPost, Path: "/password/forgot", Surface: web.Shop, Handler: h.forgotForm},
		{Method: http.MethodGet, Path: "/password/reset", Surface: web.Shop, Handler: h.resetPage},
		{Method: http.MethodPost, Path: "/password/reset", Surface: web.Shop, Handler: h.resetForm},
	}
}

// AccountData is the account page.
type AccountData struct {
	Profile  *Profile
	Consent  map[string]Consent
	Done     string
	Error    string
	Fields   map[string]string
	Sessions int
}

// signedIn returns the customer of the request, or sends the browser to
// the sign-in page and returns 0.
func signedIn(w http.ResponseWriter, r *http.Request, next string) platform.ID {
	id := customerID(r)
	if id == 0 {
		http.Redirect(w, r, "/signin?next="+url.QueryEscape(next), http.StatusSeeOther)
	}
	return id
}

func (h *handlers) accountHome(w http.ResponseWriter, r *http.Request) error {
	id := signedIn(w, r, "/account")
	if id == 0 {
		return nil
	}
	done := r.URL.Query().Get("done")
	switch done {
	case "profile", "consents", "sessions", "reset":
	default:
		done = ""
	}
	return h.renderAccount(w, r, id, http.StatusOK, AccountData{Done: done})
}

func (h *handlers) renderAccount(w http.ResponseWriter, r *http.Request, id platform.ID, status int, d AccountData) error {
	p, err := h.svc.Profile(r.Context(), id)
	if err != nil {
		return err
	}
	d.Profile, d.Consent = p, map[string]Consent{}
	for _, c := range p.Consents {
		d.Consent[c.Channel] = c
	}
	if err := h.svc.db.R.QueryRowContext(r.Context(), `SELECT COUNT(*) FROM customer_sessions WHERE customer_id = $1`, id).Scan(&d.Sessions); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return h.rd.Render(w, r, status, "account/home", d)
}

// pageError fills a form's error message and field errors; an internal
// error is returned for the error page.
func pageError(r *http.Request, err error) (string, map[string]string, int, error) {
	e := platform.AsError(err)
	if e.Code == platform.CodeInternal {
		return "", nil, 0, err
	}
	lang := web.LangOf(r)
	fields := map[string]string{}
	for _, fe := range e.Fields {
		fields[fe.Field] = platform.T(lang, fe.Key, fe.Args...)
	}
	return e.Message(lang), fields, e.Code.Status(), nil
}

func (h *handlers) profileForm(w http.ResponseWriter, r *http.Request) error {
	id := signedIn(w, r, "/account")
	if id == 0 {
		return nil
	}
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	f := r.PostForm
	_, err := h.svc.UpdateProfile(r.Context(), id, ProfileInput{Name: f.Get("name"), Gender: f.Get("gender"), Birthday: f.Get("birthday"), Lang: f.Get("lang")})
	if err != nil {
		msg, fields, status, ierr := pageError(r, err)
		if ierr != nil {
			return ierr
		}
		return h.renderAccount(w, r, id, status, AccountData{Error: msg, Fields: fields})
	}
	http.Redirect(w, r, "/account?done=profile", http.StatusSeeOther)
	return nil
}

func (h *handlers) consentForm(w http.ResponseWriter, r *http.Request) error {
	id := signedIn(w, r, "/account")
	if id == 0 {
		return nil
	}
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	p, err := h.svc.Profile(r.Context(), id)
	if err != nil {
		return err
	}
	// Only a channel whose box changed gets a new consent row.
	for _, c := range p.Consents {
		want := r.PostForm.Get(c.Channel) != ""
		if want == c.Granted && c.At != nil {
			continue
		}
		if !want && c.At == nil {
			continue
		}
		if _, err := h.svc.SetConsent(r.Context(), id, ConsentInput{Channel: c.Channel, Granted: want}, "account_page"); err != nil {
			return err
		}
	}
	http.Redirect(w, r, "/account?done=consents", http.StatusSeeOther)
	return nil
}

// endSessionsForm signs every other device out.
func (h *handlers) endSessionsForm(w http.ResponseWriter, r *http.Request) error {
	id := signedIn(w, r, "/account")
	if id == 0 {
		return nil
	}
	keep := ""
	if p := web.PrincipalFrom(r.Context()); p != nil {
		keep = p.SessionID
	}
	if err := h.svc.EndOtherSessions(r.Context(), id, keep); err != nil {
		return err
	}
	http.Redirect(w, r, "/account?done=sessions", http.StatusSeeOther)
	return nil
}

func (h *handlers) exportDownload(w http.ResponseWriter, r *http.Request) error {
	if signedIn(w, r, "/account") == 0 {
		return nil
	}
	return h.export(w, r)
}

func (h *handlers) deleteForm(w http.ResponseWriter, r *http.Request) error {
	id := signedIn(w, r, "/account")
	if id == 0 {
		return nil
	}
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	err := h.svc.Delete(r.Context(), audit.ActorFrom(r), id, DeleteInput{Confirm: r.PostForm.Get("confirm")})
	if err != nil {
		msg, fields, status, ierr := pageError(r, err)
		if ierr != nil {
			return ierr
		}
		return h.renderAccount(w, r, id, status, AccountData{Error: msg, Fields: fields})
	}
	h.clearSession(w)
	http.Redirect(w, r, "/?deleted=1", http.StatusSeeOther)
	return nil
}
