package search_test

import (
	"context"
	"testing"
	"time"

	"storeops/internal/app/apptest"
	"storeops/internal/audit"
	"storeops/internal/outbox"
	"storeops/internal/platform"
	"storeops/internal/search"
	"storeops/internal/store"
)

func auditActor() audit.Actor { return audit.CLI("search test") }

// startRunner follows the outbox for e as one node would.
func startRunner(t *testing.T, db *store.DB, e *search.Engine) *outbox.Runner {
	return startNode(t, db, e, "test")
}

// startNode follows the outbox for e as the named node.
func startNode(t *testing.T, db *store.DB, e *search.Engine, node string) *outbox.Runner {
	t.Helper()
	r := outbox.NewRunner(db, apptest.Logger(), outbox.RunnerConfig{Node: node})
	if err := r.Add(e.Consumer()); err != nil {
		t.Fatal(err)
	}
	if err := r.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = r.Stop(ctx)
	})
	return r
}

// waitFor polls cond until the index has followed the outbox: within a
// second on SQLite. On PostgreSQL an event becomes readable only once
// every older transaction on the server has ended (see package outbox),
// and tests of other packages clone databases on the same server in
// transactions of their own, so the bound there is looser; the consumer
// itself is woken at once either way.
func waitFor(t *testing.T, db *store.DB, what string, cond func() bool) {
	t.Helper()
	bound := time.Second
	if db.Dialect == store.Postgres {
		bound = 10 * time.Second
	}
	deadline := time.Now().Add(bound)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not visible within %v", what, bound)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// writeProduct inserts or updates a product and publishes its change in
// the same transaction, as a catalog writer does.
func writeProduct(t *testing.T, db *store.DB, id, cat platform.ID, title, status string) platform.ID {
	t.Helper()
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		if id == 0 {
			id = tx.NewID()
			if _, err := tx.Exec(`INSERT INTO products (id, category_id, title, status, price_min, price_max, created_at, updated_at)
				VALUES ($1, $2, $3, $4, 1000, 1000, $5, $5)`, id, cat, title, status, tx.Now); err != nil {
				return err
			}
		} else if _, err := tx.Exec(`UPDATE products SET title = $1, status = $2, updated_at = $3 WHERE id = $4`,
			title, status, tx.Now, id); err != nil {
			return err
		}
		return outbox.Publish(context.Background(), tx, search.ProductChanged(id))
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestProductChangesReachTheIndexThroughTheOutbox(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		s := newShop(t, db)
		e := search.NewEngine(db, search.EngineConfig{})
		if len(find(t, e, "羊绒围巾")) != 0 {
			t.Fatal("found a scarf before there is one")
		}
		startRunner(t, db, e)
		id := writeProduct(t, db, 0, s.apparel, "羊绒围巾 冬季保暖", catalogOnSale)
		waitFor(t, db, "new product", func() bool { return contains(find(t, e, "羊绒围巾"), id) })
		waitFor(t, db, "new product by pinyin", func() bool { return contains(find(t, e, "yangrong"), id) })
		writeProduct(t, db, id, s.apparel, "真丝丝巾", catalogOnSale)
		waitFor(t, db, "renamed product", func() bool {
			return contains(find(t, e, "丝巾"), id) && !contains(find(t, e, "羊绒围巾"), id)
		})
		writeProduct(t, db, id, s.apparel, "真丝丝巾", "off_sale")
		waitFor(t, db, "product taken off sale", func() bool { return !contains(find(t, e, "丝巾"), id) })
	})
}

// Every node keeps its own index, and each follows the log on its own.
func TestEveryNodeSeesAChange(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		s := newShop(t, db)
		a := search.NewEngine(db, search.EngineConfig{})
		b := search.NewEngine(db, search.EngineConfig{})
		startNode(t, db, a, "node-a")
		startNode(t, db, b, "node-b")
		id := writeProduct(t, db, 0, s.apparel, "真丝睡衣套装", catalogOnSale)
		waitFor(t, db, "node a", func() bool { return contains(find(t, a, "睡衣"), id) })
		waitFor(t, db, "node b", func() bool { return contains(find(t, b, "睡衣"), id) })
	})
}

func TestIndexRebuildsFromTheDatabase(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		s := newShop(t, db)
		e := search.NewEngine(db, search.EngineConfig{})
		if !contains(find(t, e, "连衣裙"), s.dress) {
			t.Fatal("no dress before the drop")
		}
		// A node that lost its index builds it again on the next search.
		e.Drop()
		if !contains(find(t, e, "连衣裙"), s.dress) {
			t.Fatal("no dress after the drop")
		}
		// A change that published no event (a bulk import) is caught by
		// the check, which rebuilds.
		var id platform.ID
		err := db.Write(context.Background(), func(tx *store.Tx) error {
			id = tx.NewID()
			_, err := tx.Exec(`INSERT INTO products (id, category_id, title, status, price_min, price_max, created_at, updated_at)
				VALUES ($1, $2, '蕾丝连衣裙', 'on_sale', 1000, 1000, $3, $3)`, id, s.dresses, tx.Now)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if contains(find(t, e, "蕾丝"), id) {
			t.Fatal("found a product the index was never told about")
		}
		rebuilt, err := e.Check(context.Background())
		if err != nil || !rebuilt {
			t.Fatalf("check: rebuilt %v, %v", rebuilt, err)
		}
		if !contains(find(t, e, "蕾丝"), id) {
			t.Error("the rebuild missed the new product")
		}
		if rebuilt, err := e.Check(context.Background()); err != nil || rebuilt {
			t.Errorf("second check: rebuilt %v, %v; want no rebuild of a current index", rebuilt, err)
		}
	})
}

const catalogOnSale = "on_sale"
