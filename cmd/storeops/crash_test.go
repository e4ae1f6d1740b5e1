package main

import (
	"context"
	mrand "math/rand/v2"
	"testing"
	"time"

	"storeops/internal/app/apptest"
	"storeops/internal/checkout"
	"storeops/internal/inventory"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// The crash test of checkout: a real `storeops serve` process is killed
// with SIGKILL in the middle of a checkout load, then restarted on the
// same database. Every order a buyer was told about (201) must be there
// with its lines, reservation and pending payment; a request whose answer
// was lost, retried with its Idempotency-Key, must give that one order or
// a clean refusal, never a second; the stock ledger must still explain
// on-hand, and reserved stock must be exactly the pending orders' holds.
//
// It lives beside the command because what it tests is the process: the
// binary, its start-up after a crash (migrations, node lease, job queue)
// and what the database kept, not a function of one domain.
func TestCheckoutSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs a checkout load")
	}
	bin := buildBinary(t, t.TempDir())
	for _, d := range storetest.Kinds(t) {
		t.Run(string(d), func(t *testing.T) { crashCheckout(t, bin, d) })
	}
}

// Modest counts: the load takes about a second per database on two cores
// (most of the test's 20 seconds per database is the wait for the killed
// node's job-queue leadership to lapse). The 210 units of stock outlast
// the kill (at most 39 acknowledged orders of at most 4 units) and run out
// after the restart (240 buyers want about 540).
const (
	crashBuyers  = 240
	crashWorkers = 16
)

func crashCheckout(t *testing.T, bin string, d store.Dialect) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := mrand.New(mrand.NewPCG(seed, seed>>7))
	db := apptest.Open(t, d, apptest.Options{})
	shop := prepareShop(t, db, rng, crashBuyers+1)
	late := shop.Buyers[crashBuyers] // checks out after the restart
	shop.Buyers = shop.Buyers[:crashBuyers]
	spec := "sqlite:" + db.Path
	if d == store.Postgres {
		spec = db.URL
	}
	// Only the server holds the database while it runs and dies.
	db.Close()

	srv := startServer(t, bin, spec)
	killAfter := 10 + rng.IntN(30)
	trigger, stop := make(chan struct{}), make(chan struct{})
	results := make(chan []*attempt, 1)
	go func() {
		results <- load(newShopClient(srv.base, crashWorkers), shop.Buyers, crashWorkers, killAfter, trigger, stop)
	}()
	select {
	case <-trigger:
		srv.kill()
		close(stop)
	case <-results:
		t.Fatalf("the load finished before %d orders were acknowledged; nothing was crashed", killAfter)
	}
	attempts := <-results
	count := map[outcome]int{}
	for _, a := range attempts {
		count[a.Outcome]++
		if a.Outcome == failed {
			t.Errorf("buyer %s: %v", a.Buyer.Key, a.Err)
		}
		if a.Outcome == refused && !soldOut(a.Code) {
			t.Errorf("buyer %s: refused with %d %s", a.Buyer.Key, a.Status, a.Code)
		}
	}
	t.Logf("killed after %d acknowledged orders: %v", killAfter, count)
	if count[unknown] == 0 {
		t.Errorf("no request was in flight when the server died: the crash tested nothing (%v)", count)
	}

	check := openForCheck(t, spec)
	lastJob := storetest.Count(t, check, `SELECT COALESCE(MAX(id), 0) FROM river_job`)
	srv = startServer(t, bin, spec)
	c := newShopClient(srv.base, crashWorkers)
	checkAcked(t, check, c, attempts)
	retryUnknown(t, check, c, attempts)
	// The restarted node takes new orders before the stock runs out.
	a := &attempt{Buyer: late}
	if payable, ok := c.quote(a); !ok {
		t.Fatalf("quote after restart: %v %s %v", a.Outcome, a.Code, a.Err)
	} else {
		a.Body = checkoutBody(late, payable)
	}
	c.place(a)
	if a.Outcome != acked {
		t.Errorf("checkout after restart: %v %d %s %v", a.Outcome, a.Status, a.Code, a.Err)
	}
	attempts = append(attempts, a)
	resume(t, c, attempts)
	checkOrdersAreKeyed(t, check, attempts)
	checkStock(t, check, shop)
	checkCarts(t, check, attempts)

	// Last, as it waits for the dead node's leadership to lapse.
	checkJobsResume(t, check, lastJob)
	// A connection the client opened but never used would hold the
	// graceful stop for seconds.
	c.http.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.stop(ctx); err != nil {
		t.Errorf("graceful stop after the restart: %v\n%s", err, srv.logs.String())
	}
	if t.Failed() {
		t.Logf("server log after restart:\n%s", srv.logs.String())
	}
}

// resume lets the buyers who sent nothing before the crash check out on
// the restarted server until the stock runs out, so the checks also see
// refusals, and reservations made across the restart.
func resume(t *testing.T, c *shopClient, attempts []*attempt) {
	t.Helper()
	var rest []*buyer
	var at []int
	for i, a := range attempts {
		if a.Outcome == notSent {
			rest, at = append(rest, a.Buyer), append(at, i)
		}
	}
	count := map[outcome]int{}
	codes := map[string]int{}
	for j, a := range load(c, rest, crashWorkers, 0, make(chan struct{}), nil) {
		attempts[at[j]] = a
		count[a.Outcome]++
		switch a.Outcome {
		case acked, notSent:
		case refused:
			codes[a.Code]++
			if !soldOut(a.Code) {
				t.Errorf("buyer %s: refused with %d %s", a.Buyer.Key, a.Status, a.Code)
			}
		default:
			t.Errorf("buyer %s after the restart: %v %d %v", a.Buyer.Key, a.Outcome, a.Status, a.Err)
		}
	}
	t.Logf("after the restart: %v, refusals %v", count, codes)
	if count[refused] == 0 {
		t.Errorf("the stock never ran out (%v): the refusals went untested", count)
	}
}

// soldOut says whether a refusal code means the stock ran out: the only
// refusal this load expects.
func soldOut(code string) bool {
	return code == string(inventory.CodeOutOfStock) || code == string(checkout.CodeLinesChanged)
}

// openForCheck opens the database the server runs on, read-mostly, with a
// fixed id node so it never takes the server's lease.
func openForCheck(t *testing.T, spec string) *store.DB {
	t.Helper()
	node := platform.MaxNode
	db, err := store.Open(context.Background(), spec, store.Options{Node: &node, MaxConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
