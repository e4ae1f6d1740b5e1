package loyalty

import (
	"net/http"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/web"
)

// MeResponse is the shopper's membership with every tier, so a page can
// show what the next ones bring.
type MeResponse struct {
	Account
	Tiers []Tier `json:"tiers"`
}

func (h *handlers) apiMe(w http.ResponseWriter, r *http.Request) error {
	id := web.PrincipalFrom(r.Context()).CustomerID
	a, err := h.s.Account(r.Context(), id)
	if err != nil {
		return err
	}
	tiers, err := Tiers(r.Context(), h.db.R)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return web.WriteJSON(w, http.StatusOK, MeResponse{Account: a, Tiers: tiers})
}

func (h *handlers) apiEntries(w http.ResponseWriter, r *http.Request) error {
	page, err := web.PageOf(r)
	if err != nil {
		return err
	}
	p, err := Entries(r.Context(), h.db.R, web.PrincipalFrom(r.Context()).CustomerID, page)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return web.WriteJSON(w, http.StatusOK, p)
}

// AdminPoints is a customer's membership as staff see it.
type AdminPoints struct {
	Account Account              `json:"account"`
	Entries platform.Page[Entry] `json:"entries"`
	History []TierChange         `json:"tier_history"`
}

func (h *handlers) adminPoints(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "customer")
	if err != nil {
		return err
	}
	page, err := web.PageOf(r)
	if err != nil {
		return err
	}
	out, err := h.adminData(r, id, page)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, out)
}

func (h *handlers) adminData(r *http.Request, id platform.ID, page platform.PageRequest) (AdminPoints, error) {
	ctx := r.Context()
	var out AdminPoints
	if err := customerExists(ctx, h.db.R, id); err != nil {
		return out, err
	}
	var err error
	if out.Account, err = h.s.Account(ctx, id); err != nil {
		return out, err
	}
	if out.Entries, err = Entries(ctx, h.db.R, id, page); err != nil {
		return out, err
	}
	out.History, err = History(ctx, h.db.R, id)
	return out, err
}

func (h *handlers) adminAdjust(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "customer")
	if err != nil {
		return err
	}
	var in AdjustInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	e, err := h.s.Adjust(r.Context(), audit.ActorFrom(r), id, in)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, e)
}

func (h *handlers) adminTiers(w http.ResponseWriter, r *http.Request) error {
	d, err := Distribution(r.Context(), h.db.R)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, d)
}

func (h *handlers) adminTierCreate(w http.ResponseWriter, r *http.Request) error {
	var t Tier
	if err := web.DecodeJSON(r, &t); err != nil {
		return err
	}
	t.ID = 0
	out, err := h.s.SaveTier(r.Context(), audit.ActorFrom(r), t)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, out)
}

func (h *handlers) adminTierSave(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "tier")
	if err != nil {
		return err
	}
	var t Tier
	if err := web.DecodeJSON(r, &t); err != nil {
		return err
	}
	t.ID = id
	out, err := h.s.SaveTier(r.Context(), audit.ActorFrom(r), t)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, out)
}
