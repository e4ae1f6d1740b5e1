package support

import (
	"context"
	"errors"

	"storeops/internal/audit"
	"storeops/internal/store"
)

// careKeyCtx carries a care rule's key into openTx, so a rule that fires
// twice for the same thing (an event delivered again, a sweep that runs
// again) opens one ticket: the key is unique.
type careKeyCtx struct{}

// errCareDone reports that the rule already fired for its key.
var errCareDone = errors.New("support: care rule already fired")

// openCare opens a care ticket once per key inside tx; a repeat is not
// an error. It reports whether a ticket was opened.
func openCare(ctx context.Context, tx *store.Tx, key string, in NewTicket) (bool, error) {
	in.Channel = Care
	if err := in.Validate(); err != nil {
		return false, err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM support_tickets WHERE care_key = $1`, key).Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	_, err := openTx(context.WithValue(ctx, careKeyCtx{}, key), tx, audit.System, in)
	if errors.Is(err, errCareDone) {
		return false, nil
	}
	return err == nil, err
}
