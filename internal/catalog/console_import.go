package catalog

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"time"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/web"
)

// ImportData is the import page's view data.
type ImportData struct {
	Report  *ImportReport
	Columns []ColumnHelp
	Error   string
	File    string
}

// ColumnHelp names one import column for the page.
type ColumnHelp struct{ Key, ZH string }

// ColumnLabel is an import column's header in lang.
func ColumnLabel(lang platform.Lang, key string) string {
	if lang == platform.EN {
		return key
	}
	for _, c := range ImportColumns {
		if c.Key == key {
			return c.ZH
		}
	}
	return key
}

func (h *handlers) importPage(w http.ResponseWriter, r *http.Request) error {
	return h.rd.Render(w, r, http.StatusOK, "catalog/import", h.importData(nil))
}

func (h *handlers) importData(rep *ImportReport) *ImportData {
	d := &ImportData{Report: rep}
	for _, c := range ImportColumns {
		d.Columns = append(d.Columns, ColumnHelp(c))
	}
	return d
}

// importForm checks or applies an uploaded file. "Check" is a dry run;
// "import" applies when every row is valid, or the valid products when
// the operator ticked apply_valid after seeing the report.
func (h *handlers) importForm(w http.ResponseWriter, r *http.Request) error {
	lang := web.LangOf(r)
	d := h.importData(nil)
	r.Body = http.MaxBytesReader(w, r.Body, MaxImportBytes+1<<20)
	file, hdr, err := r.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			d.Error = platform.T(lang, "catalog.import.too_big", MaxImportBytes>>20)
			return h.rd.Render(w, r, http.StatusRequestEntityTooLarge, "catalog/import", d)
		}
		d.Error = platform.T(lang, "catalog.import.no_file")
		return h.rd.Render(w, r, http.StatusUnprocessableEntity, "catalog/import", d)
	}
	defer file.Close()
	d.File = hdr.Filename
	data, err := io.ReadAll(file)
	if err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	rows, err := ParseImport(bytes.NewReader(data), FormatOf(hdr.Filename, data))
	if err != nil {
		e := platform.AsError(err)
		if e.Code != platform.CodeInvalid {
			return err
		}
		d.Error = errorText(lang, e)
		return h.rd.Render(w, r, http.StatusUnprocessableEntity, "catalog/import", d)
	}
	opt := ImportOptions{DryRun: r.FormValue("action") != "import", ApplyValid: r.FormValue("apply_valid") == "1"}
	rep, err := h.admin.Import(r.Context(), audit.ActorFrom(r), rows, opt)
	if err != nil {
		return err
	}
	rep.Localize(lang)
	for i := range rep.Errors {
		rep.Errors[i].Column = ColumnLabel(lang, rep.Errors[i].Column)
	}
	d.Report = rep
	status := http.StatusOK
	if len(rep.Errors) > 0 && !rep.Applied {
		status = http.StatusUnprocessableEntity
	}
	return h.rd.Render(w, r, status, "catalog/import", d)
}

// exportFile downloads the filtered list in the import format, as CSV
// (?format=csv) or XLSX (default).
func (h *handlers) exportFile(w http.ResponseWriter, r *http.Request) error {
	f, err := filterOf(r)
	if err != nil {
		return err
	}
	name := "products-" + time.Now().In(platform.ShopZone).Format("20060102-1504")
	if r.URL.Query().Get("format") == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
		return h.admin.ExportCSV(r.Context(), w, f)
	}
	var buf bytes.Buffer
	if err := h.admin.ExportXLSX(r.Context(), &buf, f); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.xlsx"`)
	_, err = w.Write(buf.Bytes())
	return err
}
