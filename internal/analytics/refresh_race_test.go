package analytics_test

import (
	"context"
	"testing"
	"time"

	"storeops/internal/analytics"
	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// TestRefreshBesideUncommittedChange is the race PostgreSQL allows and
// SQLite's single writer does not: a refresh recomputes a day while
// another change of that day is still uncommitted. The refresh must not
// wait for the open change (MarkDirty takes no lock a refresh needs), and
// it cannot see it, so that change's row must survive the refresh: once
// committed, the day is read raw (exact at once) until the next refresh
// rolls it up again.
func TestRefreshBesideUncommittedChange(t *testing.T) {
	clock := platform.NewFixedClock(fixedNow)
	apptest.Each(t, apptest.Options{Clock: clock}, func(t *testing.T, a *app.App) {
		if a.DB.Dialect != store.Postgres {
			t.Skip("SQLite serialises writers: a refresh cannot run beside an open write")
		}
		ctx := context.Background()
		seed(t, a.DB, clock.Now(), 5, 1200)
		if err := analytics.Rebuild(ctx, a.DB); err != nil {
			t.Fatal(err)
		}
		// Two counted orders of the same past day.
		orders, _ := loadRaw(t, a.DB)
		byDay := map[string][]rawOrder{}
		for _, o := range orders {
			if counted(o) {
				d := o.placed.In(platform.ShopZone).Format(time.DateOnly)
				byDay[d] = append(byDay[d], o)
			}
		}
		var same []rawOrder
		for back := 2; len(same) < 2 && back < 60; back++ {
			same = byDay[clock.Now().AddDate(0, 0, -back).In(platform.ShopZone).Format(time.DateOnly)]
		}
		if len(same) < 2 {
			t.Fatal("no recent day with two counted orders")
		}
		change := func(tx *store.Tx, o rawOrder) error {
			if _, err := tx.ExecContext(ctx, `UPDATE orders SET refunded_total = total WHERE id = $1`, o.id); err != nil {
				return err
			}
			return analytics.MarkDirty(ctx, tx, platform.ID(o.customer), o.placed)
		}
		if err := a.DB.Write(ctx, func(tx *store.Tx) error { return change(tx, same[0]) }); err != nil {
			t.Fatal(err)
		}
		// The second change stays open while the refresh runs.
		changed, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
		go func() {
			done <- a.DB.Write(ctx, func(tx *store.Tx) error {
				if err := change(tx, same[1]); err != nil {
					return err
				}
				close(changed)
				<-release
				return nil
			})
		}()
		<-changed
		r, err := analytics.Refresh(ctx, a.DB)
		close(release)
		if err != nil {
			t.Fatal(err)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if r.Changes != 1 || r.Days != 1 {
			t.Fatalf("refresh beside the open change: %+v, want the committed change of one day", r)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM analytics_dirty`); n != 1 {
			t.Fatalf("%d change rows after the refresh, want the late one", n)
		}
		checkOverview(t, a)
		if _, err := analytics.Refresh(ctx, a.DB); err != nil {
			t.Fatal(err)
		}
		checkRollups(t, a.DB)
		checkOverview(t, a)
	})
}
