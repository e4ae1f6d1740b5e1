package checkout

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"storeops/internal/cart"
	"storeops/internal/catalog"
	"storeops/internal/platform"
	"storeops/internal/pricing"
	"storeops/internal/store"
)

// Promotions is what checkout needs from the promotions domain, called in
// the checkout's transaction. Without one (NoPromotions) no rules apply
// and every coupon code is unknown.
type Promotions interface {
	ActiveRules(ctx context.Context, tx *store.Tx, at time.Time) ([]pricing.Rule, error)
	// LoadCoupons finds the codes with their batches and usage counts; an
	// unknown code is a 422 naming it.
	LoadCoupons(ctx context.Context, tx *store.Tx, codes []string, customerID platform.ID) ([]pricing.Coupon, error)
	// Redeem records the applied coupons against the order, enforcing
	// their limits (a limit reached by a concurrent checkout is a 409).
	Redeem(ctx context.Context, tx *store.Tx, orderID, customerID platform.ID, applied []pricing.CouponResult) error
	// ReleaseForOrder gives back a cancelled order's redemptions; it is
	// idempotent.
	ReleaseForOrder(ctx context.Context, tx *store.Tx, orderID platform.ID) error
}

// CodeUnknownCoupon is NoPromotions' answer to any coupon code.
var CodeUnknownCoupon = platform.NewCode("checkout_unknown_coupon", 422,
	platform.Message{ZH: "优惠券不存在", EN: "No such coupon"})

// NoPromotions is a shop with no promotions.
type NoPromotions struct{}

func (NoPromotions) ActiveRules(context.Context, *store.Tx, time.Time) ([]pricing.Rule, error) {
	return nil, nil
}

func (NoPromotions) LoadCoupons(_ context.Context, _ *store.Tx, codes []string, _ platform.ID) ([]pricing.Coupon, error) {
	if len(codes) > 0 {
		return nil, platform.E(CodeUnknownCoupon).With("coupon_codes", "field.invalid")
	}
	return nil, nil
}

func (NoPromotions) Redeem(context.Context, *store.Tx, platform.ID, platform.ID, []pricing.CouponResult) error {
	return nil
}

func (NoPromotions) ReleaseForOrder(context.Context, *store.Tx, platform.ID) error { return nil }

// Service places orders.
type Service struct {
	db     *store.DB
	carts  *cart.Service
	promos Promotions
	cfg    Config
}

// NewService makes a checkout on db.
func NewService(db *store.DB, carts *cart.Service, promos Promotions, cfg Config) *Service {
	if promos == nil {
		promos = NoPromotions{}
	}
	return &Service{db: db, carts: carts, promos: promos, cfg: cfg.withDefaults()}
}

// Terms is what the shopper chooses besides the cart.
type Terms struct {
	// AddressID is one of the customer's addresses.
	AddressID   platform.ID `json:"address_id"`
	CouponCodes []string    `json:"coupon_codes,omitempty"`
	// Points to redeem, at most the customer's balance; the shop's terms
	// decide what they are worth and cap their share.
	Points int64 `json:"points,omitempty"`
}

// MaxCoupons bounds the codes one order may carry.
const MaxCoupons = 5

func (t *Terms) validate(e *platform.Error) {
	if t.AddressID == 0 {
		e.With("address_id", "field.required")
	}
	if len(t.CouponCodes) > MaxCoupons {
		e.With("coupon_codes", "checkout.too_many_coupons", MaxCoupons)
	}
	seen := map[string]bool{}
	codes := t.CouponCodes[:0]
	for _, c := range t.CouponCodes {
		c = strings.ToUpper(strings.TrimSpace(c))
		if c == "" || seen[c] {
			continue
		}
		if len(c) > 64 {
			e.With("coupon_codes", "field.too_long", 64)
			continue
		}
		seen[c] = true
		codes = append(codes, c)
	}
	t.CouponCodes = codes
	if t.Points < 0 {
		e.With("points", "field.invalid")
	}
}

// Address is where the order goes.
type Address struct {
	ID           platform.ID `json:"id"`
	Recipient    string      `json:"recipient"`
	Mobile       string      `json:"mobile"`
	ProvinceCode string      `json:"province_code"`
	Province     string      `json:"province"`
	City         string      `json:"city"`
	District     string      `json:"district"`
	Detail       string      `json:"detail"`
}

