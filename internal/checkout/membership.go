package checkout

import (
	"context"
	"sync"

	"storeops/internal/platform"
	"storeops/internal/pricing"
	"storeops/internal/store"
)

// Membership is what checkout needs from the loyalty domain, called in
// the checkout's transaction. Without one (the default) nobody has a
// tier and asking to pay with points is CodePointsUnavailable.
type Membership interface {
	// Terms are the customer's tier, its benefits and the points terms,
	// read in tx (a read-only transaction when quoting).
	Terms(ctx context.Context, tx *store.Tx, customerID platform.ID) (MemberTerms, error)
	// RedeemPoints takes the points an order pays with from the
	// customer's balance; a balance spent meanwhile is a 409.
	RedeemPoints(ctx context.Context, tx *store.Tx, orderID, customerID platform.ID, points int64) error
}

// MemberTerms are a customer's membership as checkout prices it.
type MemberTerms struct {
	// Tier is the tier code ("" none): it selects member prices and the
	// rules and coupons limited to tiers.
	Tier string
	// PercentOff is the tier's member price: list price minus this
	// percent on every line.
	PercentOff int
	// FreeShippingOver is the items amount from which the member ships
	// free (0: the shop's normal rule).
	FreeShippingOver platform.Money
	// Points are the shop's redemption terms (Redeem is set by checkout).
	Points pricing.Points
	// Balance is the customer's points balance.
	Balance int64
}

var (
	membershipMu sync.RWMutex
	membership   Membership
)

// UseMembership makes checkout price with m (the loyalty domain calls it
// from its Module constructor, so checkout never imports it).
func UseMembership(m Membership) {
	membershipMu.Lock()
	membership = m
	membershipMu.Unlock()
}

func currentMembership() Membership {
	membershipMu.RLock()
	defer membershipMu.RUnlock()
	return membership
}

// CodeNotEnoughPoints (422): the shopper asked to pay with more points
// than their balance.
var CodeNotEnoughPoints = platform.NewCode("checkout_not_enough_points", 422,
	platform.Message{ZH: "积分余额不足", EN: "You do not have that many points"})

// applyMembership sets the customer's tier, member prices and points on
// the pricing input.
func applyMembership(in *pricing.Input, mt MemberTerms, points int64) error {
	in.Customer.Tier = mt.Tier
	if mt.Tier != "" && mt.PercentOff > 0 {
		for i := range in.Lines {
			l := &in.Lines[i]
			l.MemberPrices = map[string]platform.Money{mt.Tier: l.UnitPrice * platform.Money(100-mt.PercentOff) / 100}
		}
	}
	if points > 0 {
		if points > mt.Balance {
			return platform.E(CodeNotEnoughPoints).With("points", "checkout.points_balance", mt.Balance)
		}
		in.Points = mt.Points
		in.Points.Redeem = points
	}
	return nil
}
