package order

import (
	"context"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"storeops/internal/audit"
	"storeops/internal/platform"
)

// MaxBulkShipRows bounds one upload, so a sheet stays a few minutes of
// work for the writer rather than an afternoon.
const MaxBulkShipRows = 5000

// BulkShipRow is one data row of an uploaded sheet and what became of it.
type BulkShipRow struct {
	Row        int // the sheet's row number, 2 for the first data row
	OrderNo    string
	Carrier    string
	TrackingNo string
	// Err is nil when the order shipped.
	Err *platform.Error
}

// BulkShipReport lists every data row with its outcome.
type BulkShipReport struct {
	Rows    []BulkShipRow
	Shipped int
	Failed  int
}

// The header names each column may have (lower case, zh or en).
var bulkShipHeaders = map[string][]string{
	"order_no":    {"订单号", "订单编号", "order_no", "order no", "order number"},
	"carrier":     {"快递公司", "物流公司", "承运商", "carrier"},
	"tracking_no": {"快递单号", "运单号", "物流单号", "tracking_no", "tracking no", "tracking number"},
}

// BulkShipColumns are the header keys of the sheet, in template order.
var BulkShipColumns = []string{"order_no", "carrier", "tracking_no"}

// ParseBulkShip reads the first sheet of an XLSX file: a header row naming
// the order number, carrier and tracking number columns (zh or en, any
// order), then one parcel per row; blank rows are skipped. Errors:
// CodeBadSheet (not an XLSX file, a column missing, no rows or more than
// MaxBulkShipRows).
func ParseBulkShip(r io.Reader) ([]BulkShipRow, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, platform.Errorf(CodeBadSheet, "", platform.Key("order.bulk.not_xlsx")).Wrap(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, platform.Errorf(CodeBadSheet, "", platform.Key("order.bulk.no_rows"))
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, platform.Errorf(CodeBadSheet, "", platform.Key("order.bulk.not_xlsx")).Wrap(err)
	}
	defer rows.Close()
	col := map[string]int{}
	var out []BulkShipRow
	for n := 1; rows.Next(); n++ {
		cells, err := rows.Columns()
		if err != nil {
			return nil, platform.Errorf(CodeBadSheet, "", platform.Key("order.bulk.not_xlsx")).Wrap(err)
		}
		if len(col) == 0 {
			if blank(cells) {
				continue
			}
			for j, c := range cells {
				name := strings.ToLower(strings.TrimSpace(c))
				for key, names := range bulkShipHeaders {
					for _, h := range names {
						if name == h {
							col[key] = j
						}
					}
				}
			}
			for _, key := range BulkShipColumns {
				if _, ok := col[key]; !ok {
					return nil, platform.Errorf(CodeBadSheet, "", platform.Key("order.bulk.col."+key))
				}
			}
			continue
		}
		if blank(cells) {
			continue
		}
		if len(out) == MaxBulkShipRows {
			return nil, platform.Errorf(CodeBadSheet, "", platform.Key("order.bulk.too_many"))
		}
		at := func(key string) string {
			if j := col[key]; j < len(cells) {
				return strings.TrimSpace(cells[j])
			}
			return ""
		}
		out = append(out, BulkShipRow{Row: n, OrderNo: at("order_no"), Carrier: at("carrier"), TrackingNo: at("tracking_no")})
	}
	if err := rows.Error(); err != nil {
		return nil, platform.Errorf(CodeBadSheet, "", platform.Key("order.bulk.not_xlsx")).Wrap(err)
	}
	if len(col) == 0 {
		return nil, platform.Errorf(CodeBadSheet, "", platform.Key("order.bulk.col.order_no"))
	}
	if len(out) == 0 {
		return nil, platform.Errorf(CodeBadSheet, "", platform.Key("order.bulk.no_rows"))
	}
	return out, nil
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// BulkShip ships every row of a parsed sheet, each in its own
// transaction, so a bad row is reported and the others still ship. A row
// fails with CodeNotFound (no such order number), CodeInvalid, a 409 of
// Ship, or CodeConflict when its order number appears twice in the sheet.
// Only a database failure or a cancelled ctx stops the run (the rows done
// so far stay shipped).
func (s *Service) BulkShip(ctx context.Context, by audit.Actor, rows []BulkShipRow) (BulkShipReport, error) {
	rep := BulkShipReport{Rows: rows}
	seen := map[string]int{}
	for i := range rep.Rows {
		row := &rep.Rows[i]
		err := s.shipRow(ctx, by, row, seen)
		if err != nil {
			e := platform.AsError(err)
			if e.Code == platform.CodeInternal {
				return rep, err
			}
			row.Err = e
			rep.Failed++
			continue
		}
		rep.Shipped++
	}
	return rep, nil
}

func (s *Service) shipRow(ctx context.Context, by audit.Actor, row *BulkShipRow, seen map[string]int) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if row.OrderNo == "" {
		return platform.Invalid("order_no", "field.required")
	}
	if first, dup := seen[row.OrderNo]; dup {
		return platform.Errorf(platform.CodeConflict, "order.bulk.duplicate", first)
	}
	seen[row.OrderNo] = row.Row
	in := ShipInput{Carrier: row.Carrier, TrackingNo: row.TrackingNo}
	if err := in.Validate(); err != nil {
		return err
	}
	id, err := IDByNo(ctx, s.db.R, row.OrderNo)
	if err != nil {
		return err
	}
	_, err = s.Ship(ctx, by, id, in)
	return err
}
