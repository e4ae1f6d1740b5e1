package search_test

import (
	"context"
	"testing"
	"time"

	"storeops/internal/platform"
	"storeops/internal/search"
	"storeops/internal/store"
)

func TestSearchLogRecordsSearchesClicksAndPurchases(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		s := newShop(t, db)
		e := search.NewEngine(db, search.EngineConfig{})
		l := search.NewLog(db, search.LogConfig{})
		if err := l.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		defer l.Stop(context.Background())

		req := search.Request{Query: " 连衣裙  ", Sort: search.SortRelevance, BrandID: &s.ochirly, Page: platform.PageRequest{Limit: 20}}
		res, err := e.Search(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		res.SearchID = db.IDs.Next()
		l.Search(req, res, search.Visitor{VisitorID: "0123456789abcdef0123456789abcdef"})
		l.Feedback(res.SearchID, s.dress, search.FeedbackClick)
		l.Feedback(res.SearchID, s.dress2, search.FeedbackClick)
		l.Feedback(res.SearchID, s.dress, search.FeedbackPurchase)
		l.Feedback(db.IDs.Next(), s.dress, search.FeedbackClick) // unknown search: ignored
		l.Flush(context.Background())

		var norm, filters, visitor string
		var count, clicks, purchases int
		err = db.R.QueryRow(`SELECT norm_query, result_count, filters, visitor_id, clicks, purchases FROM search_log WHERE id = $1`,
			res.SearchID).Scan(&norm, &count, &filters, &visitor, &clicks, &purchases)
		if err != nil {
			t.Fatal(err)
		}
		if norm != "连衣裙" || count != res.Total || count != 2 || clicks != 2 || purchases != 1 || visitor == "" {
			t.Errorf("log row: norm %q count %d clicks %d purchases %d visitor %q", norm, count, clicks, purchases, visitor)
		}
		if filters != `{"brand":"`+s.ochirly.String()+`"}` {
			t.Errorf("filters %s", filters)
		}
		var feedback int
		if err := db.R.QueryRow(`SELECT COUNT(*) FROM search_feedback`).Scan(&feedback); err != nil || feedback != 3 {
			t.Errorf("feedback rows %d (%v), want 3", feedback, err)
		}
		if l.Dropped() != 0 {
			t.Errorf("dropped %d", l.Dropped())
		}
		if n, err := search.PurgeLog(context.Background(), db, db.Now().Add(-time.Hour)); err != nil || n != 0 {
			t.Errorf("purge of nothing old: %d %v", n, err)
		}
		if n, err := search.PurgeLog(context.Background(), db, db.Now().Add(time.Hour)); err != nil || n != 1 {
			t.Errorf("purge: %d %v, want 1", n, err)
		}
		if err := db.R.QueryRow(`SELECT COUNT(*) FROM search_feedback`).Scan(&feedback); err != nil || feedback != 0 {
			t.Errorf("feedback rows after purge %d (%v)", feedback, err)
		}
	})
}

func TestSuggestCompletesCharactersPinyinAndInitials(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		newShop(t, db)
		e := search.NewEngine(db, search.EngineConfig{})
		for _, q := range []string{"连", "连衣", "lian", "lianyi", "lyq", "LYQ"} {
			items, err := e.Suggest(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, it := range items {
				found = found || it.Text == "连衣裙" && it.Count == 2
			}
			if !found {
				t.Errorf("%q suggests %+v, want 连衣裙 (2)", q, items)
			}
		}
		items, err := e.Suggest(context.Background(), "xiao")
		if err != nil || len(items) == 0 || items[0].Text != "小米" || items[0].Kind != "brand" {
			t.Errorf("xiao suggests %+v (%v), want the brand 小米", items, err)
		}
		if items, err := e.Suggest(context.Background(), "  "); err != nil || len(items) != 0 {
			t.Errorf("blank: %+v %v", items, err)
		}
	})
}
