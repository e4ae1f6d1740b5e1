package inventory

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/web"
)

// consoleRoutes are the operator pages.
func (h *handlers) consoleRoutes() []web.Route {
	return []web.Route{
		{Method: http.MethodGet, Path: "/console/inventory", Surface: web.Console, Perm: PermView, Handler: h.stockPage},
		{Method: http.MethodGet, Path: "/console/inventory/skus/{id}", Surface: web.Console, Perm: PermView, Handler: h.skuPage},
		{Method: http.MethodGet, Path: "/console/inventory/low-stock", Surface: web.Console, Perm: PermView, Handler: h.lowStockPage},
		{Method: http.MethodGet, Path: "/console/inventory/operations", Surface: web.Console, Perm: PermManage, Handler: h.opsPage},
		{Method: http.MethodPost, Path: "/console/inventory/adjustments", Surface: web.Console, Perm: PermManage, Handler: h.opsPost(opAdjust)},
		{Method: http.MethodPost, Path: "/console/inventory/transfers", Surface: web.Console, Perm: PermManage, Handler: h.opsPost(opTransfer)},
		{Method: http.MethodPost, Path: "/console/inventory/receipts", Surface: web.Console, Perm: PermManage, Handler: h.opsPost(opReceipt)},
		{Method: http.MethodPost, Path: "/console/inventory/stock-takes", Surface: web.Console, Perm: PermManage, Handler: h.opsPost(opStockTake)},
		{Method: http.MethodPost, Path: "/console/inventory/thresholds", Surface: web.Console, Perm: PermManage, Handler: h.opsPost(opThreshold)},
	}
}

// StockPageData is the stock page's view data.
type StockPageData struct {
	Warehouses []Warehouse
	Warehouse  string
	Code       string
	Low        bool
	Rows       []StockRow
	NextURL    string
	ExportURL  string
	Error      string
}

func (h *handlers) stockPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	data := StockPageData{Warehouse: q.Get("warehouse_id"), Code: q.Get("code"), Low: q.Get("low") != ""}
	ws, err := Warehouses(r.Context(), h.db)
	if err != nil {
		return err
	}
	data.Warehouses = ws
	f, err := stockFilterOf(r)
	if err != nil {
		status, msg, ok := clientError(r, err)
		if !ok {
			return err
		}
		data.Error = msg
		return h.rd.Render(w, r, status, "inventory/stock", data)
	}
	if web.WantsXLSX(r, stockTable) {
		return h.exportStock(w, r, f)
	}
	page, err := ListStock(r.Context(), h.db, f)
	if err != nil {
		return err
	}
	data.Rows = page.Items
	data.ExportURL = (&web.Table{ID: stockTable}).ExportURL(r)
	if page.NextCursor != "" {
		next := url.Values{}
		for k, v := range map[string]string{"warehouse_id": data.Warehouse, "code": data.Code, "low": q.Get("low")} {
			if v != "" {
				next.Set(k, v)
			}
		}
		next.Set("cursor", page.NextCursor)
		data.NextURL = "/console/inventory?" + next.Encode()
	}
	return h.rd.Render(w, r, http.StatusOK, "inventory/stock", data)
}

// clientError is the status and message of a client error, to render on
// the page; ok is false for a server error, which the caller returns.
func clientError(r *http.Request, err error) (status int, msg string, ok bool) {
	e := platform.AsError(err)
	if e.Code.Status() >= 500 {
		return 0, "", false
	}
	lang := web.LangOf(r)
	msg = e.Message(lang)
	for _, f := range e.Fields {
		msg += " · " + f.Field + ": " + platform.T(lang, f.Key, f.Args...)
	}
	return e.Code.Status(), msg, true
}

// SKUPageData is the SKU ledger page's view data.
type SKUPageData struct {
	SKU       platform.ID
	SKUCode   string
	Title     string
	Levels    []StockRow
	Entries   []Entry
	Holds     []Hold
	Warehouse string
	Codes     map[platform.ID]string
	NextURL   string
	Done      bool
	Error     string
}

