package staff_test

import (
	"context"
	"testing"
	"time"

	"storeops/internal/app/apptest"
	"storeops/internal/staff"
	"storeops/internal/store/storetest"
)

// The session store satisfies scs on both databases: find, overwrite,
// expiry, delete and the sweep of expired rows.
func TestSessionStore(t *testing.T) {
	for _, d := range storetest.Kinds(t) {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			st := staff.NewSessionStore(apptest.Open(t, d, apptest.Options{}))
			if _, found, err := st.FindCtx(ctx, "nope"); found || err != nil {
				t.Fatalf("unknown token: %v %v", found, err)
			}
			if err := st.Commit("a", []byte("one"), time.Now().Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			if err := st.CommitCtx(ctx, "a", []byte("two"), time.Now().Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			if b, found, err := st.Find("a"); !found || err != nil || string(b) != "two" {
				t.Fatalf("find a = %q %v %v", b, found, err)
			}
			if err := st.CommitCtx(ctx, "old", []byte("x"), time.Now().Add(-time.Second)); err != nil {
				t.Fatal(err)
			}
			if _, found, _ := st.FindCtx(ctx, "old"); found {
				t.Fatal("expired session found")
			}
			if n, err := st.DeleteExpired(ctx); n != 1 || err != nil {
				t.Fatalf("sweep removed %d (%v), want 1", n, err)
			}
			if err := st.Delete("a"); err != nil {
				t.Fatal(err)
			}
			if err := st.DeleteCtx(ctx, "a"); err != nil {
				t.Fatal("deleting twice must not fail")
			}
			if _, found, _ := st.FindCtx(ctx, "a"); found {
				t.Fatal("deleted session found")
			}
		})
	}
}
