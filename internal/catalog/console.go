package catalog

import (
	"net/http"
	"net/url"
	"strings"

	"storeops/internal/platform"
	"storeops/internal/web"
)

// Option is one choice of a select.
type Option struct {
	Value, Label string
	Selected     bool
}

// ListData is the console product list's view data.
type ListData struct {
	Filter     AdminFilter
	Statuses   []Option
	Categories []Option
	Brands     []Option
	Rows       []ListRow
	Error      string
	NextURL    string
	ExportURL  string
	// ExportFileURL downloads the filtered list in the import format.
	ExportFileURL string
	CanEdit       bool
}

// ListRow is one product in the console list.
type ListRow struct {
	ProductRow
	StatusLabel, StorageLabel string
}

// exportTable names the list's XLSX export; exportLimit bounds its rows.
const (
	exportTable = "products-table"
	exportLimit = 50_000
)

// categoryOptions lists the tree depth-first with its depth shown.
func (h *handlers) categoryOptions(r *http.Request, selected platform.ID, withAll bool) ([]Option, error) {
	lang := web.LangOf(r)
	tree, err := LoadTree(r.Context(), h.admin.db.R)
	if err != nil {
		return nil, err
	}
	var out []Option
	if withAll {
		out = append(out, Option{Label: platform.T(lang, "catalog.all"), Selected: selected == 0})
	}
	var walk func(ns []*CategoryNode, depth int)
	walk = func(ns []*CategoryNode, depth int) {
		for _, n := range ns {
			out = append(out, Option{Value: n.ID.String(), Label: strings.Repeat("— ", depth) + n.Label(lang), Selected: n.ID == selected})
			walk(n.Children, depth+1)
		}
	}
	walk(tree.Roots, 0)
	return out, nil
}

func (h *handlers) brandOptions(r *http.Request, selected platform.ID) ([]Option, error) {
	brands, err := h.admin.Brands(r.Context())
	if err != nil {
		return nil, err
	}
	out := []Option{{Label: platform.T(web.LangOf(r), "catalog.none"), Selected: selected == 0}}
	for _, b := range brands {
		out = append(out, Option{Value: b.ID.String(), Label: b.Name, Selected: b.ID == selected})
	}
	return out, nil
}

func (h *handlers) listPage(w http.ResponseWriter, r *http.Request) error {
	lang := web.LangOf(r)
	f, ferr := filterOf(r)
	data := ListData{Filter: f, CanEdit: web.PrincipalFrom(r.Context()).Can(PermEdit)}
	q := r.URL.Query()
	q.Del("cursor")
	data.ExportFileURL = "/console/products/export?" + q.Encode()
	data.Statuses = []Option{{Label: platform.T(lang, "catalog.all"), Selected: f.Status == ""}}
	for _, s := range Statuses {
		data.Statuses = append(data.Statuses, Option{Value: string(s), Label: platform.T(lang, s.Label()), Selected: s == f.Status})
	}
	var err error
	if data.Categories, err = h.categoryOptions(r, f.CategoryID, true); err != nil {
		return err
	}
	if data.Brands, err = h.brandOptions(r, f.BrandID); err != nil {
		return err
	}
	data.Brands[0].Label = platform.T(lang, "catalog.all")
	if ferr != nil {
		msg, status, ok := web.FilterProblem(lang, ferr)
		if !ok {
			return ferr
		}
		data.Error = msg
		return h.rd.Render(w, r, status, "catalog/products", data)
	}
	if web.WantsXLSX(r, exportTable) {
		return h.export(w, r, f)
	}
	page, err := h.admin.List(r.Context(), f)
	if err != nil {
		msg, status, ok := web.FilterProblem(lang, err)
		if !ok {
			return err
		}
		data.Error = msg
		return h.rd.Render(w, r, status, "catalog/products", data)
	}
	for _, p := range page.Items {
		data.Rows = append(data.Rows, ListRow{ProductRow: p, StatusLabel: platform.T(lang, p.Status.Label()), StorageLabel: platform.T(lang, p.StorageClass.Label())})
	}
	data.ExportURL = (&web.Table{ID: exportTable}).ExportURL(r)
	if page.NextCursor != "" {
		q := r.URL.Query()
		q.Set("cursor", page.NextCursor)
		data.NextURL = "/console/products?" + q.Encode()
	}
	return h.rd.Render(w, r, http.StatusOK, "catalog/products", data)
}

// errorText is an error's message with its field errors, for a page.
func errorText(lang platform.Lang, e *platform.Error) string {
	s := e.Message(lang)
	for _, fe := range e.Fields {
		s += " (" + fe.Field + ": " + platform.T(lang, fe.Key, fe.Args...) + ")"
	}
	return s
}

// export writes the filtered list as XLSX, every page of it.
func (h *handlers) export(w http.ResponseWriter, r *http.Request, f AdminFilter) error {
	lang := web.LangOf(r)
	t := &web.Table{ID: exportTable, Name: "products", Title: "catalog.products_title", Columns: []web.Column{
		{Key: "catalog.col.id"}, {Key: "catalog.col.title"}, {Key: "catalog.col.status"}, {Key: "catalog.col.category"},
		{Key: "catalog.col.brand"}, {Key: "catalog.col.price_min", Kind: web.ColMoney}, {Key: "catalog.col.price_max", Kind: web.ColMoney},
		{Key: "catalog.col.skus", Kind: web.ColInt}, {Key: "catalog.col.stock", Kind: web.ColInt}, {Key: "catalog.col.storage"},
		{Key: "catalog.col.tags"}, {Key: "catalog.col.list_at"}, {Key: "catalog.col.delist_at"}, {Key: "catalog.col.updated_at"},
	}}
	f.Page = platform.PageRequest{Limit: platform.MaxPageSize}
	for rows := 0; rows < exportLimit; {
		page, err := h.admin.List(r.Context(), f)
		if err != nil {
			return err
		}
		for _, p := range page.Items {
			t.Append(web.TextCell(p.ID.String()), web.TextCell(p.Title), web.TextCell(platform.T(lang, p.Status.Label())), web.TextCell(p.Category),
				web.TextCell(p.Brand), web.NumCell(int64(p.PriceMin)), web.NumCell(int64(p.PriceMax)), web.NumCell(int64(p.SKUs)), web.NumCell(p.Stock),
				web.TextCell(platform.T(lang, p.StorageClass.Label())), web.TextCell(strings.Join(p.Tags, ", ")),
				timeCell(p.ListAt), timeCell(p.DelistAt), web.TextCell(shopTime(p.UpdatedAt)))
			rows++
		}
		if page.NextCursor == "" {
			break
		}
		next, err := platform.ParseCursor(page.NextCursor)
		if err != nil {
			return err
		}
		f.Page.After = next
	}
	_, err := web.Export(w, r, t)
	return err
}

// back returns to u with done=what added.
func back(u, what string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	q := p.Query()
	q.Set("done", what)
	p.RawQuery = q.Encode()
	return p.String()
}
