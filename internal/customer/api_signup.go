package customer

import (
	"net/http"

	"storeops/internal/web"
)

// signUp creates an account and signs it in.
func (h *handlers) signUp(w http.ResponseWriter, r *http.Request) error {
	var in SignUpInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	c, err := h.svc.SignUp(r.Context(), in, clientIP(r))
	if err != nil {
		return withRetryAfter(w, err)
	}
	token, _, err := h.svc.StartSession(r.Context(), c.ID, SessionMeta{IP: clientIP(r), UserAgent: r.UserAgent()})
	if err != nil {
		return err
	}
	h.setSession(w, token)
	return web.WriteJSON(w, http.StatusCreated, c)
}
