package pricing

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"storeops/internal/platform"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenInput is a cart that meets every stage: a member price, item rules
// at two levels, a multi-buy, a bundle, 满减, coupons applied and rejected
// for several reasons, points and a shipping fee.
func goldenInput() Input {
	coat := ln(1, yuan(399), 1, 10)
	coat.MemberPrices = map[string]platform.Money{"gold": yuan(369)}
	return Input{
		At:       at,
		Customer: Customer{ID: 9, Tier: "gold"},
		Lines:    []Line{coat, ln(2, 5990, 3, 20), ln(3, yuan(25), 2, 30), ln(4, yuan(35), 1, 30), ln(5, 999, 4, 40)},
		Rules: []Rule{
			{ID: 1, Name: "会员95折", Kind: PercentOff, Percent: 5, Tiers: []string{"gold"}},
			{ID: 2, Name: "单品立减", Kind: AmountOff, Amount: 100, Scope: skus(5)},
			{ID: 3, Name: "第二件半价", Kind: MultiBuy, EveryN: 2, Percent: 50, Scope: cats(20)},
			{ID: 4, Name: "搭配购", Kind: Bundle, Items: []BundleItem{{3, 2}, {4, 1}}, Price: yuan(69)},
			{ID: 5, Name: "双11满减", Kind: Tiered, Steps: []Step{{yuan(300), yuan(30)}, {yuan(500), yuan(60)}}},
			{ID: 6, Name: "满999包邮", Kind: FreeShipping, Threshold: yuan(999)},
			{ID: 7, Name: "已结束", Kind: PercentOff, Percent: 20, EndsAt: at.Add(-time.Hour)},
		},
		Coupons: []Coupon{
			{ID: 11, Code: "SHOP20", Batch: Batch{ID: 111, Name: "店铺券", Kind: CouponAmount, Amount: yuan(20), MinSpend: yuan(200)}},
			{ID: 12, Code: "SHOP10", Batch: Batch{ID: 112, Name: "小额券", Kind: CouponAmount, Amount: yuan(10), MinSpend: yuan(100)}},
			{ID: 13, Code: "COATS", Batch: Batch{ID: 113, Name: "外套券", Kind: CouponPercent, Percent: 10, MaxOff: yuan(15), Scope: cats(10), Stackable: true}},
			{ID: 14, Code: "SHIPFREE", Batch: Batch{ID: 114, Name: "包邮券", Kind: CouponFreeShipping, Stackable: true}},
			{ID: 15, Code: "BIG50", Batch: Batch{ID: 115, Name: "大额券", Kind: CouponAmount, Amount: yuan(50), MinSpend: yuan(1000)}},
			{ID: 16, Code: "OLD", Batch: Batch{ID: 116, Name: "旧券", Kind: CouponAmount, Amount: yuan(5), EndsAt: at.Add(-24 * time.Hour)}},
		},
		Points:   Points{Redeem: 1234, PerUnit: 100, UnitValue: 100, CapPercent: 10},
		Shipping: 1200,
	}
}

// receipt renders a priced order as a shopper would read it, in lang.
func receipt(o *PricedOrder, lang platform.Lang) string {
	var b strings.Builder
	for _, l := range o.Lines {
		fmt.Fprintf(&b, "SKU %d  %s × %d = %s\n", l.SKUID, l.UnitPrice, l.Quantity, l.ListTotal)
		if l.MemberNote != nil {
			fmt.Fprintf(&b, "    %s  −%s\n", l.MemberNote.Text(lang), l.MemberAdjustment)
		}
		for _, d := range l.Discounts {
			fmt.Fprintf(&b, "    %s  −%s\n", d.Explanation.Text(lang), d.Amount)
		}
		fmt.Fprintf(&b, "    = %s\n", l.Total)
	}
	b.WriteString("\n")
	for _, d := range o.Discounts {
		fmt.Fprintf(&b, "%-8s %4d  %s  −%s\n", d.Source, d.ID, d.Explanation.Text(lang), d.Amount)
	}
	b.WriteString("\n")
	for _, c := range o.Coupons {
		state := "applied"
		if !c.Applied {
			state = "rejected:" + string(c.Reason)
		}
		fmt.Fprintf(&b, "%-8s %s  %s  −%s\n", c.Code, state, c.Explanation.Text(lang), c.Amount)
	}
	t := o.Totals
	fmt.Fprintf(&b, "\nitems %s, member −%s, discount −%s, points −%s (%d), shipping %s −%s, payable %s\n",
		t.Items, t.MemberAdjustment, t.Discount, t.Points, t.PointsUsed, t.Shipping, t.ShippingDiscount, t.Payable)
	return b.String()
}

func TestGoldenExplanations(t *testing.T) {
	out := mustPrice(t, goldenInput())
	for _, lang := range []platform.Lang{platform.ZH, platform.EN} {
		got := receipt(out, lang)
		path := filepath.Join("testdata", "receipt."+string(lang)+".txt")
		if *update {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if got != string(want) {
			t.Errorf("%s receipt differs from %s (go test -update rewrites it):\n%s", lang, path, got)
		}
	}
}

var verbRE = regexp.MustCompile(`%[-+# 0-9.\[\]*]*[a-zA-Z]`)

// TestMessages: every text of the package has both languages with the same
// fmt verbs, and every key the engine can produce is registered.
func TestMessages(t *testing.T) {
	for key, m := range Messages {
		if strings.TrimSpace(m[0]) == "" || strings.TrimSpace(m[1]) == "" {
			t.Errorf("%s: empty text", key)
		}
		zh, en := strings.ReplaceAll(m[0], "%%", ""), strings.ReplaceAll(m[1], "%%", "")
		if zv, ev := verbRE.FindAllString(zh, -1), verbRE.FindAllString(en, -1); strings.Join(zv, " ") != strings.Join(ev, " ") {
			t.Errorf("%s: zh verbs %v, en verbs %v", key, zv, ev)
		}
	}
	keys := []string{keyMember, keyPercentOff, keyAmountOff, keyMultiBuy, keyBundle, keyTiered, keyTieredRepeat, keyFreeShipping,
		keyCouponAmount, keyCouponPct, keyCouponShip, keyPoints, "error." + string(CodePriceChanged)}
	for _, r := range []Reason{ReasonDuplicate, ReasonInvalid, ReasonNotOwner, ReasonNotStarted, ReasonExpired, ReasonSpent,
		ReasonLimitReached, ReasonSignInRequired, ReasonCustomerLimit, ReasonTier, ReasonFirstOrderOnly, ReasonOutOfScope,
		ReasonBelowMinimum, ReasonNoShipping, ReasonExclusive, ReasonNotStackable} {
		keys = append(keys, "pricing.reason."+string(r))
	}
	for p := 1; p <= 100; p++ {
		keys = append(keys, rateKey(p))
	}
	for _, k := range keys {
		if !platform.HasMessage(k) {
			t.Errorf("message %q is not registered", k)
		}
	}
	for p, want := range map[int]string{20: "X：8折 X: 20% off", 15: "X：8.5折 X: 15% off", 5: "X：9.5折 X: 5% off", 50: "X：5折 X: 50% off", 99: "X：0.1折 X: 99% off", 100: "X：免单 X: free"} {
		x := explain("pricing.explain.percent_off", val("X"), rateArg(p))
		if got := x.Text(platform.ZH) + " " + x.Text(platform.EN); got != want {
			t.Errorf("rate %d: %q, want %q", p, got, want)
		}
	}
}
