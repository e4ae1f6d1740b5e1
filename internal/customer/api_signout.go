package customer

import "net/http"

// signOut ends the browser's session; signing out twice is fine.
func (h *handlers) signOut(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(CookieName); err == nil {
		if err := h.svc.EndSession(r.Context(), c.Value); err != nil {
			return err
		}
	}
	h.clearSession(w)
	w.WriteHeader(http.StatusNoContent)
	return nil
}
