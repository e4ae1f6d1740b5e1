package inventory

import (
	"net/http"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/web"
)

const apiTag = "inventory"

// apiRoutes are the staff JSON API under /api/v1/inventory.
func (h *handlers) apiRoutes() []web.Route {
	page := []web.QueryParam{{Name: "cursor", Description: "next_cursor of the previous page"}, {Name: "limit", Description: "page size, 1 to 200"}}
	return []web.Route{
		{Method: http.MethodGet, Path: "/api/v1/inventory/warehouses", Surface: web.AdminAPI, Perm: PermView, Handler: h.apiWarehouses,
			Doc: &web.OpenAPIOp{Tag: apiTag, Summary: "List warehouses", Response: []Warehouse{}}},
		{Method: http.MethodGet, Path: "/api/v1/inventory/stock", Surface: web.AdminAPI, Perm: PermView, Handler: h.apiStock,
			Doc: &web.OpenAPIOp{Tag: apiTag, Summary: "Stock levels by SKU and warehouse",
				Description: "Available is on hand minus reserved. low marks levels on the low-stock to-do list.",
				Query: append([]web.QueryParam{
					{Name: "warehouse_id", Description: "only this warehouse"},
					{Name: "sku_id", Description: "only this SKU"},
					{Name: "code", Description: "SKU codes starting with this"},
					{Name: "low", Description: "1: only levels on the low-stock to-do list"},
				}, page...),
				Response: platform.Page[StockRow]{}}},
		{Method: http.MethodGet, Path: "/api/v1/inventory/skus/{id}/ledger", Surface: web.AdminAPI, Perm: PermView, Handler: h.apiLedger,
			Doc: &web.OpenAPIOp{Tag: apiTag, Summary: "A SKU's stock ledger, newest first",
				Description: "Every change to on-hand stock with its reason (receipt, sale, cancel, return, adjustment, transfer, stock_take); per warehouse, the deltas sum to on hand.",
				Query:       append([]web.QueryParam{{Name: "warehouse_id", Description: "only this warehouse"}}, page...),
				Response:    platform.Page[Entry]{}}},
		{Method: http.MethodGet, Path: "/api/v1/inventory/skus/{id}/reservations", Surface: web.AdminAPI, Perm: PermView, Handler: h.apiHolds,
			Doc: &web.OpenAPIOp{Tag: apiTag, Summary: "A SKU's held reservations (checkouts not yet shipped, cancelled or expired), soonest to expire first",
				Description: "At most 200.", Response: []Hold{}}},
		{Method: http.MethodGet, Path: "/api/v1/inventory/low-stock", Surface: web.AdminAPI, Perm: PermView, Handler: h.apiLowStock,
			Doc: &web.OpenAPIOp{Tag: apiTag, Summary: "Open low-stock alerts (the to-do list), oldest first", Query: page, Response: platform.Page[Alert]{}}},
		{Method: http.MethodPost, Path: "/api/v1/inventory/adjustments", Surface: web.AdminAPI, Perm: PermManage, Handler: h.apiAdjust,
			Doc: &web.OpenAPIOp{Tag: apiTag, Summary: "Adjust on-hand stock (damage, loss, found)", Idempotent: true, Status: http.StatusCreated,
				Description: "409 inventory_below_reserved when a decrease would leave less on hand than orders hold.",
				Request:     Adjustment{}, Response: Level{}}},
		{Method: http.MethodPost, Path: "/api/v1/inventory/transfers", Surface: web.AdminAPI, Perm: PermManage, Handler: h.apiTransfer,
			Doc: &web.OpenAPIOp{Tag: apiTag, Summary: "Move available stock between warehouses", Idempotent: true, Status: http.StatusCreated,
				Description: "409 out_of_stock when the source has less available than qty.",
				Request:     Transfer{}, Response: [2]Level{}}},
		{Method: http.MethodPost, Path: "/api/v1/inventory/receipts", Surface: web.AdminAPI, Perm: PermManage, Handler: h.apiReceive,
			Doc: &web.OpenAPIOp{Tag: apiTag, Summary: "Book arrived goods into a warehouse", Idempotent: true, Status: http.StatusCreated,
				Request: Receipt{}, Response: Level{}}},
		{Method: http.MethodPost, Path: "/api/v1/inventory/stock-takes", Surface: web.AdminAPI, Perm: PermManage, Handler: h.apiCount,
			Doc: &web.OpenAPIOp{Tag: apiTag, Summary: "Record a physical count; the difference goes to the ledger", Idempotent: true, Status: http.StatusCreated,
				Description: "409 inventory_below_reserved when the count is less than what orders hold.",
				Request:     StockTake{}, Response: Level{}}},
		{Method: http.MethodPut, Path: "/api/v1/inventory/thresholds", Surface: web.AdminAPI, Perm: PermManage, Handler: h.apiThreshold,
			Doc: &web.OpenAPIOp{Tag: apiTag, Summary: "Set or clear (null) a SKU×warehouse's own low-stock threshold",
				Request: ThresholdSetting{}, Status: http.StatusNoContent}},
		{Method: http.MethodPut, Path: "/api/v1/inventory/default-thresholds", Surface: web.AdminAPI, Perm: PermManage, Handler: h.apiDefaultThreshold,
			Doc: &web.OpenAPIOp{Tag: apiTag, Summary: "Set or clear (null) the low-stock threshold of a category's levels, or without category_id the shop's",
				Description: "A level's own threshold wins, then its product category's, then the shop's, then 10.",
				Request:     DefaultThreshold{}, Status: http.StatusNoContent}},
	}
}

