package pricing

import (
	"slices"
	"testing"
	"time"

	"storeops/internal/platform"
)

type priceCase struct {
	name    string
	in      Input
	lines   []platform.Money // expected line totals, cart order
	payable platform.Money
}

func runCases(t *testing.T, cases []priceCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.in.At.IsZero() {
				tc.in.At = at
			}
			out := mustPrice(t, tc.in)
			if got := lineTotals(out); !slices.Equal(got, tc.lines) {
				t.Errorf("line totals %v, want %v", got, tc.lines)
			}
			if out.Totals.Payable != tc.payable {
				t.Errorf("payable %d, want %d (%+v)", out.Totals.Payable, tc.payable, out.Totals)
			}
		})
	}
}

func TestNoRules(t *testing.T) {
	runCases(t, []priceCase{
		{"empty cart", Input{}, nil, 0},
		{"lines and shipping", Input{Lines: []Line{ln(1, 1999, 2), ln(2, 500, 1)}, Shipping: 800}, []platform.Money{3998, 500}, 5298},
		{"free items", Input{Lines: []Line{ln(1, 0, 3)}}, []platform.Money{0}, 0},
	})
}

func TestMemberPrice(t *testing.T) {
	member := func(l Line, tier string, p platform.Money) Line {
		l.MemberPrices = map[string]platform.Money{tier: p}
		return l
	}
	gold := Customer{ID: 7, Tier: "gold"}
	runCases(t, []priceCase{
		{"tier price below list", Input{Customer: gold, Lines: []Line{member(ln(1, 1000, 3), "gold", 900)}}, []platform.Money{2700}, 2700},
		{"tier price above list is ignored", Input{Customer: gold, Lines: []Line{member(ln(1, 1000, 3), "gold", 1100)}}, []platform.Money{3000}, 3000},
		{"other tier", Input{Customer: gold, Lines: []Line{member(ln(1, 1000, 1), "silver", 800)}}, []platform.Money{1000}, 1000},
		{"no tier", Input{Customer: Customer{ID: 7}, Lines: []Line{member(ln(1, 1000, 1), "gold", 800)}}, []platform.Money{1000}, 1000},
		{"then percent off the member price", Input{Customer: gold, Lines: []Line{member(ln(1, 1000, 1), "gold", 900)},
			Rules: []Rule{percentRule(1, 10, Scope{})}}, []platform.Money{810}, 810},
	})
	out := mustPrice(t, Input{Customer: gold, Lines: []Line{member(ln(1, 1000, 3), "gold", 900)}})
	if l := out.Lines[0]; l.MemberUnitPrice != 900 || l.MemberAdjustment != 300 || l.MemberNote == nil || out.Totals.MemberAdjustment != 300 {
		t.Errorf("member line %+v, totals %+v", l, out.Totals)
	}
}

