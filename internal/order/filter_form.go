package order

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"storeops/internal/platform"
	"storeops/internal/web"
)

// FilterForm is the list's filter as typed, for refilling the form and
// building page and export links.
type FilterForm struct {
	Status, OrderNo, Channel, PaymentMethod, Province, From, To string
}

// query is the filter as URL values (empty ones left out).
func (ff FilterForm) query() url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"status": ff.Status, "order_no": ff.OrderNo, "channel": ff.Channel,
		"payment_method": ff.PaymentMethod, "province": ff.Province, "from": ff.From, "to": ff.To} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q
}

// filterOf reads the list filter from the query string. A malformed
// status, date or page is a field error (422) or a bad cursor (400).
func filterOf(r *http.Request) (Filter, FilterForm, error) {
	q := r.URL.Query()
	ff := FilterForm{Status: q.Get("status"), OrderNo: strings.TrimSpace(q.Get("order_no")), Channel: q.Get("channel"),
		PaymentMethod: q.Get("payment_method"), Province: q.Get("province"), From: q.Get("from"), To: q.Get("to")}
	f := Filter{Status: Status(ff.Status), OrderNo: ff.OrderNo, Channel: ff.Channel, PaymentMethod: ff.PaymentMethod, ProvinceCode: ff.Province}
	page, err := web.PageOf(r)
	if err != nil {
		return f, ff, err
	}
	f.Page = page
	if ff.From != "" {
		d, err := time.ParseInLocation(time.DateOnly, ff.From, platform.ShopZone)
		if err != nil {
			return f, ff, platform.Invalid("from", "field.invalid")
		}
		f.From = &d
	}
	if ff.To != "" {
		d, err := time.ParseInLocation(time.DateOnly, ff.To, platform.ShopZone)
		if err != nil {
			return f, ff, platform.Invalid("to", "field.invalid")
		}
		d = d.AddDate(0, 0, 1)
		f.To = &d
	}
	return f, ff, f.Validate()
}
