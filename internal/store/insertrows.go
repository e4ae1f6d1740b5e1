package store

import (
	"context"
	"strconv"
	"strings"
)

// insertRowsMaxVars bounds the parameters of one statement InsertRows
// sends, under both SQLite's (32766) and PostgreSQL's (65535) limits.
const insertRowsMaxVars = 30000

// InsertRows writes rows into table with multi-row INSERT statements in
// tx (as many rows per statement as the parameter limits allow): one
// round trip for hundreds of rows, inside an ordinary write transaction,
// unlike the Loader's separate one. suffix follows the VALUES list ("ON
// CONFLICT DO NOTHING", or ""). Every row has len(cols) values.
func InsertRows(ctx context.Context, tx *Tx, table string, cols []string, rows [][]any, suffix string) error {
	if len(rows) == 0 {
		return nil
	}
	per := max(1, insertRowsMaxVars/len(cols))
	sqlite := tx.Dialect == SQLite
	if sqlite {
		// As the Loader: bigger statements bind no faster on SQLite.
		per = min(per, 500)
	}
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		var s strings.Builder
		s.Grow(64 + len(chunk)*len(cols)*7)
		s.WriteString("INSERT INTO ")
		s.WriteString(table)
		s.WriteString(" (")
		s.WriteString(strings.Join(cols, ", "))
		s.WriteString(") VALUES ")
		args := make([]any, 0, len(chunk)*len(cols))
		for i, r := range chunk {
			if i > 0 {
				s.WriteByte(',')
			}
			s.WriteByte('(')
			for j := range cols {
				if j > 0 {
					s.WriteByte(',')
				}
				// SQLite looks numbered parameters up by name, which
				// costs per parameter per statement; plain ? does not.
				if sqlite {
					s.WriteByte('?')
				} else {
					s.WriteByte('$')
					s.WriteString(strconv.Itoa(len(args) + j + 1))
				}
			}
			s.WriteByte(')')
			args = append(args, r...)
		}
		if suffix != "" {
			s.WriteByte(' ')
			s.WriteString(suffix)
		}
		if _, err := tx.ExecContext(ctx, s.String(), args...); err != nil {
			return err
		}
	}
	return nil
}
