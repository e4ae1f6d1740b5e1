package catalog

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// ExportRecords calls emit with the import file's header, then one
// record per active SKU of every product f selects (f.Page is ignored),
// newest product first. The records import back unchanged.
func (a *Admin) ExportRecords(ctx context.Context, f AdminFilter, emit func([]string) error) error {
	header := make([]string, len(ImportColumns))
	for i, c := range ImportColumns {
		header[i] = c.ZH
	}
	if err := emit(header); err != nil {
		return err
	}
	tree, err := LoadTree(ctx, a.db.R)
	if err != nil {
		return err
	}
	brands, err := listBrands(ctx, a.db.R)
	if err != nil {
		return err
	}
	brandName := map[platform.ID]string{}
	for _, b := range brands {
		brandName[b.ID] = b.Name
	}
	f.Page = platform.PageRequest{Limit: platform.MaxPageSize}
	for {
		page, err := a.List(ctx, f)
		if err != nil {
			return err
		}
		for _, row := range page.Items {
			var p *ProductEdit
			err := a.db.Read(ctx, func(tx *store.Tx) error {
				var err error
				p, err = loadEdit(ctx, tx, row.ID)
				return err
			})
			if err != nil {
				return err
			}
			if err := emitProduct(p, tree, brandName, emit); err != nil {
				return err
			}
		}
		if page.NextCursor == "" {
			return nil
		}
		if f.Page.After, err = platform.ParseCursor(page.NextCursor); err != nil {
			return err
		}
	}
}

func emitProduct(p *ProductEdit, tree *Tree, brandName map[platform.ID]string, emit func([]string) error) error {
	var path []string
	for _, c := range tree.Path(p.CategoryID) {
		path = append(path, c.Name)
	}
	brand := ""
	if p.BrandID != nil {
		brand = brandName[*p.BrandID]
	}
	for i, s := range p.SKUs {
		rec := map[string]string{
			ColSPU: p.ID.String(), ColSKUCode: s.Code, ColSpec: AttrText(s.Spec), ColPrice: yuan(s.Price), ColCost: yuan(s.Cost),
			ColWeight: strconv.Itoa(s.WeightG), ColVolume: strconv.Itoa(s.VolumeCM3), ColBarcode: s.Barcode,
		}
		if s.CompareAt != nil {
			rec[ColCompareAt] = yuan(*s.CompareAt)
		}
		if i == 0 {
			rec[ColTitle], rec[ColSubtitle], rec[ColCategory], rec[ColBrand] = p.Title, p.Subtitle, strings.Join(path, "/"), brand
			rec[ColStorage], rec[ColAttributes], rec[ColTags] = string(p.StorageClass), AttrText(p.Attributes), strings.Join(p.Tags, ", ")
			rec[ColDescription], rec[ColStatus] = p.Description, string(p.Status)
		}
		out := make([]string, len(ImportColumns))
		for j, c := range ImportColumns {
			out[j] = rec[c.Key]
		}
		if err := emit(out); err != nil {
			return err
		}
	}
	return nil
}

// ExportCSV writes the products f selects in the import format as UTF-8
// CSV with a byte-order mark (so spreadsheet programs read the Chinese).
func (a *Admin) ExportCSV(ctx context.Context, w io.Writer, f AdminFilter) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := a.ExportRecords(ctx, f, func(rec []string) error { return cw.Write(sanitizeCSV(rec)) }); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// sanitizeCSV quotes cells a spreadsheet would run as a formula
// (=, +, -, @ first), except plain numbers such as a negative amount.
func sanitizeCSV(rec []string) []string {
	for i, v := range rec {
		if v != "" && strings.ContainsAny(v[:1], "=+-@") {
			if _, err := strconv.ParseFloat(v, 64); err != nil {
				rec[i] = "'" + v
			}
		}
	}
	return rec
}

// ExportXLSX writes the same records as an XLSX sheet (cells are text,
// never formulas).
func (a *Admin) ExportXLSX(ctx context.Context, w io.Writer, f AdminFilter) error {
	x := excelize.NewFile()
	defer x.Close()
	sheet := x.GetSheetName(0)
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	row := 1
	err = a.ExportRecords(ctx, f, func(rec []string) error {
		cells := make([]any, len(rec))
		for i, v := range rec {
			cells[i] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return sw.SetRow(cell, cells)
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return x.Write(w)
}
