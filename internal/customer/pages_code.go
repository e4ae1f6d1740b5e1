package customer

import (
	"net/http"
	"net/url"

	"storeops/internal/platform"
)

// CodeData is the sign-in-by-code page and the password pages.
type CodeData struct {
	Mobile string
	Email  string
	Token  string
	Next   string
	Sent   bool
	Done   bool
	Error  string
	Fields map[string]string
}

func (h *handlers) codePage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	return h.renderPage(w, r, http.StatusOK, "account/code", CodeData{Mobile: q.Get("mobile"), Sent: q.Get("sent") == "1", Next: SafeNext(q.Get("next"))})
}

func (h *handlers) renderPage(w http.ResponseWriter, r *http.Request, status int, page string, d CodeData) error {
	w.Header().Set("Cache-Control", "no-store")
	return h.rd.Render(w, r, status, page, d)
}

// formFail shows the page again with err, or returns an internal error.
func (h *handlers) formFail(w http.ResponseWriter, r *http.Request, page string, d CodeData, err error) error {
	_ = withRetryAfter(w, err)
	msg, fields, status, ierr := pageError(r, err)
	if ierr != nil {
		return ierr
	}
	d.Error, d.Fields = msg, fields
	return h.renderPage(w, r, status, page, d)
}

func (h *handlers) codeSendForm(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	d := CodeData{Mobile: r.PostFormValue("mobile"), Next: SafeNext(r.PostFormValue("next"))}
	if _, err := h.svc.SendCode(r.Context(), d.Mobile, clientIP(r)); err != nil {
		return h.formFail(w, r, "account/code", d, err)
	}
	http.Redirect(w, r, "/signin/code?sent=1&mobile="+url.QueryEscape(d.Mobile)+"&next="+url.QueryEscape(d.Next), http.StatusSeeOther)
	return nil
}

func (h *handlers) codeSignInForm(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	d := CodeData{Mobile: r.PostFormValue("mobile"), Next: SafeNext(r.PostFormValue("next")), Sent: true}
	c, _, err := h.svc.SignInWithCode(r.Context(), CodeSignInInput{Mobile: d.Mobile, Code: r.PostFormValue("code")}, clientIP(r))
	if err != nil {
		return h.formFail(w, r, "account/code", d, err)
	}
	if err := h.replaceSession(w, r, c.ID); err != nil {
		return err
	}
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
	return nil
}

func (h *handlers) forgotPage(w http.ResponseWriter, r *http.Request) error {
	return h.renderPage(w, r, http.StatusOK, "account/forgot", CodeData{})
}

func (h *handlers) forgotForm(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	d := CodeData{Email: r.PostFormValue("email")}
	if err := h.svc.RequestPasswordReset(r.Context(), d.Email, clientIP(r), requestBase(r)); err != nil {
		return h.formFail(w, r, "account/forgot", d, err)
	}
	d.Done = true
	return h.renderPage(w, r, http.StatusOK, "account/forgot", d)
}

func (h *handlers) resetPage(w http.ResponseWriter, r *http.Request) error {
	// The token stays out of the Referer of anything the page loads.
	w.Header().Set("Referrer-Policy", "no-referrer")
	return h.renderPage(w, r, http.StatusOK, "account/reset", CodeData{Token: r.URL.Query().Get("token")})
}

func (h *handlers) resetForm(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	d := CodeData{Token: r.PostFormValue("token")}
	if _, err := h.svc.ResetPassword(r.Context(), ResetInput{Token: d.Token, Password: r.PostFormValue("password")}); err != nil {
		return h.formFail(w, r, "account/reset", d, err)
	}
	h.clearSession(w)
	http.Redirect(w, r, "/signin?reset=1", http.StatusSeeOther)
	return nil
}
