package catalog

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"storeops/internal/platform"
)

// The import file: one row per SKU, with a header row naming the
// columns in Chinese or English. Rows with the same spu key make one
// product; the product's own columns come from its first row (later rows
// may leave them empty). The export writes the same columns, so an
// exported file imports back unchanged.
const (
	ColSPU         = "spu"
	ColTitle       = "title"
	ColSubtitle    = "subtitle"
	ColCategory    = "category"
	ColBrand       = "brand"
	ColStorage     = "storage_class"
	ColAttributes  = "attributes"
	ColTags        = "tags"
	ColDescription = "description"
	ColStatus      = "status"
	ColSKUCode     = "sku_code"
	ColSpec        = "spec"
	ColPrice       = "price"
	ColCompareAt   = "compare_at_price"
	ColCost        = "cost"
	ColWeight      = "weight_g"
	ColVolume      = "volume_cm3"
	ColBarcode     = "barcode"
)

// ImportColumns are the columns in file order, each with its Chinese
// header (the export writes these).
var ImportColumns = []struct{ Key, ZH string }{
	{ColSPU, "商品编号"}, {ColTitle, "标题"}, {ColSubtitle, "副标题"}, {ColCategory, "分类"}, {ColBrand, "品牌"},
	{ColStorage, "储存方式"}, {ColAttributes, "商品属性"}, {ColTags, "标签"}, {ColDescription, "商品详情"}, {ColStatus, "状态"},
	{ColSKUCode, "SKU编码"}, {ColSpec, "规格"}, {ColPrice, "售价"}, {ColCompareAt, "划线价"}, {ColCost, "成本"},
	{ColWeight, "重量(克)"}, {ColVolume, "体积(cm³)"}, {ColBarcode, "条码"},
}

// headerAliases maps a normalised header to its column.
var headerAliases = func() map[string]string {
	m := map[string]string{}
	for _, c := range ImportColumns {
		m[normHeader(c.Key)] = c.Key
		m[normHeader(c.ZH)] = c.Key
	}
	for alias, key := range map[string]string{
		"商品标题": ColTitle, "sku": ColSKUCode, "sku code": ColSKUCode, "sku编号": ColSKUCode, "价格": ColPrice, "compare at": ColCompareAt,
		"compare_at": ColCompareAt, "原价": ColCompareAt, "weight": ColWeight, "重量": ColWeight, "volume": ColVolume, "体积": ColVolume,
		"storage": ColStorage, "属性": ColAttributes, "详情": ColDescription, "描述": ColDescription, "spu编码": ColSPU, "商品编码": ColSPU,
		"ean": ColBarcode, "gtin": ColBarcode, "条形码": ColBarcode,
	} {
		m[normHeader(alias)] = key
	}
	return m
}()

func normHeader(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
	s = strings.NewReplacer("（", "(", "）", ")", " ", "", "_", "", "-", "").Replace(s)
	return s
}

// Import file limits: beyond them the file is refused as a whole.
const (
	MaxImportBytes = 32 << 20
	MaxImportRows  = 100_000
	maxCellRunes   = 60_000
)

// ImportRow is one data row: its line in the file (the header is 1) and
// its cells by column key.
type ImportRow struct {
	Line  int
	Cells map[string]string
}

// Get is the cell of column key, trimmed.
func (r ImportRow) Get(key string) string { return strings.TrimSpace(r.Cells[key]) }

// Format is an import file's format.
type Format string

const (
	FormatCSV  Format = "csv"
	FormatXLSX Format = "xlsx"
)

// FormatOf guesses a file's format from its name, then its first bytes
// (XLSX is a ZIP archive).
func FormatOf(name string, head []byte) Format {
	switch {
	case strings.HasSuffix(strings.ToLower(name), ".xlsx"), bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return FormatXLSX
	}
	return FormatCSV
}

