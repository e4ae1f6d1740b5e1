package pricing_test

import (
	"fmt"
	"time"

	"storeops/internal/platform"
	"storeops/internal/pricing"
)

// A cart of two lines under a 满200减20 / 满400减50 rule, with a coupon
// that only applies from ¥300 and 500 points at 100 points to the yuan.
func ExamplePrice() {
	order, err := pricing.Price(pricing.Input{
		At: time.Date(2026, 11, 11, 10, 0, 0, 0, time.UTC),
		Lines: []pricing.Line{
			{SKUID: 1, ProductID: 10, UnitPrice: platform.Yuan(129, 0), Quantity: 2},
			{SKUID: 2, ProductID: 20, UnitPrice: platform.Yuan(59, 90), Quantity: 1},
		},
		Rules: []pricing.Rule{{ID: 7, Name: "双11满减", Kind: pricing.Tiered, Steps: []pricing.Step{
			{Threshold: platform.Yuan(200, 0), Off: platform.Yuan(20, 0)},
			{Threshold: platform.Yuan(400, 0), Off: platform.Yuan(50, 0)},
		}}},
		Coupons: []pricing.Coupon{{ID: 3, Code: "BIG", Batch: pricing.Batch{ID: 30, Name: "大额券",
			Kind: pricing.CouponAmount, Amount: platform.Yuan(30, 0), MinSpend: platform.Yuan(300, 0)}}},
		Points:   pricing.Points{Redeem: 500, PerUnit: 100, UnitValue: 100},
		Shipping: platform.Yuan(8, 0),
	})
	if err != nil {
		panic(err)
	}
	for _, d := range order.Discounts {
		fmt.Println(d.Explanation.Text(platform.EN), d.Amount)
	}
	for _, c := range order.Coupons {
		fmt.Println(c.Code, c.Reason, c.Explanation.Text(platform.ZH))
	}
	for _, l := range order.Lines {
		fmt.Println(l.SKUID, l.ListTotal, "→", l.Total)
	}
	fmt.Println("payable", order.Totals.Payable)
	// Output:
	// 双11满减: spend ¥200.00, save ¥20.00 ¥20.00
	// 500 points redeemed ¥5.00
	// BIG below_minimum 未满 ¥300.00，不能使用该优惠券
	// 1 ¥258.00 → ¥237.71
	// 2 ¥59.90 → ¥55.19
	// payable ¥300.90
}
