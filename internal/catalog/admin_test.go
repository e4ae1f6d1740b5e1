package catalog_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"storeops/internal/app/apptest"
	"storeops/internal/audit"
	"storeops/internal/catalog"
	"storeops/internal/catalog/catalogtest"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// eachDB runs fn on a fully migrated database of every dialect.
func eachDB(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	for _, d := range storetest.Kinds(t) {
		t.Run(string(d), func(t *testing.T) { fn(t, apptest.Open(t, d, apptest.Options{})) })
	}
}

var staff = audit.Actor{Kind: audit.KindStaff, StaffID: 42, Name: "商品运营"}

// events counts the product-changed events for id.
func events(t *testing.T, db *store.DB, id platform.ID) int {
	return storetest.Count(t, db, `SELECT COUNT(*) FROM outbox_events WHERE topic = $1 AND key = $2`, catalog.TopicProductChanged, id.String())
}

func audits(t *testing.T, db *store.DB, action string, id platform.ID) int {
	return storetest.Count(t, db, `SELECT COUNT(*) FROM audit_log WHERE action = $1 AND entity_id = $2`, action, id.String())
}

func TestLifecycle(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := catalogtest.New(t, db)
		cat := f.Category("服饰", "Apparel", 0)
		id, _ := f.Create(catalogtest.Product{Category: cat, Title: "连衣裙", Status: catalog.StatusDraft})
		a := catalog.NewAdmin(db)
		svc := catalog.NewService(db, catalog.ServiceConfig{})

		if _, err := svc.Product(ctx, id); platform.ErrorCode(err) != platform.CodeNotFound {
			t.Fatalf("draft product page: %v", err)
		}
		// Illegal moves are 409 with a stable code and the statuses.
		for _, to := range []catalog.Status{catalog.StatusOffSale, catalog.StatusArchived} {
			err := a.SetStatus(ctx, staff, id, to, "")
			e := platform.AsError(err)
			if e.Code != catalog.CodeStatusTransition || e.Code.Status() != 409 || e.Extra["from"] != "draft" || e.Extra["to"] != string(to) {
				t.Fatalf("draft → %s: %v %v", to, err, e.Extra)
			}
		}
		if err := a.SetStatus(ctx, staff, id, "sold", ""); platform.ErrorCode(err) != platform.CodeInvalid {
			t.Fatalf("unknown status: %v", err)
		}
		if err := a.SetStatus(ctx, staff, 12345, catalog.StatusOnSale, ""); platform.ErrorCode(err) != platform.CodeNotFound {
			t.Fatalf("unknown product: %v", err)
		}
		if events(t, db, id) != 0 || audits(t, db, "product.status", id) != 0 {
			t.Fatal("refused moves left events or audit rows")
		}

		steps := []catalog.Status{catalog.StatusOnSale, catalog.StatusOffSale, catalog.StatusOnSale, catalog.StatusOffSale, catalog.StatusArchived}
		for i, to := range steps {
			if err := a.SetStatus(ctx, staff, id, to, "换季"); err != nil {
				t.Fatalf("step %d → %s: %v", i, to, err)
			}
			if got := storetest.Count(t, db, `SELECT COUNT(*) FROM products WHERE id = $1 AND status = $2`, id, string(to)); got != 1 {
				t.Fatalf("step %d: status is not %s", i, to)
			}
			// The read cache follows at once, not after its TTL.
			_, err := svc.Product(ctx, id)
			if (to == catalog.StatusOnSale) != (err == nil) {
				t.Fatalf("step %d (%s): product page err %v", i, to, err)
			}
			if events(t, db, id) != i+1 || audits(t, db, "product.status", id) != i+1 {
				t.Fatalf("step %d: %d events, %d audits", i, events(t, db, id), audits(t, db, "product.status", id))
			}
		}
		// The same status again is a no-op; archived is final.
		if err := a.SetStatus(ctx, staff, id, catalog.StatusArchived, ""); err != nil {
			t.Fatal(err)
		}
		if err := a.SetStatus(ctx, staff, id, catalog.StatusOnSale, ""); platform.ErrorCode(err) != catalog.CodeStatusTransition {
			t.Fatalf("archived → on_sale: %v", err)
		}
		if events(t, db, id) != len(steps) {
			t.Fatal("a no-op published")
		}
		var before, after, who string
		if err := db.R.QueryRow(`SELECT before_json, after_json, actor_name FROM audit_log WHERE action = 'product.status' AND entity_id = $1
			ORDER BY at DESC, id DESC LIMIT 1`, id.String()).Scan(&before, &after, &who); err != nil {
			t.Fatal(err)
		}
		var b, af map[string]string
		_ = json.Unmarshal([]byte(before), &b)
		_ = json.Unmarshal([]byte(after), &af)
		if b["status"] != "off_sale" || af["status"] != "archived" || af["reason"] != "换季" || who != "商品运营" {
			t.Fatalf("audit %s → %s by %s", before, after, who)
		}
		var payload string
		if err := db.R.QueryRow(`SELECT payload FROM outbox_events WHERE key = $1 ORDER BY id DESC LIMIT 1`, id.String()).Scan(&payload); err != nil {
			t.Fatal(err)
		}
		var ev catalog.ProductChange
		if err := json.Unmarshal([]byte(payload), &ev); err != nil || ev.ProductID != id || ev.Status != catalog.StatusArchived {
			t.Fatalf("payload %s: %v", payload, err)
		}
	})
}