func TestItemRules(t *testing.T) {
	window := func(r Rule, from, to time.Time) Rule { r.StartsAt, r.EndsAt = from, to; return r }
	tiered := func(r Rule, tiers ...string) Rule { r.Tiers = tiers; return r }
	firstOrder := func(r Rule) Rule { r.FirstOrderOnly = true; return r }
	shopWide := Scope{}
	runCases(t, []priceCase{
		{"percent rounds half up", Input{Lines: []Line{ln(1, 9999, 1)}, Rules: []Rule{percentRule(1, 20, shopWide)}}, []platform.Money{7999}, 7999},
		{"percent on the line total", Input{Lines: []Line{ln(1, 333, 3)}, Rules: []Rule{percentRule(1, 15, shopWide)}}, []platform.Money{849}, 849},
		{"amount off each unit", Input{Lines: []Line{ln(1, 1000, 3)}, Rules: []Rule{amountRule(1, 150, shopWide)}}, []platform.Money{2550}, 2550},
		{"amount off never below zero", Input{Lines: []Line{ln(1, 300, 2)}, Rules: []Rule{amountRule(1, 500, shopWide)}}, []platform.Money{0}, 0},
		{"sku beats shop even when smaller", Input{Lines: []Line{ln(1, 1000, 1)},
			Rules: []Rule{percentRule(1, 50, shopWide), percentRule(2, 10, skus(1))}}, []platform.Money{900}, 900},
		{"product beats category", Input{Lines: []Line{ln(1, 1000, 1, 30)},
			Rules: []Rule{percentRule(1, 50, cats(30)), percentRule(2, 10, Scope{ProductIDs: []platform.ID{1001}})}}, []platform.Money{900}, 900},
		{"category beats shop, ancestors count", Input{Lines: []Line{ln(1, 1000, 1, 30, 3), ln(2, 1000, 1, 40, 4)},
			Rules: []Rule{percentRule(1, 50, shopWide), percentRule(2, 20, cats(3))}}, []platform.Money{800, 500}, 1300},
		{"best of the same level", Input{Lines: []Line{ln(1, 1000, 1), ln(2, 100, 1)},
			Rules: []Rule{percentRule(1, 10, shopWide), amountRule(2, 50, shopWide)}}, []platform.Money{900, 50}, 950},
		{"tie goes to the lower id", Input{Lines: []Line{ln(1, 1000, 1)},
			Rules: []Rule{amountRule(9, 100, shopWide), percentRule(3, 10, shopWide)}}, []platform.Money{900}, 900},
		{"excluded sku", Input{Lines: []Line{ln(1, 1000, 1), ln(2, 1000, 1)},
			Rules: []Rule{percentRule(1, 10, Scope{ExcludeSKUIDs: []platform.ID{2}})}}, []platform.Money{900, 1000}, 1900},
		{"excluded product inside a category", Input{Lines: []Line{ln(1, 1000, 1, 5), ln(2, 1000, 1, 5)},
			Rules: []Rule{percentRule(1, 10, Scope{CategoryIDs: []platform.ID{5}, ExcludeProductIDs: []platform.ID{1002}})}}, []platform.Money{900, 1000}, 1900},
		{"not started", Input{Lines: []Line{ln(1, 1000, 1)},
			Rules: []Rule{window(percentRule(1, 10, shopWide), at.Add(time.Second), time.Time{})}}, []platform.Money{1000}, 1000},
		{"starts now", Input{Lines: []Line{ln(1, 1000, 1)},
			Rules: []Rule{window(percentRule(1, 10, shopWide), at, at.Add(time.Hour))}}, []platform.Money{900}, 900},
		{"ends now", Input{Lines: []Line{ln(1, 1000, 1)},
			Rules: []Rule{window(percentRule(1, 10, shopWide), at.Add(-time.Hour), at)}}, []platform.Money{1000}, 1000},
		{"member-tier discount", Input{Customer: Customer{ID: 1, Tier: "gold"}, Lines: []Line{ln(1, 1000, 1)},
			Rules: []Rule{tiered(percentRule(1, 5, shopWide), "gold", "platinum")}}, []platform.Money{950}, 950},
		{"member-tier discount, other tier", Input{Customer: Customer{ID: 1, Tier: "silver"}, Lines: []Line{ln(1, 1000, 1)},
			Rules: []Rule{tiered(percentRule(1, 5, shopWide), "gold")}}, []platform.Money{1000}, 1000},
		{"member-tier discount, guest", Input{Lines: []Line{ln(1, 1000, 1)},
			Rules: []Rule{tiered(percentRule(1, 5, shopWide), "gold")}}, []platform.Money{1000}, 1000},
		{"first order", Input{Customer: Customer{ID: 1, FirstOrder: true}, Lines: []Line{ln(1, 1000, 1)},
			Rules: []Rule{firstOrder(amountRule(1, 500, shopWide))}}, []platform.Money{500}, 500},
		{"not first order", Input{Customer: Customer{ID: 1}, Lines: []Line{ln(1, 1000, 1)},
			Rules: []Rule{firstOrder(amountRule(1, 500, shopWide))}}, []platform.Money{1000}, 1000},
		{"inactive specific rule leaves the shop rule", Input{Lines: []Line{ln(1, 1000, 1)},
			Rules: []Rule{percentRule(1, 10, shopWide), window(percentRule(2, 30, skus(1)), at.Add(-2*time.Hour), at.Add(-time.Hour))}}, []platform.Money{900}, 900},
	})
}