func (h *handlers) skuPage(w http.ResponseWriter, r *http.Request) error {
	f, err := ledgerFilterOf(r)
	if err != nil {
		return err
	}
	data := SKUPageData{SKU: f.SKU, Warehouse: r.URL.Query().Get("warehouse_id"), Done: r.URL.Query().Get("done") != "", Codes: map[platform.ID]string{}}
	levels, err := ListStock(r.Context(), h.db, StockFilter{SKU: &f.SKU, Page: platform.PageRequest{Limit: platform.MaxPageSize}})
	if err != nil {
		return err
	}
	data.Levels = levels.Items
	err = h.db.R.QueryRowContext(r.Context(), `SELECT s.code, COALESCE(p.title, '') FROM skus s LEFT JOIN products p ON p.id = s.product_id WHERE s.id = $1`, f.SKU).
		Scan(&data.SKUCode, &data.Title)
	if errors.Is(err, sql.ErrNoRows) && len(data.Levels) == 0 {
		return platform.NotFound("sku")
	} else if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	ws, err := Warehouses(r.Context(), h.db)
	if err != nil {
		return err
	}
	for _, wh := range ws {
		data.Codes[wh.ID] = wh.Code
	}
	if data.Holds, err = HoldsOf(r.Context(), h.db, f.SKU, 50); err != nil {
		return err
	}
	page, err := Ledger(r.Context(), h.db, f)
	if err != nil {
		return err
	}
	data.Entries = page.Items
	if page.NextCursor != "" {
		next := url.Values{"cursor": {page.NextCursor}}
		if data.Warehouse != "" {
			next.Set("warehouse_id", data.Warehouse)
		}
		data.NextURL = "/console/inventory/skus/" + f.SKU.String() + "?" + next.Encode()
	}
	return h.rd.Render(w, r, http.StatusOK, "inventory/sku", data)
}

// LowPageData is the low-stock to-do page's view data.
type LowPageData struct {
	Alerts  []Alert
	NextURL string
}

func (h *handlers) lowStockPage(w http.ResponseWriter, r *http.Request) error {
	p, err := web.PageOf(r)
	if err != nil {
		return err
	}
	page, err := LowStock(r.Context(), h.db, p)
	if err != nil {
		return err
	}
	data := LowPageData{Alerts: page.Items}
	if page.NextCursor != "" {
		data.NextURL = "/console/inventory/low-stock?cursor=" + url.QueryEscape(page.NextCursor)
	}
	return h.rd.Render(w, r, http.StatusOK, "inventory/low", data)
}

// The operations the forms post.
const (
	opAdjust    = "adjust"
	opTransfer  = "transfer"
	opReceipt   = "receipt"
	opStockTake = "stock_take"
	opThreshold = "threshold"
)

// OpsPageData is the operations page's view data: the forms, prefilled
// from the query (?sku=&warehouse_id=) or from a refused post.
type OpsPageData struct {
	Warehouses []Warehouse
	Op         string
	Form       map[string]string
	Error      string
}

func (h *handlers) opsPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	data := OpsPageData{Form: map[string]string{"sku": q.Get("sku"), "warehouse_id": q.Get("warehouse_id"), "from_warehouse_id": q.Get("warehouse_id")}}
	return h.renderOps(w, r, http.StatusOK, data)
}

func (h *handlers) renderOps(w http.ResponseWriter, r *http.Request, status int, data OpsPageData) error {
	ws, err := Warehouses(r.Context(), h.db)
	if err != nil {
		return err
	}
	data.Warehouses = ws
	return h.rd.Render(w, r, status, "inventory/ops", data)
}

// opsPost handles one operation form: on success it redirects to the
// SKU's ledger; a refused form comes back with its values and the reason.
func (h *handlers) opsPost(op string) web.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := r.ParseForm(); err != nil {
			return platform.E(platform.CodeBadRequest).Wrap(err)
		}
		form := map[string]string{}
		for _, k := range []string{"sku", "warehouse_id", "from_warehouse_id", "to_warehouse_id", "qty", "delta", "counted", "ref", "note", "threshold"} {
			form[k] = strings.TrimSpace(r.PostForm.Get(k))
		}
		sku, err := h.runOp(r, op, form)
		if err != nil {
			status, msg, ok := clientError(r, err)
			if !ok {
				return err
			}
			return h.renderOps(w, r, status, OpsPageData{Op: op, Form: form, Error: msg})
		}
		http.Redirect(w, r, "/console/inventory/skus/"+sku.String()+"?done=1", http.StatusSeeOther)
		return nil
	}
}

