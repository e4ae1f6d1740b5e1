package traffic

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"storeops/internal/demo/demokit"
	"storeops/internal/module"
	"storeops/internal/store"
)

// DemoStep makes the demo shop's visits for its most recent days
// (Shop.TrafficDays; older traffic would live in rollups): one converting
// session per order, linked by the order's session_id, and the sessions
// that bought nothing, so conversion runs at about 2–4 % with 3–8 page
// views per session, utm values as each channel sends them.
func DemoStep() module.DemoStep {
	return module.DemoStep{Name: "traffic", Order: 50, Run: runDemo}
}

// demoConversion is each channel's share of sessions that buy, in
// demokit.Channels order.
var demoConversion = [...]float64{0.034, 0.022, 0.016, 0.026, 0.048, 0.018, 0.055}

var (
	demoSessionCols = []string{"id", "visitor_id", "customer_id", "source", "utm_source", "utm_medium", "utm_campaign", "referrer", "landing_path", "device", "page_views", "started_at", "last_seen_at"}
	demoEventCols   = []string{"id", "session_id", "kind", "path", "product_id", "at"}
)

func runDemo(ctx context.Context, env *module.DemoEnv) error {
	if env.Clear {
		return env.DB.Load(ctx, func(l *store.Loader) error {
			for _, t := range []string{"visit_events", "visit_sessions"} {
				if err := l.Exec(`DELETE FROM ` + t); err != nil {
					return fmt.Errorf("traffic: demo clear: %w", err)
				}
			}
			return nil
		})
	}
	shop := env.Shop
	from := shop.End.AddDate(0, 0, -shop.TrafficDays)
	shop.Progress.Start("traffic", int64(shop.TrafficDays))
	g := &demoTraffic{shop: shop, tm: env.DB.BulkTime}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// A second goroutine generates rows while the writer loads the ones
	// before, in chunks of bounded size (a day at scale 20 is hundreds
	// of thousands of events).
	days := make(chan *demoDay, 1)
	errc := make(chan error, 1)
	g.out, g.done = days, ctx.Done()
	go func() {
		defer close(days)
		plan := shop.NewPlan()
		for {
			day, ok := plan.Next()
			if !ok {
				return
			}
			if day.Date.Before(from) {
				continue
			}
			g.cur = &demoDay{}
			if err := g.day(day); err != nil {
				errc <- err
				return
			}
			g.cur.last = true
			if !g.send() {
				return
			}
		}
	}()
	for d := range days {
		err := env.DB.Load(ctx, func(l *store.Loader) error {
			for _, t := range []struct {
				table string
				cols  []string
				vals  []any
			}{
				{"visit_sessions", demoSessionCols, d.sessions},
				{"visit_events", demoEventCols, d.events},
			} {
				b := l.Into(t.table, t.cols...)
				w := len(t.cols)
				for i := 0; i < len(t.vals); i += w {
					if err := b.Add(t.vals[i : i+w]...); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			cancel()
			for range days {
			}
			return fmt.Errorf("traffic: demo: %w", err)
		}
		if d.last {
			shop.Progress.Add(1)
		}
	}
	select {
	case err := <-errc:
		return fmt.Errorf("traffic: demo: %w", err)
	default:
	}
	return nil
}

// demoTrafficChunk bounds the sessions of one chunk (one transaction).
const demoTrafficChunk = 10_000

// demoDay is a day's rows, or part of them, flat: len(cols) values per
// row; last marks a day's final chunk.
type demoDay struct {
	sessions, events []any
	last             bool
}

// send hands the current chunk to the writer and starts the next; false
// when the writer has gone.
func (g *demoTraffic) send() bool {
	select {
	case g.out <- g.cur:
	case <-g.done:
		return false
	}
	g.cur = &demoDay{}
	return true
}

type demoTraffic struct {
	shop           *demokit.Shop
	tm             func(time.Time) any // store.DB.BulkTime
	visitK, eventK int64
	cur            *demoDay // rows being generated
	out            chan<- *demoDay
	done           <-chan struct{}
}

func (g *demoTraffic) day(day demokit.Day) error {
	s := g.shop
	r := s.Rand("traffic", int64(day.Index))
	for _, st := range day.Stubs {
		sku := s.SKUs[s.LeadSKU(st.K)]
		pv := 3 + r.IntN(6)
		start := st.At.Add(-time.Duration(pv)*time.Duration(40+r.IntN(80))*time.Second - time.Minute)
		cust := s.Customers[st.Customer].ID
		if err := g.session(r, s.ConvertingSession(st.K), cust, st.Channel, start, pv, sku.ProductID, true); err != nil {
			return err
		}
	}
	// The sessions that bought nothing, channel by channel.
	share := s.ChannelShare(day.Date)
	orders := float64(len(day.Stubs))
	total := 0.0
	for c, v := range share {
		total += v / demoConversion[c] * demoConversion[c]
	}
	for c, v := range share {
		want := orders * v / total / demoConversion[c] * (1 - demoConversion[c])
		n := int(want)
		if r.Float64() < want-float64(n) {
			n++
		}
		for range n {
			start := day.Date.Add(time.Duration(demoHour(r))*time.Hour + time.Duration(r.Int64N(int64(time.Hour)))).UTC()
			var cust any
			if r.Float64() < 0.15 && len(s.Customers) > 0 {
				cust = s.Customers[r.IntN(len(s.Customers))].ID
			}
			id := s.ID(demokit.SpaceVisit, g.visitK)
			g.visitK++
			pv := 1 + r.IntN(6)
			if r.Float64() < 0.7 {
				pv = 3 + r.IntN(6)
			}
			sku := s.SKUs[s.PickSKU(r)]
			if err := g.session(r, id, cust, uint8(c), start, pv, sku.ProductID, false); err != nil {
				return err
			}
		}
	}
	return nil
}

// session writes one session and its page_views events.
func (g *demoTraffic) session(r *rand.Rand, id int64, customer any, ch uint8, start time.Time, pv int, product int64, buys bool) error {
	s, d := g.shop, g.cur
	src := demokit.Channels[ch]
	utmSource, utmMedium, campaign, referrer := demoUTM(r, src, start)
	landing := "/"
	if src != "direct" && r.Float64() < 0.6 {
		landing = fmt.Sprintf("/p/%d", product)
	}
	device := "mobile"
	if x := r.Float64(); x > 0.97 {
		device = "tablet"
	} else if x > 0.82 {
		device = "desktop"
	}
	visitor := fmt.Sprintf("v%016x", uint64(id)*0x9E3779B97F4A7C15)
	if customer != nil {
		visitor = fmt.Sprintf("c%016x", uint64(customer.(int64))*0x9E3779B97F4A7C15)
	}
	at := start
	for i := range pv {
		kind, path, pid := "page_view", landing, any(nil)
		switch {
		case i == 0 && landing != "/":
			kind, pid = "product_view", product
		case i == 0:
		case buys && i == pv-2:
			path = "/cart"
		case buys && i == pv-1:
			path = "/checkout"
		case buys && i == 1:
			kind, path, pid = "product_view", fmt.Sprintf("/p/%d", product), product
		case r.Float64() < 0.6:
			p := s.SKUs[s.PickSKU(r)].ProductID
			kind, path, pid = "product_view", fmt.Sprintf("/p/%d", p), p
		default:
			c := s.Categories[r.IntN(len(s.Categories))]
			path = fmt.Sprintf("/c/%d", c.ID)
		}
		d.events = append(d.events, s.ID(demokit.SpaceEvent, g.eventK), id, kind, path, pid, g.tm(at))
		g.eventK++
		if i < pv-1 {
			at = at.Add(time.Duration(15+r.IntN(150)) * time.Second)
		}
	}
	d.sessions = append(d.sessions, id, visitor, customer, src, utmSource, utmMedium, campaign, referrer, landing, device, pv, g.tm(start), g.tm(at))
	if len(d.sessions) >= demoTrafficChunk*len(demoSessionCols) && !g.send() {
		return context.Canceled
	}
	return nil
}

// demoUTM is what each channel's links carry.
func demoUTM(r *rand.Rand, src string, at time.Time) (source, medium, campaign, referrer string) {
	day := at.Format("0102")
	switch src {
	case "search":
		engines := []string{"baidu", "baidu", "sogou", "bing", "so360"}
		e := engines[r.IntN(len(engines))]
		refs := map[string]string{"baidu": "https://www.baidu.com/", "sogou": "https://www.sogou.com/", "bing": "https://cn.bing.com/", "so360": "https://www.so.com/"}
		return e, "organic", "", refs[e]
	case "douyin_live":
		return "douyin", "live", "live_" + day, "https://live.douyin.com/"
	case "short_video":
		if r.IntN(3) == 0 {
			return "kuaishou", "video", "video_" + day, "https://www.kuaishou.com/"
		}
		return "douyin", "video", "video_" + day, "https://www.douyin.com/"
	case "xiaohongshu":
		return "xiaohongshu", "social", "note_种草", "https://www.xiaohongshu.com/"
	case "wechat":
		camps := []string{"vip_group", "moments", "official_account"}
		return "wechat", "community", camps[r.IntN(len(camps))], ""
	case "ads":
		nets := []string{"oceanengine", "tencent_ads", "baidu_sem"}
		camps := []string{"brand_always_on", "retarget_cart", "new_customer"}
		return nets[r.IntN(len(nets))], "cpc", camps[r.IntN(len(camps))], ""
	}
	return "", "", "", ""
}

func demoHour(r *rand.Rand) int {
	// Browsing follows the buying day: an evening peak.
	h := int(math.Round(20 + 5*r.NormFloat64()))
	if r.Float64() < 0.5 {
		h = 9 + r.IntN(12)
	}
	return ((h % 24) + 24) % 24
}
