package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// loadCacheKiB is the SQLite page cache a bulk load asks for (256 MiB).
const loadCacheKiB = 262144

// sqliteMaxVars is SQLite's bound on the parameters of one statement.
const sqliteMaxVars = 32766

// Loader appends many rows to tables inside one transaction, for the demo
// shop and imports: multi-row INSERT statements (prepared once per table
// and batch size) on SQLite's single writer, COPY on PostgreSQL. It is
// not for everyday writes: there is no retry, and rows must not conflict.
type Loader struct {
	ctx     context.Context
	dialect Dialect
	sqlTx   *sql.Tx
	pgTx    pgx.Tx
	batches []*Batch
}

// Batch buffers rows for one table of a Loader and writes them when full.
type Batch struct {
	l     *Loader
	table string
	cols  []string
	per   int   // rows per statement or COPY
	buf   []any // per*len(cols) values
	n     int   // rows buffered
	total int64
	stmt  *sql.Stmt
}

// Load runs fn with a Loader in one write transaction and commits it once
// every batch has been flushed. An error from fn rolls everything back.
func (db *DB) Load(ctx context.Context, fn func(l *Loader) error) (err error) {
	l := &Loader{ctx: ctx, dialect: db.Dialect}
	if db.Dialect == Postgres {
		tx, berr := db.Pool.Begin(ctx)
		if berr != nil {
			return fmt.Errorf("store: load: begin: %w", berr)
		}
		defer func() {
			if err != nil {
				_ = tx.Rollback(context.Background())
			}
		}()
		// A bulk load is re-runnable; waiting for the WAL flush per
		// commit buys nothing.
		if _, err = tx.Exec(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
			return fmt.Errorf("store: load: %w", err)
		}
		l.pgTx = tx
	} else {
		// A page cache big enough for the indexes being filled keeps the
		// load from spilling pages to the WAL mid-transaction; the
		// default comes back afterwards.
		// (A caller that already set a larger cache, like the demo
		// generator for all its steps, keeps it: shrinking the cache
		// between loads would throw the hot pages away.)
		var was int64
		if err = db.W.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&was); err != nil {
			return fmt.Errorf("store: load: %w", err)
		}
		if was > -loadCacheKiB {
			if _, err = db.W.ExecContext(ctx, fmt.Sprintf(`PRAGMA cache_size = %d`, -loadCacheKiB)); err != nil {
				return fmt.Errorf("store: load: %w", err)
			}
			defer db.W.ExecContext(context.Background(), fmt.Sprintf(`PRAGMA cache_size = %d`, was))
		}
		tx, berr := db.W.BeginTx(ctx, nil)
		if berr != nil {
			return fmt.Errorf("store: load: begin: %w", berr)
		}
		defer func() {
			if err != nil {
				_ = tx.Rollback()
			}
		}()
		l.sqlTx = tx
	}
	if err = fn(l); err != nil {
		return err
	}
	for _, b := range l.batches {
		if err = b.Flush(); err != nil {
			return err
		}
		if b.stmt != nil {
			b.stmt.Close()
		}
	}
	if l.pgTx != nil {
		err = l.pgTx.Commit(ctx)
	} else {
		err = l.sqlTx.Commit()
	}
	if err != nil {
		return fmt.Errorf("store: load: commit: %w", err)
	}
	return nil
}

// Exec runs one statement in the load's transaction (a delete before a
// reload, say).
func (l *Loader) Exec(query string, args ...any) error {
	var err error
	if l.pgTx != nil {
		_, err = l.pgTx.Exec(l.ctx, query, args...)
	} else {
		_, err = l.sqlTx.ExecContext(l.ctx, query, args...)
	}
	return err
}

// Into returns a batch of rows for table with the given columns. Values
// are passed to Add in column order: int64, int, string, bool, []byte,
// time.Time (UTC, see Time), or nil for NULL.
func (l *Loader) Into(table string, cols ...string) *Batch {
	per := 5000
	if l.dialect == SQLite {
		// Larger statements bind no faster; 32766 variables is the ceiling.
		per = min(sqliteMaxVars/len(cols), 500)
	}
	b := &Batch{l: l, table: table, cols: cols, per: per, buf: make([]any, per*len(cols))}
	l.batches = append(l.batches, b)
	return b
}