// runOp parses the form and runs the operation.
func (h *handlers) runOp(r *http.Request, op string, form map[string]string) (platform.ID, error) {
	ctx := r.Context()
	sku, err := h.resolveSKU(ctx, form["sku"])
	if err != nil {
		return 0, err
	}
	by := audit.ActorFrom(r)
	switch op {
	case opAdjust:
		wh, delta, err := formIDInt(form, "warehouse_id", "delta")
		if err != nil {
			return 0, err
		}
		_, err = h.svc.Adjust(ctx, by, Adjustment{SKU: sku, Warehouse: wh, Delta: delta, Note: form["note"]})
		return sku, err
	case opReceipt:
		wh, qty, err := formIDInt(form, "warehouse_id", "qty")
		if err != nil {
			return 0, err
		}
		_, err = h.svc.Receive(ctx, by, Receipt{SKU: sku, Warehouse: wh, Qty: qty, Ref: form["ref"], Note: form["note"]})
		return sku, err
	case opStockTake:
		wh, counted, err := formIDInt(form, "warehouse_id", "counted")
		if err != nil {
			return 0, err
		}
		_, err = h.svc.Count(ctx, by, StockTake{SKU: sku, Warehouse: wh, Counted: counted, Note: form["note"]})
		return sku, err
	case opThreshold:
		wh, err := platform.ParseID(form["warehouse_id"])
		if err != nil {
			return 0, platform.Invalid("warehouse_id", "inventory.unknown_warehouse")
		}
		set := ThresholdSetting{SKU: sku, Warehouse: wh}
		if form["threshold"] != "" {
			n, err := strconv.ParseInt(form["threshold"], 10, 64)
			if err != nil {
				return 0, platform.Invalid("threshold", "field.invalid")
			}
			set.Threshold = &n
		}
		return sku, h.svc.SetThreshold(ctx, by, set)
	case opTransfer:
		from, qty, err := formIDInt(form, "from_warehouse_id", "qty")
		if err != nil {
			return 0, err
		}
		to, err := platform.ParseID(form["to_warehouse_id"])
		if err != nil {
			return 0, platform.Invalid("to_warehouse_id", "inventory.unknown_warehouse")
		}
		_, err = h.svc.Transfer(ctx, by, Transfer{SKU: sku, From: from, To: to, Qty: qty, Note: form["note"]})
		return sku, err
	}
	return 0, platform.E(platform.CodeBadRequest)
}

// formIDInt reads a warehouse id and a whole number from the form.
func formIDInt(form map[string]string, idField, numField string) (platform.ID, int64, error) {
	id, err := platform.ParseID(form[idField])
	if err != nil {
		return 0, 0, platform.Invalid(idField, "inventory.unknown_warehouse")
	}
	n, err := strconv.ParseInt(form[numField], 10, 64)
	if err != nil {
		return 0, 0, platform.Invalid(numField, "field.invalid")
	}
	return id, n, nil
}

// resolveSKU finds a SKU by its code, or by its id.
func (h *handlers) resolveSKU(ctx context.Context, s string) (platform.ID, error) {
	if s == "" {
		return 0, platform.Invalid("sku", "field.required")
	}
	var id platform.ID
	err := h.db.R.QueryRowContext(ctx, `SELECT id FROM skus WHERE code = $1`, s).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	if id, perr := platform.ParseID(s); perr == nil {
		err = h.db.R.QueryRowContext(ctx, `SELECT id FROM skus WHERE id = $1`, id).Scan(&id)
		if err == nil {
			return id, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, err
		}
	}
	return 0, platform.Invalid("sku", "inventory.unknown_sku", s)
}
