package support_test

import (
	"context"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/audit"
	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/support"
)

// shanghai parses a shop-time instant "2026-11-20 17:30".
func shanghai(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, platform.ShopZone)
	if err != nil {
		t.Fatal(err)
	}
	return v.UTC()
}

// agent makes a staff user of the service role an active agent with
// skills, and returns the actor and an API token acting as them.
func agent(t *testing.T, a *app.App, name string, skills ...string) (audit.Actor, string) {
	t.Helper()
	email := name + "@test.local"
	tok := apptest.StaffToken(t, a, platform.RoleService, email)
	var id platform.ID
	if err := a.DB.R.QueryRow(`SELECT id FROM staff_users WHERE email = $1`, email).Scan(&id); err != nil {
		t.Fatal(err)
	}
	by := audit.Actor{Kind: audit.KindStaff, StaffID: id, Name: name, Email: email}
	if _, err := support.NewService(a.DB).SaveAgent(context.Background(), by, support.Agent{StaffID: id, Skills: skills, Active: true}); err != nil {
		t.Fatal(err)
	}
	return by, tok
}

// seedOrder inserts an order of customerID in status st.
func seedOrder(t *testing.T, db *store.DB, customerID platform.ID, st order.Status) (platform.ID, string) {
	t.Helper()
	ctx := context.Background()
	var id platform.ID
	var no string
	err := db.Write(ctx, func(tx *store.Tx) error {
		placed := store.Time(tx.Now.Add(-time.Hour))
		var err error
		if no, err = order.NewOrderNo(ctx, tx, placed); err != nil {
			return err
		}
		id = tx.NewID()
		_, err = tx.ExecContext(ctx, `INSERT INTO orders (id, order_no, customer_id, status, items_total, total, refunded_total, item_count,
			placed_at, paid_at, created_at, updated_at) VALUES ($1, $2, $3, $4, 19600, 19600, 0, 1, $5, $5, $5, $5)`,
			id, no, customerID, st, placed)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id, no
}
