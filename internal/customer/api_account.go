package customer

import (
	"net/http"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/web"
)

// sendCode sends a sign-in code by SMS.
func (h *handlers) sendCode(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Mobile string `json:"mobile"`
	}
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	sent, err := h.svc.SendCode(r.Context(), in.Mobile, clientIP(r))
	if err != nil {
		return withRetryAfter(w, err)
	}
	return web.WriteJSON(w, http.StatusAccepted, sent)
}

// signInCode signs in (or up) with a mobile number and its code.
func (h *handlers) signInCode(w http.ResponseWriter, r *http.Request) error {
	var in CodeSignInInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	c, created, err := h.svc.SignInWithCode(r.Context(), in, clientIP(r))
	if err != nil {
		return withRetryAfter(w, err)
	}
	if err := h.replaceSession(w, r, c.ID); err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	return web.WriteJSON(w, status, c)
}

// replaceSession ends the browser's previous session, if any, and starts
// one for id.
func (h *handlers) replaceSession(w http.ResponseWriter, r *http.Request, id platform.ID) error {
	if old, err := r.Cookie(CookieName); err == nil {
		if err := h.svc.EndSession(r.Context(), old.Value); err != nil {
			return err
		}
	}
	token, _, err := h.svc.StartSession(r.Context(), id, SessionMeta{IP: clientIP(r), UserAgent: r.UserAgent()})
	if err != nil {
		return err
	}
	h.setSession(w, token)
	return nil
}

// requestReset emails a reset link; the answer never says whether the
// address is registered.
func (h *handlers) requestReset(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Email string `json:"email"`
	}
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if err := h.svc.RequestPasswordReset(r.Context(), in.Email, clientIP(r), requestBase(r)); err != nil {
		return withRetryAfter(w, err)
	}
	w.WriteHeader(http.StatusAccepted)
	return nil
}

// confirmReset sets a new password with a reset token.
func (h *handlers) confirmReset(w http.ResponseWriter, r *http.Request) error {
	var in ResetInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if _, err := h.svc.ResetPassword(r.Context(), in); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *handlers) profile(w http.ResponseWriter, r *http.Request) error {
	p, err := h.svc.Profile(r.Context(), customerID(r))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return web.WriteJSON(w, http.StatusOK, p)
}

func (h *handlers) updateProfile(w http.ResponseWriter, r *http.Request) error {
	var in ProfileInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	p, err := h.svc.UpdateProfile(r.Context(), customerID(r), in)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, p)
}

func (h *handlers) setConsent(w http.ResponseWriter, r *http.Request) error {
	var in ConsentInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	c, err := h.svc.SetConsent(r.Context(), customerID(r), in, "api")
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, c)
}

// export downloads everything the shop holds about the customer.
func (h *handlers) export(w http.ResponseWriter, r *http.Request) error {
	x, err := h.svc.Export(r.Context(), customerID(r))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Disposition", `attachment; filename="my-data.json"`)
	return web.WriteJSON(w, http.StatusOK, x)
}

// deleteAccount deletes the signed-in account and signs the browser out.
func (h *handlers) deleteAccount(w http.ResponseWriter, r *http.Request) error {
	var in DeleteInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if err := h.svc.Delete(r.Context(), audit.ActorFrom(r), customerID(r), in); err != nil {
		return err
	}
	h.clearSession(w)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// requestBase is the scheme and host the request came to, for links in
// email when no public address is configured.
func requestBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
