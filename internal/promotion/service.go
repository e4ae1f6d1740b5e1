package promotion

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// Service manages rules, batches and codes for the console and the staff
// API, and answers checkout's calls (ActiveRules, LoadCoupons, Redeem,
// ReleaseForOrder). Staff methods own their transaction and audit the
// change in it.
type Service struct{ db *store.DB }

// NewService makes the service on db.
func NewService(db *store.DB) *Service { return &Service{db: db} }

// StatusChange is a request to move a rule or batch to another status.
type StatusChange struct {
	Status Status `json:"status"`
}

// nullTime stores a zero time as NULL.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return store.Time(t)
}

// timeOf reads a nullable time back.
func timeOf(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// actorName is how created_by and updated_by name who did it.
func actorName(a audit.Actor) string {
	if a.StaffID != 0 {
		return fmt.Sprintf("staff:%s %s", a.StaffID, a.Name)
	}
	return a.Kind + ":" + a.Name
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// checkStatus validates a status change.
func checkStatus(s Status) error {
	if !s.Valid() {
		return platform.Invalid("status", "promotion.bad_status")
	}
	return nil
}

// pageArgs turns a page request into the id bound and the row limit of a
// newest-first keyset listing.
func pageArgs(p platform.PageRequest) (before int64, limit int) {
	before = 1<<63 - 1
	if p.After != nil {
		before = int64(p.After.ID)
	}
	limit = p.Limit
	if limit <= 0 {
		limit = platform.DefaultPageSize
	}
	return before, limit
}

// write runs fn in a write transaction of the service's database.
func (s *Service) write(ctx context.Context, fn func(tx *store.Tx) error) error {
	return s.db.Write(ctx, fn)
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }
