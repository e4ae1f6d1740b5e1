package loyalty

import (
	"net/http"
	"net/url"

	"storeops/internal/platform"
	"storeops/internal/web"
)

// ShopPage is the shopper's membership page.
type ShopPage struct {
	Account
	Tiers   []Tier
	Entries platform.Page[Entry]
	NextURL string
}

func (h *handlers) shopPage(w http.ResponseWriter, r *http.Request) error {
	p := web.PrincipalFrom(r.Context())
	if p == nil || p.CustomerID == 0 {
		http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return nil
	}
	page, err := web.PageOf(r)
	if err != nil {
		return err
	}
	var data ShopPage
	if data.Account, err = h.s.Account(r.Context(), p.CustomerID); err != nil {
		return err
	}
	if data.Tiers, err = Tiers(r.Context(), h.db.R); err != nil {
		return err
	}
	if data.Entries, err = Entries(r.Context(), h.db.R, p.CustomerID, page); err != nil {
		return err
	}
	if c := data.Entries.NextCursor; c != "" {
		data.NextURL = "/account/membership?cursor=" + url.QueryEscape(c)
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return h.rd.Render(w, r, http.StatusOK, "loyalty/shop", data)
}

// Multiplier writes a tier's points multiplier as 1.5 for 150.
func (t Tier) Multiplier() string {
	s := yuan(platform.Money(t.PointsMultiplier))
	return s
}
