package order_test

import (
	"context"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/store"
)

var orderNoFormat = regexp.MustCompile(`^\d{8}\d{8}$`)

// Numbers carry the shop day, grow through the day by uneven steps, start
// above the day's existing numbers (the demo's) and never repeat.
func TestNewOrderNo(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		// 16:30 UTC is already the next day in Shanghai.
		at := time.Date(2026, 11, 24, 16, 30, 0, 0, time.UTC)
		day := at.In(platform.ShopZone).Format("20060102")
		if day != "20261125" {
			t.Fatalf("shop day %s", day)
		}
		// A number the demo history took that day, high in the range.
		taken := day + "59000000"
		err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO orders (id, order_no, customer_id, status, items_total, total, placed_at, created_at, updated_at)
				VALUES ($1, $2, 1, 'paid', 100, 100, $3, $3, $3)`, tx.NewID(), taken, at)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var nos []string
		for range 50 {
			err := db.Write(ctx, func(tx *store.Tx) error {
				no, err := order.NewOrderNo(ctx, tx, at)
				nos = append(nos, no)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		seen := map[string]bool{taken: true}
		gaps := map[int]bool{}
		prev := taken
		for i, no := range nos {
			if !orderNoFormat.MatchString(no) || no[:8] != day {
				t.Fatalf("number %q: want %s + 8 digits", no, day)
			}
			if no <= prev || seen[no] {
				t.Fatalf("number %d %s does not grow past %s", i, no, prev)
			}
			if i > 0 {
				gaps[subtract(no, prev)] = true
			}
			seen[no], prev = true, no
		}
		if len(gaps) < 5 {
			t.Errorf("steps between numbers are too regular: %v", gaps)
		}
		// Another day starts afresh in the documented range.
		err = db.Write(ctx, func(tx *store.Tx) error {
			no, err := order.NewOrderNo(ctx, tx, at.Add(24*time.Hour))
			if err == nil && (no[:8] != "20261126" || no[8:] < "10000000" || no[8:] >= "50000000") {
				t.Errorf("next day's first number %s", no)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func subtract(a, b string) int {
	x, _ := strconv.Atoi(a[8:])
	y, _ := strconv.Atoi(b[8:])
	return x - y
}

// Orders placed at once, each in its own transaction, get distinct
// numbers (the day's counter row serialises them; the unique index would
// refuse a repeat).
func TestNewOrderNoConcurrent(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		at := time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC)
		const n = 16
		nos := make([]string, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = db.Write(ctx, func(tx *store.Tx) error {
					no, err := order.NewOrderNo(ctx, tx, at)
					if err != nil {
						return err
					}
					nos[i] = no
					_, err = tx.ExecContext(ctx, `INSERT INTO orders (id, order_no, customer_id, status, items_total, total, placed_at, created_at, updated_at)
						VALUES ($1, $2, 1, 'pending_payment', 100, 100, $3, $3, $3)`, tx.NewID(), no, at)
					return err
				})
			}()
		}
		wg.Wait()
		seen := map[string]bool{}
		for i, err := range errs {
			if err != nil {
				t.Fatalf("order %d: %v", i, err)
			}
			if seen[nos[i]] {
				t.Fatalf("number %s handed out twice", nos[i])
			}
			seen[nos[i]] = true
		}
	})
}
