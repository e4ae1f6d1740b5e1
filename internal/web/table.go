package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"storeops/internal/platform"
)

// ColumnKind says what a table column holds, which decides how a cell is
// shown in HTML and written to a spreadsheet.
type ColumnKind int

const (
	// ColText is plain text (Cell.S).
	ColText ColumnKind = iota
	// ColMoney is an amount in fen (Cell.N): ¥1,234.56 in HTML, a number
	// of yuan with two decimals in XLSX.
	ColMoney
	// ColInt is a whole number (Cell.N).
	ColInt
	// ColPercent is a rate in basis points (Cell.N, 1234 = 12.34%): a
	// fraction with a percent format in XLSX.
	ColPercent
	// ColDate is a shop-zone calendar day (Cell.T): 2026-11-25.
	ColDate
)

// Column is one column: its header as a message key and its kind.
type Column struct {
	Key  string
	Kind ColumnKind
}

// Cell is one value. Which field counts depends on the column's kind;
// Null marks a missing value (an empty cell in both renderings).
type Cell struct {
	S    string
	N    int64
	T    time.Time
	Null bool
}

// TextCell makes a text cell.
func TextCell(s string) Cell { return Cell{S: s} }

// NumCell makes a cell for a money (fen), int or percent (basis points) column.
func NumCell(n int64) Cell { return Cell{N: n} }

// DateCell makes a date cell.
func DateCell(t time.Time) Cell { return Cell{T: t} }

// NullCell is an empty cell.
var NullCell = Cell{Null: true}

// Table is a generic console table that renders as HTML and exports to
// XLSX with the same values: a console page builds one, puts it in its
// view data, writes {{.Data.X.HTML .Lang}} in its template, and answers
// ?format=xlsx&table=ID with ServeXLSX. The cells of both renderings are
// equal by construction (Display is the one formatting of a cell).
type Table struct {
	// ID is the HTML id of the <table> and the value of the table query
	// parameter that asks for its export.
	ID string
	// Name is the base of the downloaded file name ("top-products").
	Name string
	// Title is a message key for the sheet name (optional).
	Title   string
	Columns []Column
	Rows    [][]Cell
	// Empty is the message key shown when there are no rows.
	Empty string
}

// Append adds a row; it panics when the row's width is wrong, which is a
// programming error a page's test catches.
func (t *Table) Append(cells ...Cell) {
	if len(cells) != len(t.Columns) {
		panic(fmt.Sprintf("web: table %s: row of %d cells for %d columns", t.ID, len(cells), len(t.Columns)))
	}
	t.Rows = append(t.Rows, cells)
}

// Header is the header of column j in lang.
func (t *Table) Header(lang platform.Lang, j int) string { return platform.T(lang, t.Columns[j].Key) }

// Display is the text of cell (i, j) as the HTML table shows it.
func (t *Table) Display(i, j int) string {
	c := t.Rows[i][j]
	if c.Null {
		return ""
	}
	switch t.Columns[j].Kind {
	case ColMoney:
		return platform.Money(c.N).String()
	case ColInt:
		return strconv.FormatInt(c.N, 10)
	case ColPercent:
		return FormatBasisPoints(c.N)
	case ColDate:
		return c.T.Format(time.DateOnly)
	}
	return c.S
}

// FormatBasisPoints renders basis points as a percentage with two
// decimals: 1234 → "12.34%", -5 → "-0.05%".
func FormatBasisPoints(bp int64) string {
	sign := ""
	u := uint64(bp)
	if bp < 0 {
		sign = "-"
		u = uint64(-(bp + 1)) + 1
	}
	return fmt.Sprintf("%s%d.%02d%%", sign, u/100, u%100)
}

// numeric reports whether column j is right-aligned.
func (t *Table) numeric(j int) bool {
	k := t.Columns[j].Kind
	return k == ColMoney || k == ColInt || k == ColPercent
}

// HTML renders the table (inside a scrolling wrapper) in lang.
func (t *Table) HTML(lang platform.Lang) template.HTML {
	var b strings.Builder
	esc := template.HTMLEscapeString
	b.WriteString(`<div class="table-wrap"><table`)
	if t.ID != "" {
		b.WriteString(` id="` + esc(t.ID) + `"`)
	}
	b.WriteString(`><thead><tr>`)
	for j := range t.Columns {
		b.WriteString(`<th`)
		if t.numeric(j) {
			b.WriteString(` class="num"`)
		}
		b.WriteString(`>` + esc(t.Header(lang, j)) + `</th>`)
	}
	b.WriteString(`</tr></thead><tbody>`)
	for i := range t.Rows {
		b.WriteString(`<tr>`)
		for j := range t.Columns {
			b.WriteString(`<td`)
			if t.numeric(j) {
				b.WriteString(` class="num"`)
			}
			b.WriteString(`>` + esc(t.Display(i, j)) + `</td>`)
		}
		b.WriteString(`</tr>`)
	}
	if len(t.Rows) == 0 && t.Empty != "" {
		fmt.Fprintf(&b, `<tr><td colspan="%d" class="muted">%s</td></tr>`, len(t.Columns), esc(platform.T(lang, t.Empty)))
	}
	b.WriteString(`</tbody></table></div>`)
	return template.HTML(b.String()) // every text above is escaped
}

// ExportURL is the current page's URL asking for the XLSX of this table:
// the same query (so the same filters) plus format=xlsx and table=ID.
func (t *Table) ExportURL(r *http.Request) string {
	q := url.Values{}
	for k, v := range r.URL.Query() {
		q[k] = v
	}
	q.Set("format", "xlsx")
	q.Set("table", t.ID)
	return r.URL.Path + "?" + q.Encode()
}

// WantsXLSX reports whether the request asks for the export of the table
// with id (?format=xlsx&table=id; a page with one table may omit table).
func WantsXLSX(r *http.Request, id string) bool {
	q := r.URL.Query()
	if q.Get("format") != "xlsx" {
		return false
	}
	tid := q.Get("table")
	return tid == "" || tid == id
}

// Export answers a request for the XLSX of one of tables (see WantsXLSX)
// and reports whether it did; a page handler calls it first and renders
// its HTML when it returns false.
func Export(w http.ResponseWriter, r *http.Request, tables ...*Table) (bool, error) {
	for _, t := range tables {
		if t != nil && WantsXLSX(r, t.ID) {
			return true, ServeXLSX(w, r, t)
		}
	}
	if r.URL.Query().Get("format") == "xlsx" {
		return true, platform.NotFound("resource")
	}
	return false, nil
}