func (h *handlers) apiWarehouses(w http.ResponseWriter, r *http.Request) error {
	ws, err := Warehouses(r.Context(), h.db)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, ws)
}

// optionalID reads an optional id query value; a malformed one is a field
// error.
func optionalID(r *http.Request, name string) (*platform.ID, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return nil, nil
	}
	id, err := platform.ParseID(v)
	if err != nil {
		return nil, platform.Invalid(name, "field.invalid")
	}
	return &id, nil
}

// stockFilterOf reads the stock listing's query string.
func stockFilterOf(r *http.Request) (StockFilter, error) {
	var f StockFilter
	var err error
	if f.Page, err = web.PageOf(r); err != nil {
		return f, err
	}
	if f.Warehouse, err = optionalID(r, "warehouse_id"); err != nil {
		return f, err
	}
	if f.SKU, err = optionalID(r, "sku_id"); err != nil {
		return f, err
	}
	q := r.URL.Query()
	f.Code = q.Get("code")
	if len(f.Code) > 100 {
		return f, platform.Invalid("code", "field.too_long", 100)
	}
	f.LowOnly = q.Get("low") == "1" || q.Get("low") == "true" || q.Get("low") == "on"
	return f, nil
}

func (h *handlers) apiStock(w http.ResponseWriter, r *http.Request) error {
	f, err := stockFilterOf(r)
	if err != nil {
		return err
	}
	page, err := ListStock(r.Context(), h.db, f)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, page)
}

func ledgerFilterOf(r *http.Request) (LedgerFilter, error) {
	var f LedgerFilter
	var err error
	if f.SKU, err = web.PathID(r, "id", "sku"); err != nil {
		return f, err
	}
	if f.Page, err = web.PageOf(r); err != nil {
		return f, err
	}
	f.Warehouse, err = optionalID(r, "warehouse_id")
	return f, err
}

func (h *handlers) apiLedger(w http.ResponseWriter, r *http.Request) error {
	f, err := ledgerFilterOf(r)
	if err != nil {
		return err
	}
	page, err := Ledger(r.Context(), h.db, f)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, page)
}

func (h *handlers) apiLowStock(w http.ResponseWriter, r *http.Request) error {
	p, err := web.PageOf(r)
	if err != nil {
		return err
	}
	page, err := LowStock(r.Context(), h.db, p)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, page)
}

func (h *handlers) apiAdjust(w http.ResponseWriter, r *http.Request) error {
	var in Adjustment
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	out, err := h.svc.Adjust(r.Context(), audit.ActorFrom(r), in)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, out)
}

func (h *handlers) apiTransfer(w http.ResponseWriter, r *http.Request) error {
	var in Transfer
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	out, err := h.svc.Transfer(r.Context(), audit.ActorFrom(r), in)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, out)
}

func (h *handlers) apiReceive(w http.ResponseWriter, r *http.Request) error {
	var in Receipt
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	out, err := h.svc.Receive(r.Context(), audit.ActorFrom(r), in)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, out)
}

func (h *handlers) apiCount(w http.ResponseWriter, r *http.Request) error {
	var in StockTake
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	out, err := h.svc.Count(r.Context(), audit.ActorFrom(r), in)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, out)
}

func (h *handlers) apiThreshold(w http.ResponseWriter, r *http.Request) error {
	var in ThresholdSetting
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if err := h.svc.SetThreshold(r.Context(), audit.ActorFrom(r), in); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *handlers) apiDefaultThreshold(w http.ResponseWriter, r *http.Request) error {
	var in DefaultThreshold
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if err := h.svc.SetDefaultThreshold(r.Context(), audit.ActorFrom(r), in); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *handlers) apiHolds(w http.ResponseWriter, r *http.Request) error {
	sku, err := web.PathID(r, "id", "sku")
	if err != nil {
		return err
	}
	holds, err := HoldsOf(r.Context(), h.db, sku, platform.MaxPageSize)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, holds)
}