// Add buffers one row, writing the batch when it is full.
func (b *Batch) Add(vals ...any) error {
	if len(vals) != len(b.cols) {
		return fmt.Errorf("store: load %s: %d values for %d columns", b.table, len(vals), len(b.cols))
	}
	copy(b.buf[b.n*len(b.cols):], vals)
	b.n++
	if b.n == b.per {
		return b.Flush()
	}
	return nil
}

// Rows is how many rows the batch has taken so far.
func (b *Batch) Rows() int64 { return b.total + int64(b.n) }

// Flush writes the buffered rows.
func (b *Batch) Flush() error {
	if b.n == 0 {
		return nil
	}
	var err error
	if b.l.pgTx != nil {
		err = b.copyPG()
	} else {
		err = b.insertSQLite()
	}
	if err != nil {
		return fmt.Errorf("store: load %s: %w", b.table, err)
	}
	b.total += int64(b.n)
	clear(b.buf[:b.n*len(b.cols)])
	b.n = 0
	return nil
}

func (b *Batch) insertSQLite() error {
	args := b.buf[:b.n*len(b.cols)]
	if b.n == b.per {
		if b.stmt == nil {
			st, err := b.l.sqlTx.PrepareContext(b.l.ctx, b.insertSQL(b.per))
			if err != nil {
				return err
			}
			b.stmt = st
		}
		_, err := b.stmt.ExecContext(b.l.ctx, args...)
		return err
	}
	_, err := b.l.sqlTx.ExecContext(b.l.ctx, b.insertSQL(b.n), args...)
	return err
}

// insertSQL is INSERT INTO t (a, b) VALUES (?, ?), (?, ?)… for rows rows.
func (b *Batch) insertSQL(rows int) string {
	var s strings.Builder
	s.Grow(32 + rows*(len(b.cols)*2+3))
	s.WriteString("INSERT INTO ")
	s.WriteString(b.table)
	s.WriteString(" (")
	s.WriteString(strings.Join(b.cols, ", "))
	s.WriteString(") VALUES ")
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?,", len(b.cols)), ",") + ")"
	for i := range rows {
		if i > 0 {
			s.WriteByte(',')
		}
		s.WriteString(tuple)
	}
	return s.String()
}

func (b *Batch) copyPG() error {
	w := len(b.cols)
	rows := make([][]any, b.n)
	for i := range rows {
		rows[i] = b.buf[i*w : (i+1)*w]
	}
	n, err := b.l.pgTx.CopyFrom(b.l.ctx, pgx.Identifier{b.table}, b.cols, pgx.CopyFromRows(rows))
	if err != nil {
		return err
	}
	if int(n) != b.n {
		return errors.New("short copy")
	}
	return nil
}

// BulkTime is t (see Time) as a value for Batch.Add. On SQLite it is the
// text the driver would store for t, so a generator can format its rows
// on its own goroutine instead of the single writer's; on PostgreSQL,
// whose COPY sends timestamps in binary, it is the time itself.
func (db *DB) BulkTime(t time.Time) any {
	t = Time(t)
	if db.Dialect == Postgres {
		return t
	}
	return string(AppendSQLiteTime(make([]byte, 0, 32), t))
}

// AppendSQLiteTime appends t as the SQLite driver writes a time with
// _time_format=sqlite: "2006-01-02 15:04:05.999999999-07:00" (fraction
// without trailing zeros).
func AppendSQLiteTime(b []byte, t time.Time) []byte {
	if t.Location() != time.UTC {
		return t.AppendFormat(b, sqliteTimeFormat)
	}
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	if y < 0 || y > 9999 {
		return t.AppendFormat(b, sqliteTimeFormat)
	}
	b = append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+int(mo)/10), byte('0'+int(mo)%10), '-', byte('0'+d/10), byte('0'+d%10), ' ',
		byte('0'+h/10), byte('0'+h%10), ':', byte('0'+mi/10), byte('0'+mi%10), ':', byte('0'+s/10), byte('0'+s%10))
	if ns := t.Nanosecond(); ns != 0 {
		var frac [10]byte
		frac[0] = '.'
		for i := 9; i >= 1; i-- {
			frac[i] = byte('0' + ns%10)
			ns /= 10
		}
		n := 10
		for frac[n-1] == '0' {
			n--
		}
		b = append(b, frac[:n]...)
	}
	return append(b, "+00:00"...)
}

const sqliteTimeFormat = "2006-01-02 15:04:05.999999999-07:00"
