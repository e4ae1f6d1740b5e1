package customer

import (
	"net/http"

	"storeops/internal/web"
)

// signIn checks a login and password and starts a session. Any session
// the browser already had is ended, so a shared computer never keeps the
// previous shopper signed in.
func (h *handlers) signIn(w http.ResponseWriter, r *http.Request) error {
	var in SignInInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	c, err := h.svc.SignIn(r.Context(), in, clientIP(r))
	if err != nil {
		return withRetryAfter(w, err)
	}
	if old, err := r.Cookie(CookieName); err == nil {
		if err := h.svc.EndSession(r.Context(), old.Value); err != nil {
			return err
		}
	}
	token, _, err := h.svc.StartSession(r.Context(), c.ID, SessionMeta{IP: clientIP(r), UserAgent: r.UserAgent()})
	if err != nil {
		return err
	}
	h.setSession(w, token)
	return web.WriteJSON(w, http.StatusOK, c)
}
