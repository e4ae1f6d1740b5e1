package order

import (
	"net/http"

	"storeops/internal/platform"
	"storeops/internal/web"
)

// ListData is the order list's view data.
type ListData struct {
	Filter    FilterForm
	Statuses  []Option
	Channels  []Option
	Methods   []Option
	Provinces []Option
	Rows      []ListRow
	Error     string
	NextURL   string
	ExportURL string
	CanShip   bool
}

// ListRow is one order as the list shows it.
type ListRow struct {
	Order
	StatusLabel, ChannelLabel, MethodLabel string
}

// exportTable names the list's export; exportLimit bounds its rows
// (newest first) so an export of "everything" stays a download.
const (
	exportTable = "orders-table"
	exportLimit = 10000
)

func (h *handlers) listPage(w http.ResponseWriter, r *http.Request) error {
	lang := web.LangOf(r)
	f, ff, err := filterOf(r)
	data := ListData{Filter: ff, Statuses: statusOptions(lang, ff.Status), Channels: channelOptions(lang, ff.Channel),
		Methods: methodOptions(lang, ff.PaymentMethod), Provinces: provinceOptions(lang, ff.Province),
		CanShip: web.PrincipalFrom(r.Context()).Can(PermShip)}
	if err != nil {
		msg, status, ok := web.FilterProblem(lang, err)
		if !ok {
			return err
		}
		data.Error = msg
		return h.rd.Render(w, r, status, "order/list", data)
	}
	if web.WantsXLSX(r, exportTable) {
		return h.export(w, r, f)
	}
	page, err := List(r.Context(), h.db.R, f)
	if err != nil {
		return err
	}
	for _, o := range page.Items {
		data.Rows = append(data.Rows, ListRow{Order: o, StatusLabel: platform.T(lang, o.Status.Label()),
			ChannelLabel: channelLabel(lang, o.Channel), MethodLabel: methodLabel(lang, o.PaymentMethod)})
	}
	data.ExportURL = (&web.Table{ID: exportTable}).ExportURL(r)
	if page.NextCursor != "" {
		q := ff.query()
		if l := r.URL.Query().Get("limit"); l != "" {
			q.Set("limit", l)
		}
		q.Set("cursor", page.NextCursor)
		data.NextURL = "/console/orders?" + q.Encode()
	}
	return h.rd.Render(w, r, http.StatusOK, "order/list", data)
}

// export writes the filtered orders, newest first, as XLSX.
func (h *handlers) export(w http.ResponseWriter, r *http.Request, f Filter) error {
	lang := web.LangOf(r)
	t := &web.Table{ID: exportTable, Name: "orders", Title: "order.list_title", Columns: []web.Column{
		{Key: "order.no", Kind: web.ColText}, {Key: "order.placed_at", Kind: web.ColText}, {Key: "order.status", Kind: web.ColText},
		{Key: "order.channel", Kind: web.ColText}, {Key: "order.payment_method", Kind: web.ColText},
		{Key: "order.province", Kind: web.ColText}, {Key: "order.city", Kind: web.ColText},
		{Key: "order.item_count", Kind: web.ColInt}, {Key: "order.items_total", Kind: web.ColMoney},
		{Key: "order.discount", Kind: web.ColMoney}, {Key: "order.shipping_fee", Kind: web.ColMoney},
		{Key: "order.total", Kind: web.ColMoney}, {Key: "order.refunded", Kind: web.ColMoney},
	}}
	f.Page = platform.PageRequest{Limit: platform.MaxPageSize}
	for rows := 0; rows < exportLimit; {
		page, err := List(r.Context(), h.db.R, f)
		if err != nil {
			return err
		}
		for _, o := range page.Items {
			t.Append(web.TextCell(o.OrderNo), web.TextCell(o.PlacedAt.In(platform.ShopZone).Format("2006-01-02 15:04:05")),
				web.TextCell(platform.T(lang, o.Status.Label())), web.TextCell(channelLabel(lang, o.Channel)),
				web.TextCell(methodLabel(lang, o.PaymentMethod)), web.TextCell(o.Province), web.TextCell(o.City),
				web.NumCell(int64(o.ItemCount)), web.NumCell(int64(o.ItemsTotal)), web.NumCell(int64(o.DiscountTotal)),
				web.NumCell(int64(o.ShippingFee)), web.NumCell(int64(o.Total)), web.NumCell(int64(o.RefundedTotal)))
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
