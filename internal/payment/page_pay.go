package payment

import (
	"net/http"
	"net/url"

	"storeops/internal/platform"
	"storeops/internal/web"
)

// payPage is the storefront's "pay now" button on an unpaid order: it
// opens (or reuses) the order's online payment and sends the shopper to
// the provider's pay page, which brings them back to the order.
func (h *handlers) payPage(w http.ResponseWriter, r *http.Request) error {
	p := web.PrincipalFrom(r.Context())
	if p == nil || p.CustomerID == 0 {
		http.Redirect(w, r, "/signin?next="+url.QueryEscape("/orders/"+r.PathValue("id")), http.StatusSeeOther)
		return nil
	}
	id, err := web.PathID(r, "id", "order")
	if err != nil {
		return err
	}
	provider := h.s.OnlineProvider()
	if provider == "" {
		return platform.E(CodeProviderUnavailable)
	}
	base := baseURL(r)
	res, err := h.s.Start(withBase(r), StartInput{OrderID: id, Provider: provider, CustomerID: p.CustomerID,
		NotifyURL: base + "/api/v1/payment-notifications/" + url.PathEscape(provider),
		ReturnURL: base + "/orders/" + id.String() + "?paid=1"})
	if err != nil {
		return err
	}
	if res.RedirectURL == "" {
		http.Redirect(w, r, "/orders/"+id.String(), http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, res.RedirectURL, http.StatusSeeOther)
	return nil
}
