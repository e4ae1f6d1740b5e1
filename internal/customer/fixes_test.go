package customer_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/customer"
	"storeops/internal/password"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// newService is the customer service on a fresh, fully migrated database.
func newService(t *testing.T, d store.Dialect, cfg customer.Config) (*customer.Service, *store.DB) {
	t.Helper()
	db := apptest.Open(t, d, apptest.Options{})
	return customer.NewService(db, password.NewHasher(password.Cheap, 0), cfg), db
}

func count(t *testing.T, db *store.DB, query string, args ...any) int {
	t.Helper()
	var n int
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		return tx.QueryRowContext(context.Background(), query, args...).Scan(&n)
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// The hourly housekeeping job deletes expired sessions and ended throttle
// counters and keeps live ones.
func TestHousekeepingPurgesSessionsAndThrottle(t *testing.T) {
	for _, d := range storetest.Kinds(t) {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			svc, db := newService(t, d, customer.Config{})
			c, err := svc.SignUp(ctx, customer.SignUpInput{Email: "purge@example.com", Password: "secret-pass"}, "192.0.2.1")
			if err != nil {
				t.Fatal(err)
			}
			liveToken, _, err := svc.StartSession(ctx, c.ID, customer.SessionMeta{})
			if err != nil {
				t.Fatal(err)
			}
			_, expired, err := svc.StartSession(ctx, c.ID, customer.SessionMeta{})
			if err != nil {
				t.Fatal(err)
			}
			now := db.Now()
			err = db.Write(ctx, func(tx *store.Tx) error {
				if _, err := tx.ExecContext(ctx, `UPDATE customer_sessions SET expires_at = $1 WHERE token_hash = $2`,
					store.Time(now.Add(-time.Minute)), expired.TokenHash); err != nil {
					return err
				}
				// An ended window, a lock that ran out, a live lock and a
				// live window.
				for _, r := range []struct {
					subject string
					start   time.Time
					locked  *time.Time
				}{
					{"ended", now.Add(-2 * time.Hour), nil},
					{"unlocked", now.Add(-3 * time.Hour), ptr(store.Time(now.Add(-2 * time.Hour)))},
					{"locked", now.Add(-3 * time.Hour), ptr(store.Time(now.Add(time.Hour)))},
					{"live", now.Add(-time.Minute), nil},
				} {
					if _, err := tx.ExecContext(ctx, `INSERT INTO customer_login_throttle (scope, subject, failures, window_start, locked_until)
						VALUES ('ip', $1, 1, $2, $3)`, r.subject, store.Time(r.start), r.locked); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}

			if err := app.Housekeeping(ctx, db, apptest.Logger()); err != nil {
				t.Fatal(err)
			}
			if n := count(t, db, `SELECT COUNT(*) FROM customer_sessions WHERE token_hash = $1`, expired.TokenHash); n != 0 {
				t.Errorf("expired session kept")
			}
			if _, err := svc.SessionByToken(ctx, liveToken); err != nil {
				t.Errorf("live session: %v", err)
			}
			if n := count(t, db, `SELECT COUNT(*) FROM customer_sessions`); n != 1 {
				t.Errorf("%d sessions left, want 1", n)
			}
			var left []string
			err = db.Read(ctx, func(tx *store.Tx) error {
				rs, err := tx.QueryContext(ctx, `SELECT subject FROM customer_login_throttle WHERE scope = 'ip' ORDER BY subject`)
				if err != nil {
					return err
				}
				defer rs.Close()
				for rs.Next() {
					var s string
					if err := rs.Scan(&s); err != nil {
						return err
					}
					left = append(left, s)
				}
				return rs.Err()
			})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(left, ",") != "live,locked" {
				t.Errorf("throttle rows left %v, want live,locked", left)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// Sign-ups are limited per client address; the limit answers 429 with
// Retry-After and leaves sign-in alone.
func TestSignUpRateLimit(t *testing.T) {
	for _, d := range storetest.Kinds(t) {
		t.Run(string(d), func(t *testing.T) {
			base := serve(t, d)
			c := newClient(t, base)
			for i := range 9 {
				c.want(http.StatusCreated, "POST", "/api/v1/customers/signup",
					map[string]string{"email": fmt.Sprintf("u%d@example.com", i), "password": "secret-pass"}, nil)
			}
			// A taken login counts too (the tenth attempt).
			var p problem
			c.want(http.StatusConflict, "POST", "/api/v1/customers/signup",
				map[string]string{"email": "u0@example.com", "password": "secret-pass"}, &p)
			if p.Code != string(customer.CodeEmailTaken) {
				t.Fatalf("code %q", p.Code)
			}
			resp, out := c.do("POST", "/api/v1/customers/signup", map[string]string{"email": "u10@example.com", "password": "secret-pass"}, nil)
			if resp.StatusCode != http.StatusTooManyRequests {
				t.Fatalf("status %d: %s", resp.StatusCode, out)
			}
			if err := json.Unmarshal(out, &p); err != nil || p.Code != string(platform.CodeRateLimited) {
				t.Fatalf("problem %s", out)
			}
			if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || s <= 0 || s > 3600 {
				t.Fatalf("Retry-After %q", resp.Header.Get("Retry-After"))
			}
			// Invalid input is refused before it counts, and sign-in is
			// throttled separately.
			c.want(http.StatusUnprocessableEntity, "POST", "/api/v1/customers/signup", map[string]string{"email": "x", "password": "secret-pass"}, nil)
			c.want(http.StatusOK, "POST", "/api/v1/customers/signin", map[string]string{"login": "u1@example.com", "password": "secret-pass"}, nil)
		})
	}
}

// Concurrent writes to one address book never fail with a server error
// and leave exactly one default.
func TestAddressConcurrentDefaults(t *testing.T) {
	for _, d := range storetest.Kinds(t) {
		t.Run(string(d), func(t *testing.T) {
			base := serve(t, d)
			c := newClient(t, base)
			c.want(http.StatusCreated, "POST", "/api/v1/customers/signup", map[string]string{"email": "race@example.com", "password": "secret-pass"}, nil)
			body, _ := json.Marshal(func() map[string]any { b := beijing("景山前街4号"); b["is_default"] = true; return b }())
			const n = 8
			statuses := make([]int, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					req, _ := http.NewRequest("POST", base+"/api/v1/customers/me/addresses", strings.NewReader(string(body)))
					req.Header.Set("Content-Type", "application/json")
					resp, err := c.http.Do(req)
					if err != nil {
						t.Error(err)
						return
					}
					resp.Body.Close()
					statuses[i] = resp.StatusCode
				})
			}
			wg.Wait()
			created := 0
			for _, s := range statuses {
				switch {
				case s == http.StatusCreated:
					created++
				case s < 400 || s >= 500:
					t.Errorf("statuses %v", statuses)
				}
			}
			var page struct {
				Items []customer.Address `json:"items"`
			}
			c.want(http.StatusOK, "GET", "/api/v1/customers/me/addresses?limit=100", nil, &page)
			defaults := 0
			for _, a := range page.Items {
				if a.IsDefault {
					defaults++
				}
			}
			if defaults != 1 || len(page.Items) != created || created == 0 {
				t.Fatalf("%d addresses (%d created), %d default; statuses %v", len(page.Items), created, defaults, statuses)
			}
		})
	}
}

// Concurrent creates never overfill the address book.
func TestAddressConcurrentLimit(t *testing.T) {
	for _, d := range storetest.Kinds(t) {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			const limit = 3
			svc, db := newService(t, d, customer.Config{MaxAddresses: limit})
			c, err := svc.SignUp(ctx, customer.SignUpInput{Mobile: "13800000003", Password: "secret-pass"}, "192.0.2.1")
			if err != nil {
				t.Fatal(err)
			}
			in := customer.AddressInput{Recipient: "王五", Mobile: "13800000003", ProvinceCode: "33", CityCode: "3301",
				DistrictCode: "330106", Detail: "文三路 1 号"}
			// The first address (the default) exists; the racers add plain
			// ones, so only the count guards the limit.
			if _, err := svc.CreateAddress(ctx, c.ID, in); err != nil {
				t.Fatal(err)
			}
			const n = 8
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() { _, errs[i] = svc.CreateAddress(ctx, c.ID, in) })
			}
			wg.Wait()
			ok, full := 0, 0
			for _, err := range errs {
				var pe *platform.Error
				switch {
				case err == nil:
					ok++
				case platform.ErrorCode(err) == customer.CodeAddressLimit:
					full++
				case errors.As(err, &pe) && pe.Code.Status() < 500:
				default:
					t.Errorf("create: %v", err)
				}
			}
			if ok != limit-1 || full != n-limit+1 {
				t.Errorf("%d created, %d refused as full; errors %v", ok, full, errs)
			}
			if got := count(t, db, `SELECT COUNT(*) FROM customer_addresses WHERE customer_id = $1`, c.ID); got != limit {
				t.Errorf("%d addresses, want %d", got, limit)
			}
			if got := count(t, db, `SELECT COUNT(*) FROM customer_addresses WHERE customer_id = $1 AND is_default`, c.ID); got != 1 {
				t.Errorf("%d defaults, want 1", got)
			}
		})
	}
}

