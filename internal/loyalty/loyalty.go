// Package loyalty keeps membership tiers and points. A customer's tier
// follows their rolling 12-month spend on completed orders, net of
// refunds, re-evaluated by a daily job; each tier carries benefits (a
// member price, a free-shipping threshold, a points multiplier, priority
// service) that checkout applies. Points live in an append-only ledger:
// earned when an order completes, clawed back on refunds, redeemed at
// checkout as money and given back when the order is cancelled, granted
// on birthdays and tier-ups, adjusted by staff with a reason, and expired
// first in, first out twelve months after they were earned. Every ledger
// write locks the customer's account row and updates its balance in the
// same transaction, so the balance always equals the ledger's sum
// (CheckLedger proves it).
package loyalty

import (
	"embed"
	"io/fs"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

//go:embed migrations
var migrationsFS embed.FS

// Migrations are the loyalty tables.
func Migrations() store.Migrations {
	sub, _ := fs.Sub(migrationsFS, "migrations")
	return store.Migrations{Name: "loyalty", FS: sub}
}

// Kind says why points moved.
type Kind string

// The ledger kinds. Credits (earn, restore, adjust up, birthday, tier_up)
// add points; debits (redeem, reverse, expire, adjust down) take them.
const (
	KindEarn     Kind = "earn"     // an order completed
	KindRedeem   Kind = "redeem"   // paid part of an order at checkout
	KindRestore  Kind = "restore"  // the redeeming order was cancelled
	KindReverse  Kind = "reverse"  // an order's refund takes back what it earned
	KindExpire   Kind = "expire"   // twelve months after they were earned
	KindAdjust   Kind = "adjust"   // staff, with a reason
	KindBirthday Kind = "birthday" // birthday reward
	KindTierUp   Kind = "tier_up"  // reward for reaching a higher tier
)

// Kinds lists every ledger kind.
var Kinds = []Kind{KindEarn, KindRedeem, KindRestore, KindReverse, KindExpire, KindAdjust, KindBirthday, KindTierUp}

// Label is the kind's message key.
func (k Kind) Label() string { return "loyalty.kind." + string(k) }

// Rules are the shop's points terms. The zero value takes the defaults.
type Rules struct {
	// EarnPerYuan points per whole yuan paid (net of refunds), before the
	// tier's multiplier. Default 1.
	EarnPerYuan int64
	// PerUnit points are worth UnitValue fen at checkout. Default 100
	// points = ¥1.
	PerUnit   int64
	UnitValue platform.Money
	// CapPercent bounds points to this share of the items' payable
	// amount. Default 50.
	CapPercent int
	// Life is how long earned points last. Default one year.
	Life time.Duration
}

// DefaultRules are the terms the shop runs with.
var DefaultRules = Rules{EarnPerYuan: 1, PerUnit: 100, UnitValue: 100, CapPercent: 50}

// expiresAt is when points credited at t expire: the same instant twelve
// months later.
func expiresAt(t time.Time) time.Time { return store.Time(t.AddDate(1, 0, 0)) }

// Entry is one ledger row.
type Entry struct {
	ID           platform.ID  `json:"id"`
	CustomerID   platform.ID  `json:"customer_id"`
	Kind         Kind         `json:"kind"`
	Points       int64        `json:"points"`
	BalanceAfter int64        `json:"balance_after"`
	OrderID      *platform.ID `json:"order_id,omitempty"`
	Reason       string       `json:"reason,omitempty"`
	Actor        string       `json:"actor,omitempty"`
	ExpiresAt    *time.Time   `json:"expires_at,omitempty"`
	CreatedAt    time.Time    `json:"created_at"`
}

// Tier is one membership level and its benefits.
type Tier struct {
	ID     platform.ID `json:"id"`
	Code   string      `json:"code"`
	NameZH string      `json:"name_zh"`
	NameEN string      `json:"name_en"`
	// MinSpend is the rolling 12-month spend (fen) that reaches the tier.
	MinSpend platform.Money `json:"min_spend"`
	// PercentOff is the member price: list price minus this percent.
	PercentOff int `json:"percent_off"`
	// FreeShippingOver is the items amount from which the member ships
	// free; 0 means the shop's normal rule.
	FreeShippingOver platform.Money `json:"free_shipping_over"`
	// PointsMultiplier is a percent of the base earn rate (150 = 1.5×).
	PointsMultiplier int   `json:"points_multiplier"`
	Priority         bool  `json:"priority"`
	BirthdayPoints   int64 `json:"birthday_points"`
	TierUpPoints     int64 `json:"tier_up_points"`
}

// Name is the tier's name in lang.
func (t Tier) Name(lang platform.Lang) string {
	if lang == platform.EN && t.NameEN != "" {
		return t.NameEN
	}
	return t.NameZH
}

// Account is a customer's membership: tier, points and spend.
type Account struct {
	CustomerID platform.ID    `json:"customer_id"`
	Tier       Tier           `json:"tier"`
	TierSince  time.Time      `json:"tier_since,omitzero"`
	Balance    int64          `json:"balance"`
	Spend      platform.Money `json:"spend"`
	// Next is the next tier up, nil at the top.
	Next *Tier `json:"next,omitempty"`
	// ToNext is the spend still needed for Next.
	ToNext platform.Money `json:"to_next,omitempty"`
	// Expiring is how many points expire within 30 days, and ExpiringAt
	// the earliest of those.
	Expiring   int64      `json:"expiring,omitempty"`
	ExpiringAt *time.Time `json:"expiring_at,omitempty"`
}

// TierChange is one row of a customer's tier history.
type TierChange struct {
	ID         platform.ID    `json:"id"`
	CustomerID platform.ID    `json:"customer_id"`
	From       string         `json:"from"`
	To         string         `json:"to"`
	Spend      platform.Money `json:"spend"`
	Reason     string         `json:"reason"`
	At         time.Time      `json:"at"`
}
