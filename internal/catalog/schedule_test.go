package catalog_test

import (
	"context"
	"testing"
	"time"

	"storeops/internal/catalog"
	"storeops/internal/catalog/catalogtest"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// A due listing or delisting happens, audited as the system; one not
// yet due does not; a due product that cannot be sold is skipped with
// its schedule cleared.
func TestScheduledListing(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := catalogtest.New(t, db)
		cat := f.Category("生鲜", "Fresh", 0)
		mk := func(title string, st catalog.Status, price platform.Money) platform.ID {
			id, _ := f.Create(catalogtest.Product{Category: cat, Title: title, Status: st, SKUs: []catalogtest.SKU{{Price: price, Stock: 3}}})
			return id
		}
		now := db.Now()
		set := func(id platform.ID, col string, at time.Time) {
			if _, err := db.W.Exec(`UPDATE products SET `+col+` = $1 WHERE id = $2`, store.Time(at), id); err != nil {
				t.Fatal(err)
			}
		}
		dueList := mk("到点上架", catalog.StatusDraft, 1000)
		set(dueList, "list_at", now.Add(-time.Minute))
		laterList := mk("还没到点", catalog.StatusDraft, 1000)
		set(laterList, "list_at", now.Add(time.Hour))
		relist := mk("重新上架", catalog.StatusOffSale, 1000)
		set(relist, "list_at", now.Add(-time.Second))
		free := mk("没有价格", catalog.StatusDraft, 0)
		set(free, "list_at", now.Add(-time.Second))
		dueDelist := mk("到点下架", catalog.StatusOnSale, 1000)
		set(dueDelist, "delist_at", now.Add(-time.Second))
		laterDelist := mk("晚点下架", catalog.StatusOnSale, 1000)
		set(laterDelist, "delist_at", now.Add(time.Hour))

		res, err := catalog.RunSchedule(ctx, db, now)
		if err != nil {
			t.Fatal(err)
		}
		if res != (catalog.ScheduleResult{Listed: 2, Delisted: 1, Skipped: 1}) {
			t.Errorf("result %+v", res)
		}
		want := map[platform.ID]catalog.Status{dueList: catalog.StatusOnSale, laterList: catalog.StatusDraft, relist: catalog.StatusOnSale,
			free: catalog.StatusDraft, dueDelist: catalog.StatusOffSale, laterDelist: catalog.StatusOnSale}
		for id, st := range want {
			if storetest.Count(t, db, `SELECT COUNT(*) FROM products WHERE id = $1 AND status = $2`, id, string(st)) != 1 {
				t.Errorf("product %d is not %s", id, st)
			}
		}
		if n := storetest.Count(t, db, `SELECT COUNT(*) FROM products WHERE id IN ($1, $2, $3, $4) AND list_at IS NULL AND delist_at IS NULL`, dueList, relist, free, dueDelist); n != 4 {
			t.Errorf("%d of 4 done schedules cleared", n)
		}
		if n := storetest.Count(t, db, `SELECT COUNT(*) FROM products WHERE id = $1 AND list_at IS NOT NULL`, laterList); n != 1 {
			t.Error("a future schedule was cleared")
		}
		if n := storetest.Count(t, db, `SELECT COUNT(*) FROM audit_log WHERE actor_kind = 'system' AND action = 'product.status'`); n != 3 {
			t.Errorf("%d system status audits, want 3", n)
		}
		if n := storetest.Count(t, db, `SELECT COUNT(*) FROM audit_log WHERE action = 'product.schedule_skipped' AND entity_id = $1`, free.String()); n != 1 {
			t.Errorf("skip audited %d times", n)
		}
		if events(t, db, dueList) != 1 || events(t, db, dueDelist) != 1 || events(t, db, laterList) != 0 {
			t.Error("events do not match the moves")
		}
		// A second sweep finds nothing; the later ones go when their time comes.
		if res, err := catalog.RunSchedule(ctx, db, now); err != nil || res != (catalog.ScheduleResult{}) {
			t.Errorf("second sweep %+v %v", res, err)
		}
		if res, err := catalog.RunSchedule(ctx, db, now.Add(2*time.Hour)); err != nil || res != (catalog.ScheduleResult{Listed: 1, Delisted: 1}) {
			t.Errorf("later sweep %+v %v", res, err)
		}
	})
}
