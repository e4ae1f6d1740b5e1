package payment

import (
	"errors"
	"io"
	"net/http"

	"storeops/internal/platform"
)

// apiNotify applies a provider's notification and acknowledges it with
// "success"; an error makes the provider retry.
func (h *handlers) apiNotify(w http.ResponseWriter, r *http.Request) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return platform.E(platform.CodeTooLarge)
		}
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	if err := h.s.HandleNotification(withBase(r), r.PathValue("provider"), r.Header, body); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, err = io.WriteString(w, "success")
	return err
}