func TestQuantityRules(t *testing.T) {
	bundle := func(id int64, price platform.Money, items ...BundleItem) Rule {
		return Rule{ID: platform.ID(id), Name: "组合", Kind: Bundle, Items: items, Price: price}
	}
	runCases(t, []priceCase{
		{"second half price, one line", Input{Lines: []Line{ln(1, 10000, 3)}, Rules: []Rule{multiBuyRule(1, 2, 50, Scope{})}}, []platform.Money{25000}, 25000},
		{"second half price, the cheaper line", Input{Lines: []Line{ln(1, 6000, 1), ln(2, 10000, 1)},
			Rules: []Rule{multiBuyRule(1, 2, 50, Scope{})}}, []platform.Money{3000, 10000}, 13000},
		{"3 for 2, cheapest free", Input{Lines: []Line{ln(1, 10000, 1), ln(2, 6000, 1), ln(3, 4000, 1)},
			Rules: []Rule{multiBuyRule(1, 3, 100, Scope{})}}, []platform.Money{10000, 6000, 0}, 16000},
		// ¥9 ¥9 [¥9] | ¥9 ¥6 [¥6] | ¥6: one ¥9 and one ¥6 free.
		{"3 for 2, two groups", Input{Lines: []Line{ln(1, 900, 4), ln(2, 600, 3)},
			Rules: []Rule{multiBuyRule(1, 3, 100, Scope{})}}, []platform.Money{2700, 1200}, 3900},
		{"3 for 2, incomplete group pays full", Input{Lines: []Line{ln(1, 900, 2)},
			Rules: []Rule{multiBuyRule(1, 3, 100, Scope{})}}, []platform.Money{1800}, 1800},
		{"after item rules, on what is left per unit", Input{Lines: []Line{ln(1, 1000, 1), ln(2, 800, 1)},
			Rules: []Rule{percentRule(1, 50, skus(1)), multiBuyRule(2, 2, 50, Scope{})}}, []platform.Money{250, 800}, 1050},
		{"scoped", Input{Lines: []Line{ln(1, 1000, 1, 7), ln(2, 1000, 1, 8)},
			Rules: []Rule{multiBuyRule(1, 2, 50, cats(7))}}, []platform.Money{1000, 1000}, 2000},
		{"bundle", Input{Lines: []Line{ln(1, 3000, 2), ln(2, 2000, 1)},
			Rules: []Rule{bundle(1, 4000, BundleItem{1, 1}, BundleItem{2, 1})}}, []platform.Money{5400, 1600}, 7000},
		{"bundle, two sets", Input{Lines: []Line{ln(1, 3000, 2), ln(2, 2000, 3)},
			Rules: []Rule{bundle(1, 4000, BundleItem{1, 1}, BundleItem{2, 1})}}, []platform.Money{4800, 5200}, 10000},
		{"bundle of a single sku", Input{Lines: []Line{ln(1, 1500, 5)},
			Rules: []Rule{bundle(1, 4000, BundleItem{1, 3})}}, []platform.Money{7000}, 7000},
		{"bundle missing an item", Input{Lines: []Line{ln(1, 3000, 2)},
			Rules: []Rule{bundle(1, 4000, BundleItem{1, 1}, BundleItem{2, 1})}}, []platform.Money{6000}, 6000},
		{"bundle dearer than its items", Input{Lines: []Line{ln(1, 1000, 1), ln(2, 1000, 1)},
			Rules: []Rule{bundle(1, 2500, BundleItem{1, 1}, BundleItem{2, 1})}}, []platform.Money{1000, 1000}, 2000},
		// The multi-buy saves 50 on line 2; the bundle saves 1000 on lines
		// 1 and 2: the bundle wins and takes both lines.
		{"best of conflicting quantity rules", Input{Lines: []Line{ln(1, 1000, 1), ln(2, 100, 1)},
			Rules: []Rule{multiBuyRule(1, 2, 50, Scope{}), bundle(2, 100, BundleItem{1, 1}, BundleItem{2, 1})}}, []platform.Money{91, 9}, 100},
		// The multi-buy takes lines 1 and 2 (saving 500); the bundle of 3
		// and 4 still applies.
		{"disjoint quantity rules both apply", Input{Lines: []Line{ln(1, 1000, 1, 9), ln(2, 1000, 1, 9), ln(3, 1000, 1), ln(4, 1000, 1)},
			Rules: []Rule{multiBuyRule(1, 2, 50, cats(9)), bundle(2, 1500, BundleItem{3, 1}, BundleItem{4, 1})}}, []platform.Money{1000, 500, 750, 750}, 3000},
	})
}

