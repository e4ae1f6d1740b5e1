package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"time"

	"github.com/xuri/excelize/v2"

	"storeops/internal/platform"
)

// WriteXLSX writes the table as a one-sheet workbook with headers in lang.
// Numbers stay numbers: money is yuan with a two-decimal format (the fen
// value divided by 100, exact to the displayed cent), counts are integers,
// rates are fractions with a percent format, days are dates. Text is
// written as a string value, never as a formula, so a product title that
// starts with "=" stays text.
func (t *Table) WriteXLSX(w io.Writer, lang platform.Lang) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Sheet1"
	if t.Title != "" {
		name := sheetName(platform.T(lang, t.Title))
		if err := f.SetSheetName(sheet, name); err != nil {
			return fmt.Errorf("web: xlsx: %w", err)
		}
		sheet = name
	}
	money, err := f.NewStyle(&excelize.Style{CustomNumFmt: xlsxFmt("#,##0.00")})
	if err != nil {
		return fmt.Errorf("web: xlsx: %w", err)
	}
	percent, err := f.NewStyle(&excelize.Style{NumFmt: 10}) // 0.00%
	if err != nil {
		return fmt.Errorf("web: xlsx: %w", err)
	}
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: xlsxFmt("yyyy-mm-dd")})
	if err != nil {
		return fmt.Errorf("web: xlsx: %w", err)
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("web: xlsx: %w", err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("web: xlsx: %w", err)
	}
	for j, c := range t.Columns {
		width := 14.0
		if c.Kind == ColText {
			width = 28
		}
		if err := sw.SetColWidth(j+1, j+1, width); err != nil {
			return fmt.Errorf("web: xlsx: %w", err)
		}
	}
	row := make([]any, len(t.Columns))
	for j := range t.Columns {
		row[j] = excelize.Cell{StyleID: head, Value: t.Header(lang, j)}
	}
	if err := sw.SetRow("A1", row); err != nil {
		return fmt.Errorf("web: xlsx: %w", err)
	}
	for i, cells := range t.Rows {
		row := make([]any, len(t.Columns))
		for j, c := range cells {
			if c.Null {
				row[j] = nil
				continue
			}
			switch t.Columns[j].Kind {
			case ColMoney:
				row[j] = excelize.Cell{StyleID: money, Value: float64(c.N) / 100}
			case ColInt:
				row[j] = c.N
			case ColPercent:
				row[j] = excelize.Cell{StyleID: percent, Value: float64(c.N) / 10000}
			case ColDate:
				d := time.Date(c.T.Year(), c.T.Month(), c.T.Day(), 0, 0, 0, 0, time.UTC)
				row[j] = excelize.Cell{StyleID: date, Value: d}
			default:
				row[j] = c.S
			}
		}
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return fmt.Errorf("web: xlsx: %w", err)
		}
		if err := sw.SetRow(cell, row); err != nil {
			return fmt.Errorf("web: xlsx: %w", err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("web: xlsx: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("web: xlsx: %w", err)
	}
	return nil
}

// ServeXLSX sends the table as an .xlsx attachment named after the table
// and the day, in the request's language.
func ServeXLSX(w http.ResponseWriter, r *http.Request, t *Table) error {
	var buf bytes.Buffer
	if err := t.WriteXLSX(&buf, LangOf(r)); err != nil {
		return err
	}
	name := t.Name
	if name == "" {
		name = t.ID
	}
	if name == "" {
		name = "table"
	}
	name += "-" + time.Now().In(platform.ShopZone).Format("20060102") + ".xlsx"
	h := w.Header()
	h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, asciiName(name), url.PathEscape(name)))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", fmt.Sprint(buf.Len()))
	_, err := w.Write(buf.Bytes())
	return err
}

var (
	unsafeSheet = regexp.MustCompile(`[\[\]:*?/\\]`)
	unsafeName  = regexp.MustCompile(`[^A-Za-z0-9._-]`)
)

// sheetName makes a valid sheet name: no []:*?/\ and at most 31 runes.
func sheetName(s string) string {
	s = unsafeSheet.ReplaceAllString(s, " ")
	if r := []rune(s); len(r) > 31 {
		s = string(r[:31])
	}
	if s == "" {
		s = "Sheet1"
	}
	return s
}

// asciiName is the plain filename= fallback for old clients.
func asciiName(s string) string { return unsafeName.ReplaceAllString(s, "_") }

func xlsxFmt(s string) *string { return &s }
