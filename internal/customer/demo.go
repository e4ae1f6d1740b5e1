package customer

import (
	"context"
	"encoding/base64"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"storeops/internal/demo/demokit"
	"storeops/internal/module"
	"storeops/internal/store"
)

// DemoStep makes the demo shop's customers: all 31 provinces weighted by
// how much each buys online, Chinese names, mobiles, some emails, sign-up
// dates spread over the history as the shop grew, and a buying habit
// (one-time, repeat, loyal, churned) that the order plan follows. They are
// left in env.Shop.Customers in sign-up order.
func DemoStep() module.DemoStep {
	return module.DemoStep{Name: "customers", Order: 30, Run: runDemo}
}

func runDemo(ctx context.Context, env *module.DemoEnv) error {
	if env.Clear {
		return env.DB.Load(ctx, func(l *store.Loader) error {
			for _, q := range []string{`DELETE FROM customer_sessions`, `DELETE FROM customer_addresses`, `DELETE FROM customers`} {
				if err := l.Exec(q); err != nil {
					return fmt.Errorf("customer: demo clear: %w", err)
				}
			}
			return nil
		})
	}
	shop := env.Shop
	n := max(40, int(math.Round(0.42*float64(shop.Orders))))
	shop.Progress.Start("customers", int64(n))
	buildDemoCustomers(shop, n)
	// Demo customers cannot sign in: the hash is well formed (so a sign-in
	// attempt fails like a wrong password) but of no known password.
	r := shop.Rand("password", 0)
	salt, key := make([]byte, 16), make([]byte, 32)
	for i := range salt {
		salt[i] = byte(r.Uint32())
	}
	for i := range key {
		key[i] = byte(r.Uint32())
	}
	b64 := base64.RawStdEncoding
	hash := "$argon2id$v=19$m=65536,t=2,p=2$" + b64.EncodeToString(salt) + "$" + b64.EncodeToString(key)
	err := env.DB.Load(ctx, func(l *store.Loader) error {
		b := l.Into("customers", "id", "email", "mobile", "name", "password_hash", "status", "created_at", "updated_at",
			"province_code", "province", "city", "gender", "birthday", "source")
		for k := range shop.Customers {
			c := &shop.Customers[k]
			r := shop.Rand("customer", int64(k))
			female := r.Float64() < 0.62
			name := demoName(r, female)
			gender := "male"
			if female {
				gender = "female"
			}
			mobile := demoMobile(int64(k))
			var email any
			if r.Float64() < 0.35 {
				email = demoEmail(int64(k))
			}
			age := 18 + int(math.Min(45, math.Abs(r.NormFloat64())*11+4))
			bday := time.Date(shop.End.Year()-age, time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC).Format("2006-01-02")
			status := "active"
			if r.Float64() < 0.004 {
				status = "disabled"
			}
			at := store.Time(c.CreatedAt)
			if err := b.Add(c.ID, email, mobile, name, hash, status, at, at, c.ProvinceCode, c.Province, c.City, gender, bday, demokit.Channels[c.Source]); err != nil {
				return err
			}
			if k%4096 == 4095 {
				shop.Progress.Add(4096)
			}
		}
		shop.Progress.Add(int64(len(shop.Customers) % 4096))
		return nil
	})
	if err != nil {
		return fmt.Errorf("customer: demo: %w", err)
	}
	return nil
}

// buildDemoCustomers decides who signs up when and where, in sign-up
// order, so ids grow with created_at.
func buildDemoCustomers(shop *demokit.Shop, n int) {
	days, counts := shop.DayCounts()
	cum := make([]float64, len(days))
	total := 0.0
	for i, c := range counts {
		// Sign-ups follow demand, a little flatter than orders.
		total += math.Pow(float64(c)+1, 0.8)
		cum[i] = total
	}
	provTotal := 0.0
	for _, p := range demoProvinces {
		provTotal += p.weight
	}
	r := shop.Rand("customers", 0)
	shop.Customers = make([]demokit.Customer, n)
	d := 0
	for k := range n {
		u := (float64(k) + r.Float64()) / float64(n) * total
		for d < len(days)-1 && cum[d] < u {
			d++
		}
		at := days[d].Add(time.Duration(r.Int64N(int64(24 * time.Hour))))
		if k > 0 && at.Before(shop.Customers[k-1].CreatedAt) {
			at = shop.Customers[k-1].CreatedAt.Add(time.Second)
		}
		var p demoProvince
		if k < len(demoProvinces) {
			p = demoProvinces[(k*7)%len(demoProvinces)] // every province has customers
		} else {
			x := r.Float64() * provTotal
			for _, p = range demoProvinces {
				if x < p.weight {
					break
				}
				x -= p.weight
			}
		}
		city := p.cities[0]
		if len(p.cities) > 1 && r.Float64() > 0.45 {
			city = p.cities[1+r.IntN(len(p.cities)-1)]
		}
		c := demokit.Customer{
			ID: shop.ID(demokit.SpaceCustomer, int64(k)), CreatedAt: at, ProvinceCode: p.code, Province: p.name, City: city, Remote: p.remote,
		}
		share := shop.ChannelShare(days[d])
		x := r.Float64()
		for i, v := range share {
			if x < v || i == len(share)-1 {
				c.Source = uint8(i)
				break
			}
			x -= v
		}
		switch x := r.Float64(); {
		case x < 0.52:
			c.Segment = demokit.OneTime
		case x < 0.82:
			c.Segment = demokit.Repeat
		case x < 0.89:
			c.Segment = demokit.Loyal
		default:
			c.Segment = demokit.Churned
			c.ChurnAt = at.AddDate(0, 0, 30+r.IntN(270))
		}
		shop.Customers[k] = c
	}
}

func demoName(r *rand.Rand, female bool) string {
	// Frequent surnames are far more common: a power-law draw.
	s := demoSurnames[int(math.Pow(r.Float64(), 2.2)*float64(len(demoSurnames)))]
	given := demoGivenMale
	if female {
		given = demoGivenFemale
	}
	name := string(s) + string(given[r.IntN(len(given))])
	if r.Float64() < 0.7 {
		name += string(given[r.IntN(len(given))])
	}
	return name
}

// demoMobile is a well-formed, unique mobile number for customer k.
func demoMobile(k int64) string {
	prefix := demoMobilePrefixes[(k*31)%int64(len(demoMobilePrefixes))]
	return fmt.Sprintf("%s%08d", prefix, (k*48_271+13_579_246)%100_000_000)
}

// demoEmail is a unique mailbox for customer k.
func demoEmail(k int64) string {
	n := 100_000_000 + (k*104_729+7_654_321)%900_000_000
	if k%5 < 3 {
		return fmt.Sprintf("%d@qq.com", n)
	}
	return fmt.Sprintf("shop%d@163.com", n)
}