// Quote is a priced cart: what Place would charge now.
type Quote struct {
	Address  Address              `json:"address"`
	Lines    []cart.Line          `json:"lines"`
	Priced   *pricing.PricedOrder `json:"priced"`
	Shipping cart.Shipping        `json:"shipping"`
	// Payable is the amount to send back as expected_total.
	Payable     platform.Money `json:"payable"`
	PayableText string         `json:"payable_text"`
	cartID      platform.ID
}

// quote prices the customer's selected cart lines inside tx.
func (s *Service) quote(ctx context.Context, tx *store.Tx, customerID platform.ID, t Terms) (*Quote, error) {
	cartID, all, err := cart.ForCheckout(ctx, tx, customerID)
	if err != nil {
		return nil, err
	}
	q := &Quote{cartID: cartID}
	var bad []string
	for _, l := range all {
		if !l.Selected {
			continue
		}
		if l.State != cart.LineOK {
			bad = append(bad, l.SKUID.String()+":"+l.State)
		}
		q.Lines = append(q.Lines, l)
	}
	if len(q.Lines) == 0 {
		return nil, platform.E(CodeEmptyCart)
	}
	if len(bad) > 0 {
		e := platform.E(CodeLinesChanged)
		e.Extra = map[string]any{"lines": bad}
		return nil, e
	}
	if q.Address, err = loadAddress(ctx, tx, customerID, t.AddressID); err != nil {
		return nil, err
	}
	m := currentMembership()
	if t.Points > 0 && m == nil {
		return nil, platform.E(CodePointsUnavailable)
	}
	tree, err := catalog.LoadTree(ctx, tx)
	if err != nil {
		return nil, err
	}
	in := pricing.Input{At: tx.Now, Customer: pricing.Customer{ID: customerID}}
	for _, l := range q.Lines {
		in.Lines = append(in.Lines, pricing.Line{SKUID: l.SKUID, ProductID: l.ProductID, CategoryPath: tree.Ancestry(l.CategoryID),
			UnitPrice: l.UnitPrice, Quantity: l.Quantity})
	}
	var earlier bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM orders WHERE customer_id = $1 AND status <> 'cancelled')`,
		customerID).Scan(&earlier); err != nil {
		return nil, err
	}
	in.Customer.FirstOrder = !earlier
	var mt MemberTerms
	if m != nil {
		if mt, err = m.Terms(ctx, tx, customerID); err != nil {
			return nil, err
		}
		if err := applyMembership(&in, mt, t.Points); err != nil {
			return nil, err
		}
	}
	if in.Rules, err = s.promos.ActiveRules(ctx, tx, tx.Now); err != nil {
		return nil, err
	}
	if in.Coupons, err = s.promos.LoadCoupons(ctx, tx, t.CouponCodes, customerID); err != nil {
		return nil, err
	}
	q.Shipping = s.carts.QuoteShipping(q.Address.ProvinceCode, q.Lines)
	if over := mt.FreeShippingOver; over > 0 && q.Shipping.Fee > 0 {
		var items platform.Money
		for _, l := range in.Lines {
			items += l.UnitPrice * platform.Money(l.Quantity)
		}
		if items >= over {
			q.Shipping = cart.Shipping{FreeOver: over, Rule: "member"}
		}
	}
	in.Shipping = q.Shipping.Fee
	if q.Priced, err = pricing.Price(in); err != nil {
		return nil, err
	}
	q.Payable = q.Priced.Totals.Payable
	q.PayableText = platform.FormatCNY(q.Payable)
	return q, nil
}

// Quote prices the customer's cart as Place would, changing nothing.
func (s *Service) Quote(ctx context.Context, customerID platform.ID, t Terms) (*Quote, error) {
	e := platform.E(platform.CodeInvalid)
	if t.validate(e); len(e.Fields) > 0 {
		return nil, e
	}
	var q *Quote
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		q, err = s.quote(ctx, tx, customerID, t)
		return err
	})
	return q, err
}

func loadAddress(ctx context.Context, tx *store.Tx, customerID, id platform.ID) (Address, error) {
	a := Address{ID: id}
	err := tx.QueryRowContext(ctx, `SELECT recipient, mobile, province_code, province, city, district, detail
		FROM customer_addresses WHERE id = $1 AND customer_id = $2`, id, customerID).
		Scan(&a.Recipient, &a.Mobile, &a.ProvinceCode, &a.Province, &a.City, &a.District, &a.Detail)
	if errors.Is(err, sql.ErrNoRows) {
		return a, platform.NotFound("address")
	}
	return a, err
}

// noteOK checks the shopper's note.
func noteOK(note string) bool {
	return utf8.ValidString(note) && utf8.RuneCountInString(note) <= MaxNoteLen
}
