package web

import (
	"bytes"
	"html"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"storeops/internal/platform"
)

func init() {
	platform.RegisterTexts(platform.Texts{
		"test.table.title":   {"测试表", "Test table"},
		"test.table.name":    {"名称", "Name"},
		"test.table.sales":   {"销售额", "Sales"},
		"test.table.qty":     {"数量", "Quantity"},
		"test.table.share":   {"占比", "Share"},
		"test.table.day":     {"日期", "Day"},
		"test.table.nothing": {"暂无数据", "No data"},
	})
}

func sampleTable() *Table {
	t := &Table{ID: "sample", Name: "sample", Title: "test.table.title", Empty: "test.table.nothing", Columns: []Column{
		{Key: "test.table.name", Kind: ColText},
		{Key: "test.table.sales", Kind: ColMoney},
		{Key: "test.table.qty", Kind: ColInt},
		{Key: "test.table.share", Kind: ColPercent},
		{Key: "test.table.day", Kind: ColDate},
	}}
	day := time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC)
	t.Append(TextCell("<b>有机大米 5kg</b>"), NumCell(123456), NumCell(42), NumCell(1234), DateCell(day))
	t.Append(TextCell("=HYPERLINK(\"x\")"), NumCell(-5), NumCell(0), NumCell(-1), DateCell(day.AddDate(0, 0, 1)))
	t.Append(TextCell("空值"), NullCell, NumCell(9_000_000_000_00), NumCell(10000), NullCell)
	return t
}

var tdRe = regexp.MustCompile(`<t[dh][^>]*>(.*?)</t[dh]>`)

// htmlCells reads the header and cell texts back out of the rendered table.
func htmlCells(s string) [][]string {
	var out [][]string
	for _, tr := range strings.Split(s, "<tr>")[1:] {
		var row []string
		for _, m := range tdRe.FindAllStringSubmatch(tr, -1) {
			row = append(row, html.UnescapeString(m[1]))
		}
		out = append(out, row)
	}
	return out
}

func TestTableXLSXMatchesHTML(t *testing.T) {
	for _, lang := range []platform.Lang{platform.ZH, platform.EN} {
		t.Run(string(lang), func(t *testing.T) {
			tbl := sampleTable()
			page := string(tbl.HTML(lang))
			if strings.Contains(page, "<b>") {
				t.Fatalf("cell text not escaped: %s", page)
			}
			want := htmlCells(page)
			var buf bytes.Buffer
			if err := tbl.WriteXLSX(&buf, lang); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			sheet := f.GetSheetName(0)
			if sheet != platform.T(lang, "test.table.title") {
				t.Errorf("sheet name %q", sheet)
			}
			if len(want) != len(tbl.Rows)+1 {
				t.Fatalf("html rows %d", len(want))
			}
			for i, row := range want {
				for j, shown := range row {
					cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
					raw, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
					if err != nil {
						t.Fatal(err)
					}
					typ, _ := f.GetCellType(sheet, cell)
					if i == 0 {
						if raw != shown {
							t.Errorf("header %s: xlsx %q, html %q", cell, raw, shown)
						}
						continue
					}
					if got := xlsxAsHTML(t, tbl.Columns[j].Kind, raw, typ, shown); got != shown {
						t.Errorf("cell %s (%v): xlsx %q reads as %q, html shows %q", cell, tbl.Columns[j].Kind, raw, got, shown)
					}
				}
			}
			if lang == platform.ZH {
				h, _ := f.GetCellValue(sheet, "B1")
				if h != "销售额" {
					t.Errorf("zh header %q", h)
				}
			}
		})
	}
}

// xlsxAsHTML turns a raw spreadsheet value into the HTML display, checking
// on the way that numbers are stored as numbers.
func xlsxAsHTML(t *testing.T, kind ColumnKind, raw string, typ excelize.CellType, shown string) string {
	t.Helper()
	if raw == "" {
		return ""
	}
	switch kind {
	case ColText:
		if typ == excelize.CellTypeFormula {
			t.Errorf("text %q stored as a formula", raw)
		}
		return raw
	case ColMoney, ColInt, ColPercent:
		if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("number %q stored as type %v", raw, typ)
		}
		v, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			t.Fatalf("not a number: %q", raw)
		}
		switch kind {
		case ColMoney:
			m, err := platform.ParseMoney(strconv.FormatFloat(v, 'f', 2, 64))
			if err != nil {
				t.Fatal(err)
			}
			return m.String()
		case ColPercent:
			return FormatBasisPoints(int64(roundHalfAway(v * 10000)))
		}
		return strconv.FormatInt(int64(v), 10)
	case ColDate:
		serial, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			t.Fatalf("date not a serial: %q", raw)
		}
		d, err := excelize.ExcelDateToTime(serial, false)
		if err != nil {
			t.Fatal(err)
		}
		return d.Format(time.DateOnly)
	}
	return raw
}

func roundHalfAway(v float64) float64 {
	if v < 0 {
		return -float64(int64(-v + 0.5))
	}
	return float64(int64(v + 0.5))
}

func TestTableEmptyAndExport(t *testing.T) {
	tbl := &Table{ID: "t1", Name: "top", Empty: "test.table.nothing", Columns: []Column{{Key: "test.table.name"}}}
	if !strings.Contains(string(tbl.HTML(platform.ZH)), "暂无数据") {
		t.Error("empty table says nothing")
	}
	r := httptest.NewRequest("GET", "/console/x?from=2026-11-01&to=2026-11-07", nil)
	u := tbl.ExportURL(r)
	if !strings.Contains(u, "format=xlsx") || !strings.Contains(u, "table=t1") || !strings.Contains(u, "from=2026-11-01") {
		t.Errorf("export url %q", u)
	}
	w := httptest.NewRecorder()
	done, err := Export(w, httptest.NewRequest("GET", u, nil), tbl)
	if !done || err != nil {
		t.Fatalf("export: %v %v", done, err)
	}
	cd := w.Header().Get("Content-Disposition")
	if !strings.HasPrefix(cd, `attachment; filename="top-`) || !strings.Contains(cd, ".xlsx") {
		t.Errorf("content disposition %q", cd)
	}
	if _, err := excelize.OpenReader(w.Body); err != nil {
		t.Errorf("download does not open: %v", err)
	}
	if done, _ := Export(httptest.NewRecorder(), r, tbl); done {
		t.Error("html request answered as export")
	}
	if done, err := Export(httptest.NewRecorder(), httptest.NewRequest("GET", "/x?format=xlsx&table=nope", nil), tbl); !done || err == nil {
		t.Error("unknown table export should be not found")
	}
}

func TestFormatBasisPoints(t *testing.T) {
	for bp, want := range map[int64]string{0: "0.00%", 1234: "12.34%", -5: "-0.05%", 10000: "100.00%", -12345: "-123.45%"} {
		if got := FormatBasisPoints(bp); got != want {
			t.Errorf("%d: %q, want %q", bp, got, want)
		}
	}
}