// Region codes must exist in the GB/T 2260 dataset and nest; the names
// come from the dataset.
func TestAddressRegions(t *testing.T) {
	for _, d := range storetest.Kinds(t) {
		t.Run(string(d), func(t *testing.T) {
			base := serve(t, d)
			c := newClient(t, base)
			c.want(http.StatusCreated, "POST", "/api/v1/customers/signup", map[string]string{"email": "region@example.com", "password": "secret-pass"}, nil)
			post := func(changes map[string]any, lang string) (int, problem, customer.Address) {
				t.Helper()
				body := beijing("x")
				for k, v := range changes {
					body[k] = v
				}
				resp, out := c.do("POST", "/api/v1/customers/me/addresses", body, http.Header{"Accept-Language": {lang}})
				var p problem
				var a customer.Address
				if resp.StatusCode == http.StatusCreated {
					_ = json.Unmarshal(out, &a)
				} else {
					_ = json.Unmarshal(out, &p)
				}
				return resp.StatusCode, p, a
			}
			fields := func(p problem) map[string]string {
				m := map[string]string{}
				for _, e := range p.Errors {
					m[e.Field] = e.Message
				}
				return m
			}

			// The reported case: a made-up province name and a district
			// that does not exist.
			status, p, _ := post(map[string]any{"province": "火星", "district_code": "110199"}, "en")
			if f := fields(p); status != 422 || len(f) != 1 || !strings.Contains(f["district_code"], "GB/T 2260") {
				t.Fatalf("unknown district: %d %+v", status, p)
			}
			status, p, _ = post(map[string]any{"district_code": "110199"}, "zh")
			if f := fields(p); status != 422 || f["district_code"] != "不是有效的行政区划代码" {
				t.Fatalf("unknown district (zh): %d %+v", status, p)
			}
			// Unknown province and city; a city of another province.
			status, p, _ = post(map[string]any{"province_code": "990000"}, "en")
			if f := fields(p); status != 422 || f["province_code"] == "" {
				t.Fatalf("unknown province: %d %+v", status, p)
			}
			status, p, _ = post(map[string]any{"city_code": "1199", "district_code": "110101"}, "en")
			if f := fields(p); status != 422 || f["city_code"] == "" || len(f) != 1 {
				t.Fatalf("unknown city: %d %+v", status, p)
			}
			status, p, _ = post(map[string]any{"city_code": "3301", "district_code": "330106"}, "zh")
			if f := fields(p); status != 422 || f["city_code"] != "与上级行政区不匹配" || len(f) != 1 {
				t.Fatalf("city of another province: %d %+v", status, p)
			}

			// The server names the regions, whatever the client sent.
			status, _, a := post(map[string]any{"province": "火星", "city": "", "district": "某区",
				"province_code": "110000", "city_code": "110100", "district_code": "110108"}, "en")
			if status != http.StatusCreated || a.Province != "北京市" || a.City != "市辖区" || a.District != "海淀区" ||
				a.ProvinceCode != "110000" || a.CityCode != "110100" || a.DistrictCode != "110108" {
				t.Fatalf("named from the dataset: %d %+v", status, a)
			}
			// 重庆市 has a 县 level beside 市辖区; 东莞市 has towns, not
			// districts.
			status, _, a = post(map[string]any{"province_code": "50", "city_code": "5002", "district_code": "500229"}, "en")
			if status != http.StatusCreated || a.Province != "重庆市" || a.City != "县" || a.District != "城口县" {
				t.Fatalf("重庆市 县: %d %+v", status, a)
			}
			status, _, a = post(map[string]any{"province_code": "44", "city_code": "4419", "district_code": "441900003"}, "en")
			if status != http.StatusCreated || a.City != "东莞市" || a.District != "东城街道" || a.DistrictCode != "441900003" {
				t.Fatalf("东莞市: %d %+v", status, a)
			}
		})
	}
}
