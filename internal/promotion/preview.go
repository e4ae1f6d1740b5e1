package promotion

import (
	"context"
	"fmt"
	"strings"
	"time"

	"storeops/internal/catalog"
	"storeops/internal/platform"
	"storeops/internal/pricing"
	"storeops/internal/store"
)

// PreviewLine is one SKU and quantity of a preview cart.
type PreviewLine struct {
	SKUID platform.ID `json:"sku_id,omitempty"`
	// SKUCode names the SKU by its code instead of its id.
	SKUCode  string `json:"sku_code,omitempty"`
	Quantity int    `json:"quantity"`
}

// PreviewRequest is "what would this cart cost": SKUs at their catalog
// price, priced with the active rules (plus the named draft or paused
// rules, to try one before activating it) and the coupon codes given.
type PreviewRequest struct {
	Lines       []PreviewLine `json:"lines"`
	CustomerID  platform.ID   `json:"customer_id,omitempty"`
	Tier        string        `json:"tier,omitempty"`
	FirstOrder  bool          `json:"first_order,omitempty"`
	CouponCodes []string      `json:"coupon_codes,omitempty"`
	// WithRules are rule ids priced as if active, whatever their status.
	WithRules []platform.ID `json:"with_rules,omitempty"`
	// Shipping is the shipping fee to assume.
	Shipping platform.Money `json:"shipping,omitempty"`
}

// Preview is a priced preview cart and its receipt in words.
type Preview struct {
	Priced  *pricing.PricedOrder `json:"priced"`
	Receipt []string             `json:"receipt"`
}

// maxPreviewCoupons bounds the codes of one preview.
const maxPreviewCoupons = 10

func (p *PreviewRequest) validate() error {
	e := platform.E(platform.CodeInvalid)
	if len(p.Lines) == 0 {
		e.With("lines", "field.required")
	}
	if len(p.Lines) > pricing.MaxLines {
		e.With("lines", "pricing.too_many_lines", pricing.MaxLines)
	}
	if len(p.CouponCodes) > maxPreviewCoupons || len(p.WithRules) > 50 {
		e.With("coupon_codes", "field.invalid")
	}
	if len(p.Tier) > 32 {
		e.With("tier", "field.too_long", 32)
	}
	for _, c := range p.CouponCodes {
		if len(c) > 64 {
			e.With("coupon_codes", "field.too_long", 64)
		}
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// Preview prices the request's cart as checkout would, changing nothing.
// Unknown SKUs and codes are 422s naming them.
func (s *Service) Preview(ctx context.Context, req PreviewRequest, lang platform.Lang) (Preview, error) {
	var out Preview
	if err := req.validate(); err != nil {
		return out, err
	}
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		in := pricing.Input{At: tx.Now, Shipping: req.Shipping,
			Customer: pricing.Customer{ID: req.CustomerID, Tier: strings.TrimSpace(req.Tier), FirstOrder: req.FirstOrder}}
		tree, err := catalog.LoadTree(ctx, tx)
		if err != nil {
			return err
		}
		names := map[platform.ID]string{}
		for i, l := range req.Lines {
			line := pricing.Line{Quantity: l.Quantity}
			var cat platform.ID
			var code, title string
			err := tx.QueryRowContext(ctx, `SELECT s.id, s.product_id, s.price, p.category_id, s.code, p.title
				FROM skus s JOIN products p ON p.id = s.product_id WHERE s.id = $1 OR ($1 = 0 AND s.code = $2)`,
				l.SKUID, l.SKUCode).Scan(&line.SKUID, &line.ProductID, &line.UnitPrice, &cat, &code, &title)
			if isNoRows(err) {
				ref := l.SKUCode
				if l.SKUID != 0 {
					ref = l.SKUID.String()
				}
				return platform.Invalid(fmt.Sprintf("lines[%d].sku_id", i), "promotion.unknown_sku", ref)
			}
			if err != nil {
				return err
			}
			line.CategoryPath = tree.Ancestry(cat)
			names[line.SKUID] = code + " " + title
			in.Lines = append(in.Lines, line)
		}
		if in.Rules, err = ActiveRules(ctx, tx, tx.Now); err != nil {
			return err
		}
		for _, id := range req.WithRules {
			r, err := getRule(ctx, tx, id)
			if platform.ErrorCode(err) == platform.CodeNotFound {
				return platform.Invalid("with_rules", "promotion.unknown_rule", id.String())
			}
			if err != nil {
				return err
			}
			if !r.Live(tx.Now) {
				r.Rule.StartsAt, r.Rule.EndsAt = time.Time{}, time.Time{}
				in.Rules = append(in.Rules, r.Rule)
			}
		}
		if in.Coupons, err = LoadCoupons(ctx, tx, req.CouponCodes, req.CustomerID); err != nil {
			return err
		}
		if out.Priced, err = pricing.Price(in); err != nil {
			return err
		}
		out.Receipt = Receipt(out.Priced, names, lang)
		return nil
	})
	return out, err
}

// Receipt is the priced order in words, line by line: each line's list
// total, member price and discounts, then the rejected coupons and the
// totals. names label the SKUs (their id when missing).
func Receipt(o *pricing.PricedOrder, names map[platform.ID]string, lang platform.Lang) []string {
	var out []string
	for _, l := range o.Lines {
		name, ok := names[l.SKUID]
		if !ok {
			name = "SKU " + l.SKUID.String()
		}
		out = append(out, fmt.Sprintf("%s × %d  %s", name, l.Quantity, platform.FormatCNY(l.ListTotal)))
		if l.MemberNote != nil {
			out = append(out, "  "+l.MemberNote.Text(lang)+"  −"+platform.FormatCNY(l.MemberAdjustment))
		}
		for _, d := range l.Discounts {
			out = append(out, "  "+d.Explanation.Text(lang)+"  −"+platform.FormatCNY(d.Amount))
		}
		out = append(out, "  = "+platform.FormatCNY(l.Total))
	}
	for _, c := range o.Coupons {
		if !c.Applied {
			out = append(out, c.Code+": "+c.Explanation.Text(lang))
		}
	}
	for _, d := range o.Discounts {
		if d.Kind == string(pricing.FreeShipping) || d.Kind == string(pricing.CouponFreeShipping) {
			out = append(out, d.Explanation.Text(lang)+"  −"+platform.FormatCNY(d.Amount))
		}
	}
	t := o.Totals
	out = append(out, platform.T(lang, "promotion.receipt_totals", platform.FormatCNY(t.Items), platform.FormatCNY(t.MemberAdjustment+t.Discount),
		platform.FormatCNY(t.Shipping-t.ShippingDiscount), platform.FormatCNY(t.Payable)))
	return out
}