func TestOrderRules(t *testing.T) {
	steps := []Step{{yuan(200), yuan(20)}, {yuan(400), yuan(50)}}
	mj := tieredRule(1, Scope{}, steps...)
	repeat := Rule{ID: 2, Name: "每满减", Kind: Tiered, Steps: []Step{{yuan(100), yuan(10)}}, Repeat: true, MaxOff: yuan(30)}
	ship := Rule{ID: 3, Name: "包邮", Kind: FreeShipping, Threshold: yuan(99)}
	runCases(t, []priceCase{
		{"below the first tier", Input{Lines: []Line{ln(1, 19999, 1)}, Rules: []Rule{mj}}, []platform.Money{19999}, 19999},
		{"first tier, split by amount", Input{Lines: []Line{ln(1, yuan(100), 1), ln(2, yuan(150), 1)}, Rules: []Rule{mj}},
			[]platform.Money{yuan(92), yuan(138)}, yuan(230)},
		{"second tier", Input{Lines: []Line{ln(1, yuan(450), 1)}, Rules: []Rule{mj}}, []platform.Money{yuan(400)}, yuan(400)},
		{"split with remainders", Input{Lines: []Line{ln(1, 6667, 1), ln(2, 6667, 1), ln(3, 6666, 1)}, Rules: []Rule{tieredRule(1, Scope{}, Step{yuan(200), 1001})}},
			[]platform.Money{6333, 6333, 6333}, 18999},
		{"after item rules", Input{Lines: []Line{ln(1, yuan(120), 2)}, Rules: []Rule{mj, percentRule(9, 10, Scope{})}},
			[]platform.Money{yuan(196)}, yuan(196)},
		{"item rule drops the cart under the tier", Input{Lines: []Line{ln(1, yuan(210), 1)}, Rules: []Rule{mj, percentRule(9, 10, Scope{})}},
			[]platform.Money{yuan(189)}, yuan(189)},
		{"scoped tier", Input{Lines: []Line{ln(1, yuan(200), 1, 5), ln(2, yuan(300), 1, 6)}, Rules: []Rule{tieredRule(1, cats(5), steps...)}},
			[]platform.Money{yuan(180), yuan(300)}, yuan(480)},
		{"repeat", Input{Lines: []Line{ln(1, yuan(250), 1)}, Rules: []Rule{repeat}}, []platform.Money{yuan(230)}, yuan(230)},
		{"repeat capped", Input{Lines: []Line{ln(1, yuan(450), 1)}, Rules: []Rule{repeat}}, []platform.Money{yuan(420)}, yuan(420)},
		// Rule 1 gives 50 on the whole cart, rule 4 gives 30 on category
		// 5 only: rule 1 wins and takes every line, so rule 4 has nothing.
		{"best of conflicting tiers", Input{Lines: []Line{ln(1, yuan(300), 1, 5), ln(2, yuan(200), 1)},
			Rules: []Rule{mj, tieredRule(4, cats(5), Step{yuan(300), yuan(30)})}}, []platform.Money{yuan(270), yuan(180)}, yuan(450)},
		{"free shipping from the threshold", Input{Lines: []Line{ln(1, yuan(99), 1)}, Shipping: 800, Rules: []Rule{ship}}, []platform.Money{yuan(99)}, yuan(99)},
		{"shipping below the threshold", Input{Lines: []Line{ln(1, 9899, 1)}, Shipping: 800, Rules: []Rule{ship}}, []platform.Money{9899}, 10699},
		{"threshold after 满减", Input{Lines: []Line{ln(1, yuan(110), 1)}, Shipping: 800,
			Rules: []Rule{ship, tieredRule(1, Scope{}, Step{yuan(100), yuan(20)})}}, []platform.Money{yuan(90)}, yuan(98)},
	})
}