// ParseImport reads an import file into rows. It fails as a whole
// (CodeInvalid on field "file") when the file cannot be read, has no
// header row, repeats a column, lacks the sku_code column, has too many
// rows or a cell is not UTF-8; unknown columns are ignored. Empty rows
// are skipped.
func ParseImport(r io.Reader, f Format) ([]ImportRow, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return nil, fileError("catalog.import.unreadable").Wrap(err)
	}
	if len(data) > MaxImportBytes {
		return nil, fileError("catalog.import.too_big", MaxImportBytes>>20)
	}
	var records [][]string
	switch f {
	case FormatXLSX:
		records, err = xlsxRecords(data)
	default:
		records, err = csvRecords(data)
	}
	if err != nil {
		return nil, err
	}
	if len(records) == 0 {
		return nil, fileError("catalog.import.no_header")
	}
	cols := make([]string, len(records[0]))
	seen := map[string]bool{}
	for i, h := range records[0] {
		key := headerAliases[normHeader(h)]
		if key != "" && seen[key] {
			return nil, fileError("catalog.import.repeated_column", h)
		}
		seen[key] = true
		cols[i] = key
	}
	if !seen[ColSKUCode] {
		return nil, fileError("catalog.import.no_sku_column")
	}
	if len(records)-1 > MaxImportRows {
		return nil, fileError("catalog.import.too_many_rows", MaxImportRows)
	}
	var rows []ImportRow
	for i, rec := range records[1:] {
		row := ImportRow{Line: i + 2, Cells: map[string]string{}}
		empty := true
		for j, v := range rec {
			if j >= len(cols) || cols[j] == "" {
				continue
			}
			if !utf8.ValidString(v) {
				return nil, fileError("catalog.import.not_utf8", row.Line)
			}
			if utf8.RuneCountInString(v) > maxCellRunes {
				return nil, fileError("catalog.import.cell_too_long", row.Line)
			}
			if strings.TrimSpace(v) != "" {
				empty = false
			}
			row.Cells[cols[j]] = v
		}
		if !empty {
			rows = append(rows, row)
		}
	}
	return rows, nil
}

func fileError(key string, args ...any) *platform.Error {
	e := platform.E(platform.CodeInvalid)
	e.Fields = append(e.Fields, platform.FieldError{Field: "file", Key: key, Args: args})
	return e
}

func csvRecords(data []byte) ([][]string, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		return nil, fileError("catalog.import.not_utf8_file")
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	var out [][]string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fileError("catalog.import.bad_csv", err.Error()).Wrap(err)
		}
		if len(out) > MaxImportRows+1 {
			return nil, fileError("catalog.import.too_many_rows", MaxImportRows)
		}
		out = append(out, rec)
	}
}

// xlsxRecords reads the first sheet. excelize bounds what it unpacks
// (UnzipSizeLimit), so a small file that inflates hugely is refused.
func xlsxRecords(data []byte) ([][]string, error) {
	x, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 256 << 20, UnzipXMLSizeLimit: 64 << 20})
	if err != nil {
		return nil, fileError("catalog.import.bad_xlsx").Wrap(err)
	}
	defer x.Close()
	sheets := x.GetSheetList()
	if len(sheets) == 0 {
		return nil, fileError("catalog.import.no_header")
	}
	it, err := x.Rows(sheets[0])
	if err != nil {
		return nil, fileError("catalog.import.bad_xlsx").Wrap(err)
	}
	defer it.Close()
	var out [][]string
	for it.Next() {
		rec, err := it.Columns()
		if err != nil {
			return nil, fileError("catalog.import.bad_xlsx").Wrap(err)
		}
		if len(out) > MaxImportRows+1 {
			return nil, fileError("catalog.import.too_many_rows", MaxImportRows)
		}
		out = append(out, rec)
	}
	if err := it.Error(); err != nil {
		return nil, fileError("catalog.import.bad_xlsx").Wrap(fmt.Errorf("rows: %w", err))
	}
	return out, nil
}
