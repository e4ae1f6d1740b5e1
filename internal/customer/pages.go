package customer

import (
	"net/http"
	"net/url"
	"strings"

	"storeops/internal/platform"
	"storeops/internal/web"
)

// pageRoutes are the storefront's sign-in, sign-up and sign-out pages;
// the API routes do the same for apps.
func (h *handlers) pageRoutes() []web.Route {
	return []web.Route{
		{Method: http.MethodGet, Path: "/signin", Surface: web.Shop, Handler: h.signInPage},
		{Method: http.MethodPost, Path: "/signin", Surface: web.Shop, Handler: h.signInForm},
		{Method: http.MethodGet, Path: "/signup", Surface: web.Shop, Handler: h.signUpPage},
		{Method: http.MethodPost, Path: "/signup", Surface: web.Shop, Handler: h.signUpForm},
		{Method: http.MethodPost, Path: "/signout", Surface: web.Shop, Handler: h.signOutForm},
		{Method: http.MethodPost, Path: "/addresses", Surface: web.Shop, Handler: h.addressForm},
	}
}

// AccountForm is the sign-in or sign-up page.
type AccountForm struct {
	SignUp bool
	Login  string
	Email  string
	Mobile string
	Name   string
	Next   string
	// Error is the problem to show, already in the page's language.
	Error string
	// Notice is a message key to show above the form (after a reset).
	Notice string
	Fields map[string]string
}

// SafeNext keeps a ?next= redirect on this site: a path starting with one
// slash, else the home page.
func SafeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || len(next) > 500 {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}

func (h *handlers) signInPage(w http.ResponseWriter, r *http.Request) error {
	f := AccountForm{Next: SafeNext(r.URL.Query().Get("next"))}
	if r.URL.Query().Get("reset") == "1" {
		f.Notice = "acct.reset_done"
	}
	return h.accountPage(w, r, http.StatusOK, f)
}

func (h *handlers) signUpPage(w http.ResponseWriter, r *http.Request) error {
	return h.accountPage(w, r, http.StatusOK, AccountForm{SignUp: true, Next: SafeNext(r.URL.Query().Get("next"))})
}

func (h *handlers) accountPage(w http.ResponseWriter, r *http.Request, status int, f AccountForm) error {
	w.Header().Set("Cache-Control", "no-store")
	return h.rd.Render(w, r, status, "account/account", f)
}

// formError shows err on the form again with the status it deserves; an
// internal error goes to the error page.
func (h *handlers) formError(w http.ResponseWriter, r *http.Request, f AccountForm, err error) error {
	e := platform.AsError(err)
	if e.Code == platform.CodeInternal {
		return err
	}
	_ = withRetryAfter(w, err)
	lang := web.LangOf(r)
	f.Error = e.Message(lang)
	f.Fields = map[string]string{}
	for _, fe := range e.Fields {
		f.Fields[fe.Field] = platform.T(lang, fe.Key, fe.Args...)
	}
	return h.accountPage(w, r, e.Code.Status(), f)
}

func (h *handlers) signInForm(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	f := AccountForm{Login: r.PostFormValue("login"), Next: SafeNext(r.PostFormValue("next"))}
	c, err := h.svc.SignIn(r.Context(), SignInInput{Login: f.Login, Password: r.PostFormValue("password")}, clientIP(r))
	if err != nil {
		return h.formError(w, r, f, err)
	}
	if old, err := r.Cookie(CookieName); err == nil {
		if err := h.svc.EndSession(r.Context(), old.Value); err != nil {
			return err
		}
	}
	return h.startAndGo(w, r, c.ID, f.Next)
}

func (h *handlers) signUpForm(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	f := AccountForm{SignUp: true, Email: r.PostFormValue("email"), Mobile: r.PostFormValue("mobile"), Name: r.PostFormValue("name"),
		Next: SafeNext(r.PostFormValue("next"))}
	var marketing []string
	for _, ch := range Channels {
		if r.PostFormValue("marketing_"+ch) != "" {
			marketing = append(marketing, ch)
		}
	}
	c, err := h.svc.SignUp(r.Context(), SignUpInput{Email: f.Email, Mobile: f.Mobile, Name: f.Name, Password: r.PostFormValue("password"),
		Marketing: marketing}, clientIP(r))
	if err != nil {
		return h.formError(w, r, f, err)
	}
	return h.startAndGo(w, r, c.ID, f.Next)
}

func (h *handlers) startAndGo(w http.ResponseWriter, r *http.Request, id platform.ID, next string) error {
	token, _, err := h.svc.StartSession(r.Context(), id, SessionMeta{IP: clientIP(r), UserAgent: r.UserAgent()})
	if err != nil {
		return err
	}
	h.setSession(w, token)
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (h *handlers) signOutForm(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(CookieName); err == nil {
		if err := h.svc.EndSession(r.Context(), c.Value); err != nil {
			return err
		}
	}
	h.clearSession(w)
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}