func TestPoints(t *testing.T) {
	rate := func(redeem int64, capPct int, capAmt platform.Money) Points {
		return Points{Redeem: redeem, PerUnit: 100, UnitValue: 100, CapPercent: capPct, CapAmount: capAmt}
	}
	runCases(t, []priceCase{
		{"whole units only", Input{Lines: []Line{ln(1, yuan(50), 1)}, Points: rate(1050, 0, 0)}, []platform.Money{yuan(40)}, yuan(40)},
		{"capped by percent", Input{Lines: []Line{ln(1, yuan(50), 1)}, Points: rate(5000, 10, 0)}, []platform.Money{yuan(45)}, yuan(45)},
		{"capped by amount", Input{Lines: []Line{ln(1, yuan(50), 1)}, Points: rate(5000, 0, yuan(3))}, []platform.Money{yuan(47)}, yuan(47)},
		{"never more than the items", Input{Lines: []Line{ln(1, 1050, 1), ln(2, 1000, 1)}, Points: rate(1_000_000, 0, 0), Shipping: 600},
			[]platform.Money{26, 24}, 650},
		{"fewer points than a unit", Input{Lines: []Line{ln(1, yuan(50), 1)}, Points: rate(99, 0, 0)}, []platform.Money{yuan(50)}, yuan(50)},
		{"after discounts", Input{Lines: []Line{ln(1, yuan(100), 1)}, Points: rate(100_000, 50, 0), Rules: []Rule{percentRule(1, 20, Scope{})}},
			[]platform.Money{yuan(40)}, yuan(40)},
	})
	out := mustPrice(t, Input{At: at, Lines: []Line{ln(1, yuan(50), 1)}, Points: rate(1050, 0, 0)})
	if out.Totals.PointsUsed != 1000 || out.Totals.Points != yuan(10) {
		t.Errorf("points totals %+v, want 1000 points worth ¥10", out.Totals)
	}
}

func TestCheckQuote(t *testing.T) {
	out := mustPrice(t, Input{At: at, Lines: []Line{ln(1, 1999, 2)}, Shipping: 500})
	if err := out.CheckQuote(4498); err != nil {
		t.Fatalf("matching quote: %v", err)
	}
	err := out.CheckQuote(4000)
	e := platform.AsError(err)
	if e.Code != CodePriceChanged || e.Code.Status() != 409 || e.Extra["totals"] != out.Totals {
		t.Fatalf("stale quote: %#v", err)
	}
	if msg := e.Message(platform.ZH); msg != "价格已变化，最新应付金额为 ¥44.98，请确认后重新提交" {
		t.Errorf("message %q", msg)
	}
}

func TestPriceRejectsBadInput(t *testing.T) {
	_, err := Price(Input{Lines: []Line{ln(1, 100, 0), ln(1, -1, 1), {SKUID: 0, Quantity: 1}, ln(4, 100, MaxQuantity+1)},
		Points: Points{Redeem: 10}, Shipping: -1})
	want := []string{"lines[0].quantity", "lines[1].sku_id", "lines[1].unit_price", "lines[2].sku_id", "lines[3].quantity", "points.per_unit", "shipping"}
	if got := fields(t, err); !slices.Equal(got, want) {
		t.Errorf("fields %v, want %v", got, want)
	}
	_, err = Price(Input{Lines: []Line{ln(1, 100, 1)}, Rules: []Rule{percentRule(1, 120, Scope{})}})
	if platform.ErrorCode(err) != platform.CodeInternal {
		t.Errorf("invalid rule: %v, want %s", err, platform.CodeInternal)
	}
}
