package merch

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"storeops/internal/audit"
	"storeops/internal/catalog"
	"storeops/internal/platform"
	"storeops/internal/pricing"
	"storeops/internal/promotion"
	"storeops/internal/store"
)

// Actions are the slow-mover report's one-click actions. Each goes
// through the owning domain's API, which audits it in its own
// transaction: a promotion rule, the product lifecycle, product tags.
type Actions struct {
	db    *store.DB
	promo *promotion.Service
	cat   *catalog.Admin
}

// NewActions acts on db.
func NewActions(db *store.DB) *Actions {
	return &Actions{db: db, promo: promotion.NewService(db), cat: catalog.NewAdmin(db)}
}

// DiscountDays is how long a one-click discount runs.
const DiscountDays = 14

// Discount starts a percent-off rule (限时折扣) on the product for
// DiscountDays, active at once, and returns its id.
// Errors: CodeInvalid (percent outside 1–90), CodeNotFound.
func (a *Actions) Discount(ctx context.Context, actor audit.Actor, id platform.ID, percent int) (platform.ID, error) {
	if percent < 1 || percent > 90 {
		return 0, platform.Invalid("percent", "merch.field.percent", 1, 90)
	}
	var title string
	if err := a.db.R.QueryRowContext(ctx, `SELECT title FROM products WHERE id = $1`, id).Scan(&title); err != nil {
		return 0, store.NotFound(err, "product")
	}
	name := fmt.Sprintf("滞销折扣 %d%% · %s", percent, title)
	if utf8.RuneCountInString(name) > 60 {
		name = string([]rune(name)[:60])
	}
	now := a.db.Now()
	rec, err := a.promo.CreateRule(ctx, actor, pricing.Rule{Name: name, Kind: pricing.PercentOff, Percent: percent,
		Scope: pricing.Scope{ProductIDs: []platform.ID{id}}, StartsAt: now, EndsAt: now.Add(DiscountDays * 24 * time.Hour)})
	if err != nil {
		return 0, err
	}
	if _, err := a.promo.SetRuleStatus(ctx, actor, rec.ID, promotion.Active); err != nil {
		return 0, err
	}
	return rec.ID, nil
}

// Delist takes the product off sale (下架). Errors: as catalog SetStatus.
func (a *Actions) Delist(ctx context.Context, actor audit.Actor, id platform.ID) error {
	return a.cat.SetStatus(ctx, actor, id, catalog.StatusOffSale, platform.T(platform.ZH, "merch.delist_reason"))
}

// Clearance tags the product 清仓. Errors: CodeNotFound.
func (a *Actions) Clearance(ctx context.Context, actor audit.Actor, id platform.ID) error {
	return a.cat.AddTags(ctx, actor, id, catalog.TagClearance)
}
