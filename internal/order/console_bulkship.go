package order

import (
	"errors"
	"net/http"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/web"
)

// maxUpload bounds a bulk-ship upload (5,000 rows fit in well under 1 MiB).
const maxUpload = 4 << 20

// BulkShipData is the bulk-ship page's view data.
type BulkShipData struct {
	Error       string
	TemplateURL string
	Report      *BulkShipView
}

// BulkShipView is an upload's outcome as the page shows it.
type BulkShipView struct {
	Shipped, Failed int
	Rows            []BulkShipViewRow
}

// BulkShipViewRow is one row of the report.
type BulkShipViewRow struct {
	BulkShipRow
	OK      bool
	Message string
}

const (
	templateTable = "bulk-ship-template"
	templateURL   = "/console/orders/bulk-ship?format=xlsx&table=" + templateTable
)

// bulkShipTemplate is the empty sheet to fill in: the three columns with
// their headers in the reader's language.
func bulkShipTemplate() *web.Table {
	t := &web.Table{ID: templateTable, Name: "bulk-ship", Title: "order.bulk.title"}
	for _, k := range BulkShipColumns {
		t.Columns = append(t.Columns, web.Column{Key: "order.bulk.head." + k, Kind: web.ColText})
	}
	return t
}

func (h *handlers) bulkShipPage(w http.ResponseWriter, r *http.Request) error {
	t := bulkShipTemplate()
	if ok, err := web.Export(w, r, t); ok {
		return err
	}
	return h.rd.Render(w, r, http.StatusOK, "order/bulk_ship", BulkShipData{TemplateURL: templateURL})
}

// bulkShip reads an uploaded sheet and ships row by row; the page lists
// every row that failed and why. A file that cannot be read at all
// re-renders the form with a 4xx.
func (h *handlers) bulkShip(w http.ResponseWriter, r *http.Request) error {
	lang := web.LangOf(r)
	data := BulkShipData{TemplateURL: templateURL}
	fail := func(err error) error {
		e := platform.AsError(err)
		if e.Code.Status() >= 500 {
			return err
		}
		data.Error = e.Message(lang)
		return h.rd.Render(w, r, e.Code.Status(), "order/bulk_ship", data)
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	if err := r.ParseMultipartForm(maxUpload); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return fail(platform.E(platform.CodeTooLarge))
		}
		return fail(platform.Errorf(CodeBadSheet, "", platform.Key("order.bulk.no_file")))
	}
	file, _, err := r.FormFile("file")
	if err != nil {
		return fail(platform.Errorf(CodeBadSheet, "", platform.Key("order.bulk.no_file")))
	}
	defer file.Close()
	rows, err := ParseBulkShip(file)
	if err != nil {
		return fail(err)
	}
	rep, err := h.s.BulkShip(r.Context(), audit.ActorFrom(r), rows)
	if err != nil {
		return err
	}
	view := &BulkShipView{Shipped: rep.Shipped, Failed: rep.Failed}
	for _, row := range rep.Rows {
		v := BulkShipViewRow{BulkShipRow: row, OK: row.Err == nil}
		if row.Err != nil {
			v.Message = row.Err.Message(lang)
			for _, f := range row.Err.Fields {
				v.Message += " (" + platform.T(lang, "order.bulk.head."+f.Field) + ": " + platform.T(lang, f.Key, f.Args...) + ")"
			}
		}
		view.Rows = append(view.Rows, v)
	}
	data.Report = view
	return h.rd.Render(w, r, http.StatusOK, "order/bulk_ship", data)
}
