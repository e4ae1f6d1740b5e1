package promotion

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/pricing"
	"storeops/internal/store"
)

// BatchRecord is a stored coupon batch with its counts.
type BatchRecord struct {
	ID     platform.ID   `json:"id"`
	Status Status        `json:"status"`
	Batch  pricing.Batch `json:"batch"`
	// Issued is how many codes were made; Used how many live
	// redemptions the batch has.
	Issued    int       `json:"issued"`
	Used      int       `json:"used"`
	CreatedBy string    `json:"created_by"`
	UpdatedBy string    `json:"updated_by"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

const batchCols = `id, status, batch_json, issued, used, created_by, updated_by, created_at, updated_at`

func scanBatch(sc interface{ Scan(...any) error }) (BatchRecord, error) {
	var b BatchRecord
	var js string
	if err := sc.Scan(&b.ID, &b.Status, &js, &b.Issued, &b.Used, &b.CreatedBy, &b.UpdatedBy, &b.CreatedAt, &b.UpdatedAt); err != nil {
		return b, err
	}
	if err := json.Unmarshal([]byte(js), &b.Batch); err != nil {
		return b, fmt.Errorf("promotion: batch %d: %w", b.ID, err)
	}
	b.Batch.ID = b.ID
	return b, nil
}

// CreateBatch validates and saves a new coupon batch as a draft.
func (s *Service) CreateBatch(ctx context.Context, by audit.Actor, batch pricing.Batch) (BatchRecord, error) {
	var out BatchRecord
	err := s.write(ctx, func(tx *store.Tx) error {
		batch.ID = tx.NewID()
		if err := validateBatch(ctx, tx, &batch); err != nil {
			return err
		}
		js, err := json.Marshal(batch)
		if err != nil {
			return err
		}
		who := actorName(by)
		_, err = tx.ExecContext(ctx, `INSERT INTO coupon_batches (id, name, kind, status, starts_at, ends_at, batch_json, total, per_customer,
			created_by, updated_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $11)`,
			batch.ID, batch.Name, string(batch.Kind), string(Draft), nullTime(batch.StartsAt), nullTime(batch.EndsAt), string(js),
			batch.Total, batch.PerCustomer, who, tx.Now)
		if err != nil {
			return fmt.Errorf("promotion: create batch: %w", err)
		}
		out = BatchRecord{ID: batch.ID, Status: Draft, Batch: batch, CreatedBy: who, UpdatedBy: who, CreatedAt: tx.Now, UpdatedAt: tx.Now}
		return audit.Change(ctx, tx, by, "promotion.batch_create", "coupon_batch", batch.ID, nil, out)
	})
	return out, err
}

// validateBatch runs the engine's checks and those only the database can
// answer: the batches NotWith names exist.
func validateBatch(ctx context.Context, tx *store.Tx, b *pricing.Batch) error {
	if err := b.Validate(); err != nil {
		return err
	}
	for _, id := range b.NotWith {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM coupon_batches WHERE id = $1`, id).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return platform.Invalid("not_with", "field.invalid")
		}
	}
	return nil
}

// UpdateBatch replaces a batch's definition. A total below the uses
// already made is refused.
func (s *Service) UpdateBatch(ctx context.Context, by audit.Actor, id platform.ID, batch pricing.Batch) (BatchRecord, error) {
	var out BatchRecord
	err := s.write(ctx, func(tx *store.Tx) error {
		before, err := getBatch(ctx, tx, id)
		if err != nil {
			return err
		}
		batch.ID = id
		if err := validateBatch(ctx, tx, &batch); err != nil {
			return err
		}
		js, err := json.Marshal(batch)
		if err != nil {
			return err
		}
		who := actorName(by)
		// The total is only lowered while the uses stay within it, in
		// the same statement that reads them.
		res, err := tx.ExecContext(ctx, `UPDATE coupon_batches SET name = $2, kind = $3, starts_at = $4, ends_at = $5, batch_json = $6,
			total = $7, per_customer = $8, updated_by = $9, updated_at = $10 WHERE id = $1 AND ($7 = 0 OR used <= $7)`,
			id, batch.Name, string(batch.Kind), nullTime(batch.StartsAt), nullTime(batch.EndsAt), string(js),
			batch.Total, batch.PerCustomer, who, tx.Now)
		if err != nil {
			return fmt.Errorf("promotion: update batch: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return platform.Invalid("total", "promotion.total_below_used", before.Used)
		}
		out = before
		out.Batch, out.UpdatedBy, out.UpdatedAt = batch, who, tx.Now
		return audit.Change(ctx, tx, by, "promotion.batch_update", "coupon_batch", id, before, out)
	})
	return out, err
}

// SetBatchStatus activates, pauses or ends a batch. Only an active
// batch's codes can be used.
func (s *Service) SetBatchStatus(ctx context.Context, by audit.Actor, id platform.ID, status Status) (BatchRecord, error) {
	var out BatchRecord
	if err := checkStatus(status); err != nil {
		return out, err
	}
	err := s.write(ctx, func(tx *store.Tx) error {
		before, err := getBatch(ctx, tx, id)
		if err != nil {
			return err
		}
		who := actorName(by)
		if _, err := tx.ExecContext(ctx, `UPDATE coupon_batches SET status = $2, updated_by = $3, updated_at = $4 WHERE id = $1`,
			id, string(status), who, tx.Now); err != nil {
			return fmt.Errorf("promotion: batch status: %w", err)
		}
		out = before
		out.Status, out.UpdatedBy, out.UpdatedAt = status, who, tx.Now
		return audit.Change(ctx, tx, by, "promotion.batch_status", "coupon_batch", id, map[string]Status{"status": before.Status}, map[string]Status{"status": status})
	})
	return out, err
}

// Batch reads one batch with its counts.
func (s *Service) Batch(ctx context.Context, id platform.ID) (BatchRecord, error) {
	var out BatchRecord
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		out, err = getBatch(ctx, tx, id)
		return err
	})
	return out, err
}

func getBatch(ctx context.Context, tx *store.Tx, id platform.ID) (BatchRecord, error) {
	b, err := scanBatch(tx.QueryRowContext(ctx, `SELECT `+batchCols+` FROM coupon_batches WHERE id = $1`, id))
	if isNoRows(err) {
		return b, platform.NotFound("coupon_batch")
	}
	return b, err
}

// BatchFilter narrows the batch listing.
type BatchFilter struct {
	Status *Status
	Page   platform.PageRequest
}

// Batches lists batches, newest first.
func (s *Service) Batches(ctx context.Context, f BatchFilter) (platform.Page[BatchRecord], error) {
	before, limit := pageArgs(f.Page)
	q := `SELECT ` + batchCols + ` FROM coupon_batches WHERE id < $1`
	args := []any{before}
	if f.Status != nil {
		q += ` AND status = $2`
		args = append(args, string(*f.Status))
	}
	q += fmt.Sprintf(` ORDER BY id DESC LIMIT %d`, limit+1)
	rows, err := s.db.R.QueryContext(ctx, q, args...)
	if err != nil {
		return platform.Page[BatchRecord]{}, err
	}
	defer rows.Close()
	var out []BatchRecord
	for rows.Next() {
		b, err := scanBatch(rows)
		if err != nil {
			return platform.Page[BatchRecord]{}, err
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return platform.Page[BatchRecord]{}, err
	}
	return platform.NewPage(out, limit, func(b BatchRecord) platform.Cursor { return platform.Cursor{ID: b.ID} }), nil
}