func TestNotSellable(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		f := catalogtest.New(t, db)
		id, _ := f.Create(catalogtest.Product{Category: f.Category("服饰", "Apparel", 0), Title: "赠品", Status: catalog.StatusDraft,
			SKUs: []catalogtest.SKU{{Price: 0}}})
		err := catalog.NewAdmin(db).SetStatus(context.Background(), staff, id, catalog.StatusOnSale, "")
		if platform.ErrorCode(err) != catalog.CodeNotSellable {
			t.Fatalf("free product went on sale: %v", err)
		}
	})
}

func TestTags(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := catalogtest.New(t, db)
		id, _ := f.Create(catalogtest.Product{Category: f.Category("服饰", "Apparel", 0), Title: "T恤"})
		a := catalog.NewAdmin(db)
		if err := a.AddTags(ctx, staff, id, " 新品 ", catalog.TagClearance, "新品"); err != nil {
			t.Fatal(err)
		}
		if err := a.AddTags(ctx, staff, id, catalog.TagClearance); err != nil {
			t.Fatal(err)
		}
		tags, err := a.Tags(ctx, id)
		if err != nil || !slices.Equal(tags, []string{"新品", catalog.TagClearance}) {
			t.Fatalf("tags %q %v", tags, err)
		}
		if n := audits(t, db, "product.tags", id); n != 1 {
			t.Fatalf("adding a tag it had was audited: %d", n)
		}
		for _, bad := range []string{"", "a,b", "一二三四五六七八九十一二三四五六七八九十一"} {
			if err := a.AddTags(ctx, staff, id, bad); platform.ErrorCode(err) != platform.CodeInvalid {
				t.Fatalf("tag %q: %v", bad, err)
			}
		}
		if err := a.RemoveTags(ctx, staff, id, "新品", "没有"); err != nil {
			t.Fatal(err)
		}
		if tags, _ := a.Tags(ctx, id); !slices.Equal(tags, []string{catalog.TagClearance}) {
			t.Fatalf("after remove %q", tags)
		}
		if err := a.AddTags(ctx, staff, 999, "x"); platform.ErrorCode(err) != platform.CodeNotFound {
			t.Fatalf("unknown product: %v", err)
		}
		if events(t, db, id) != 2 || audits(t, db, "product.tags", id) != 2 {
			t.Fatalf("%d events, %d audits", events(t, db, id), audits(t, db, "product.tags", id))
		}
	})
}
