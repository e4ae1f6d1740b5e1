package store_test

import (
	"context"
	"testing"

	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// Nodes sharing one PostgreSQL lease different node numbers, so their ids
// never collide; a closed node's number is released for the next.
func TestNodesLeaseDistinctNumbers(t *testing.T) {
	if storetest.AdminURL() == "" {
		t.Skip("PostgreSQL only: SQLite has one process")
	}
	shared := storetest.Open(t, store.Postgres, storetest.Config{})
	ctx := context.Background()
	open := func() *store.DB {
		db, err := store.Open(ctx, shared.URL, store.Options{MaxConns: 2})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.LeaseNode(ctx); err != nil {
			t.Fatal(err)
		}
		return db
	}
	a, b := open(), open()
	if a.IDs.Node() == b.IDs.Node() {
		t.Fatalf("both nodes leased number %d", a.IDs.Node())
	}
	if !a.LeaseHealthy() || !b.LeaseHealthy() {
		t.Fatal("fresh leases reported unhealthy")
	}
	freed := a.IDs.Node()
	a.Close()
	c := open()
	defer c.Close()
	defer b.Close()
	if c.IDs.Node() != freed {
		t.Fatalf("new node leased %d, want the released %d", c.IDs.Node(), freed)
	}
}
