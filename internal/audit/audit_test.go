package audit_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

type product struct {
	Name  string `json:"name"`
	Price int64  `json:"price"`
}

func TestRecordListDiff(t *testing.T) {
	clock := platform.NewFixedClock(time.Date(2026, 5, 1, 3, 0, 0, 0, time.UTC))
	storetest.Each(t, storetest.Config{Sets: []store.Migrations{audit.Migrations()}, Clock: clock}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock.Set(time.Date(2026, 5, 1, 3, 0, 0, 0, time.UTC))
		actor := audit.Actor{Kind: audit.KindStaff, StaffID: 42, Name: "王芳", Email: "wang@shop.example", IP: "10.1.2.3"}
		// Entries commit with their change, and roll back with it.
		boom := errors.New("boom")
		err := db.Write(ctx, func(tx *store.Tx) error {
			if err := audit.Change(ctx, tx, actor, "product.update", "product", 7, product{"茶", 100}, product{"茶", 120}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) || storetest.Count(t, db, `SELECT COUNT(*) FROM audit_log`) != 0 {
			t.Fatalf("rolled-back change left an entry: %v", err)
		}
		for i := 0; i < 3; i++ {
			err := db.Write(ctx, func(tx *store.Tx) error {
				return audit.Change(ctx, tx, actor, "product.update", "product", platform.ID(7+i), product{"茶", 100}, product{"茶", 120 + int64(i)})
			})
			if err != nil {
				t.Fatal(err)
			}
			clock.Advance(24 * time.Hour)
		}
		if err := db.Write(ctx, func(tx *store.Tx) error {
			return audit.Record(ctx, tx, audit.Entry{Actor: audit.CLI("cli:root"), Action: "product.create", EntityType: "product", EntityID: "99", After: product{"米", 5}})
		}); err != nil {
			t.Fatal(err)
		}

		// Newest first, two to a page.
		p1, err := audit.List(ctx, db.R, audit.Filter{Page: platform.PageRequest{Limit: 2}})
		if err != nil {
			t.Fatal(err)
		}
		if len(p1.Items) != 2 || p1.NextCursor == "" || p1.Items[0].Action != "product.create" {
			t.Fatalf("page 1 = %+v", p1)
		}
		c, _ := platform.ParseCursor(p1.NextCursor)
		p2, _ := audit.List(ctx, db.R, audit.Filter{Page: platform.PageRequest{Limit: 2, After: c}})
		if len(p2.Items) != 2 || p2.NextCursor != "" || p2.Items[1].EntityID != "7" {
			t.Fatalf("page 2 = %+v", p2)
		}
		first := p2.Items[1]
		if first.ActorID != 42 || first.ActorName != "王芳" || first.IP != "10.1.2.3" || !first.At.Equal(time.Date(2026, 5, 1, 3, 0, 0, 0, time.UTC)) {
			t.Fatalf("entry = %+v", first)
		}
		if d := first.Diff(); len(d) != 1 || d[0].Field != "price" || d[0].Before != "100" || d[0].After != "120" {
			t.Fatalf("diff = %+v", d)
		}
		created := p1.Items[0]
		if created.Before != nil || created.ActorKind != audit.KindCLI {
			t.Fatalf("create entry = %+v", created)
		}
		if d := created.Diff(); len(d) != 2 || d[0].Before != "" || d[0].After != `"米"` {
			t.Fatalf("create diff = %+v", d)
		}

		count := func(f audit.Filter) int {
			t.Helper()
			p, err := audit.List(ctx, db.R, f)
			if err != nil {
				t.Fatal(err)
			}
			return len(p.Items)
		}
		from := time.Date(2026, 5, 2, 0, 0, 0, 0, time.UTC)
		to := time.Date(2026, 5, 3, 0, 0, 0, 0, time.UTC)
		for name, tc := range map[string]struct {
			f    audit.Filter
			want int
		}{
			"all":         {audit.Filter{}, 4},
			"action":      {audit.Filter{Action: "product.update"}, 3},
			"entity":      {audit.Filter{EntityType: "product", EntityID: "8"}, 1},
			"actor id":    {audit.Filter{Actor: "42"}, 3},
			"actor email": {audit.Filter{Actor: "WANG@"}, 3},
			"actor name":  {audit.Filter{Actor: "王"}, 3},
			"actor kind":  {audit.Filter{Actor: "cli"}, 1},
			"like escape": {audit.Filter{Actor: "%"}, 0},
			"date range":  {audit.Filter{From: &from, To: &to}, 1},
		} {
			if got := count(tc.f); got != tc.want {
				t.Errorf("%s: %d entries, want %d", name, got, tc.want)
			}
		}
	})
}
