package cart

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"storeops/internal/catalog"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// Owner says whose cart: a signed-in customer's or a guest browser's
// (the token from its cart cookie). Exactly one is set.
type Owner struct {
	CustomerID platform.ID
	GuestToken string
}

func (o Owner) guestHash() string {
	sum := sha256.Sum256([]byte(o.GuestToken))
	return hex.EncodeToString(sum[:])
}

// Service reads and changes carts.
type Service struct {
	db     *store.DB
	quoter Quoter
}

// NewService makes a cart service pricing shipping with q.
func NewService(db *store.DB, q Quoter) *Service {
	return &Service{db: db, quoter: q}
}

// Cart is a cart as it stands now: current prices and stock.
type Cart struct {
	Lines []Line `json:"lines"`
	// Count is the number of pieces in the selected, buyable lines.
	Count int `json:"count"`
	// Items is what those lines cost at list price; pricing rules and
	// coupons apply at checkout.
	Items     platform.Money `json:"items"`
	ItemsText string         `json:"items_text"`
	// ProvinceCode is the destination the shipping quote is for ("" when
	// unknown).
	ProvinceCode string         `json:"province_code,omitempty"`
	Shipping     Shipping       `json:"shipping"`
	ShippingText string         `json:"shipping_text"`
	Total        platform.Money `json:"total"`
	TotalText    string         `json:"total_text"`
	// FreeShippingGap is how much more would ship free (0 when it already
	// does or there is no threshold).
	FreeShippingGap     platform.Money `json:"free_shipping_gap"`
	FreeShippingGapText string         `json:"free_shipping_gap_text,omitempty"`
}

// Line states.
const (
	LineOK          = "ok"          // can be bought as it is
	LineShort       = "short"       // fewer in stock than in the cart
	LineUnavailable = "unavailable" // off sale, archived or gone
)

// Line is one SKU in the cart.
type Line struct {
	SKUID         platform.ID     `json:"sku_id"`
	ProductID     platform.ID     `json:"product_id,omitempty"`
	Title         string          `json:"title"`
	SpecText      string          `json:"spec_text"`
	ImageURL      string          `json:"image_url,omitempty"`
	Quantity      int             `json:"quantity"`
	Selected      bool            `json:"selected"`
	UnitPrice     platform.Money  `json:"unit_price"`
	UnitPriceText string          `json:"unit_price_text"`
	CompareAt     *platform.Money `json:"compare_at_price,omitempty"`
	LineTotal     platform.Money  `json:"line_total"`
	LineTotalText string          `json:"line_total_text"`
	// Available is what can be bought now over all warehouses.
	Available int64 `json:"available"`
	// CategoryID is the product's category (pricing scopes use it).
	CategoryID platform.ID `json:"category_id,omitempty"`
	// Cost is the SKU's unit cost, for the order line; never sent.
	Cost platform.Money `json:"-"`
	// Cold is set for chilled and frozen goods (cold-chain shipping).
	Cold    bool      `json:"cold"`
	State   string    `json:"state"`
	AddedAt time.Time `json:"added_at"`
}

// View returns the owner's cart priced now, with shipping quoted to
// provinceCode ("" for unknown). A missing cart is an empty one.
func (s *Service) View(ctx context.Context, o Owner, provinceCode string) (*Cart, error) {
	c := &Cart{Lines: []Line{}, ProvinceCode: provinceCode}
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		id, err := findCart(ctx, tx, o)
		if err != nil || id == 0 {
			return err
		}
		c.Lines, err = loadLines(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.total(c)
	return c, nil
}

// total sums the selected, buyable lines and quotes shipping.
func (s *Service) total(c *Cart) {
	var buying []Line
	for _, l := range c.Lines {
		if !l.Selected || l.State != LineOK {
			continue
		}
		buying = append(buying, l)
		c.Count += l.Quantity
		c.Items += l.LineTotal
	}
	if c.Count > 0 {
		c.Shipping = s.QuoteShipping(c.ProvinceCode, buying)
		if c.Shipping.FreeOver > c.Items {
			c.FreeShippingGap = c.Shipping.FreeOver - c.Items
			c.FreeShippingGapText = platform.FormatCNY(c.FreeShippingGap)
		}
	}
	c.Total = c.Items + c.Shipping.Fee
	c.ItemsText = platform.FormatCNY(c.Items)
	c.ShippingText = platform.FormatCNY(c.Shipping.Fee)
	c.TotalText = platform.FormatCNY(c.Total)
}

// findCart returns the owner's cart id, or 0 when there is none.
func findCart(ctx context.Context, tx *store.Tx, o Owner) (platform.ID, error) {
	var id platform.ID
	var err error
	switch {
	case o.CustomerID != 0:
		err = tx.QueryRowContext(ctx, `SELECT id FROM carts WHERE customer_id = $1`, o.CustomerID).Scan(&id)
	case o.GuestToken != "":
		err = tx.QueryRowContext(ctx, `SELECT id FROM carts WHERE guest_hash = $1`, o.guestHash()).Scan(&id)
	default:
		return 0, nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// ensureCart returns the owner's cart id, creating the cart if needed
// (two first writes at once both end up with the one cart).
func ensureCart(ctx context.Context, tx *store.Tx, o Owner) (platform.ID, error) {
	id, err := findCart(ctx, tx, o)
	if err != nil || id != 0 {
		return id, err
	}
	var customer, guest any
	if o.CustomerID != 0 {
		customer = o.CustomerID
	} else if o.GuestToken != "" {
		guest = o.guestHash()
	} else {
		return 0, errors.New("cart: no owner")
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO carts (id, customer_id, guest_hash, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $4) ON CONFLICT DO NOTHING`, tx.NewID(), customer, guest, tx.Now); err != nil {
		return 0, fmt.Errorf("cart: create: %w", err)
	}
	return findCart(ctx, tx, o)
}

// loadLines reads a cart's lines with their SKUs' current price, status
// and stock, newest first.
func loadLines(ctx context.Context, tx *store.Tx, cartID platform.ID) ([]Line, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT i.sku_id, i.quantity, i.selected, i.added_at,
		       COALESCE(s.product_id, 0), COALESCE(p.title, ''), COALESCE(s.spec_text, ''),
		       COALESCE(s.price, 0), s.compare_at_price, COALESCE(s.status, ''), COALESCE(p.status, ''),
		       COALESCE(p.storage_class, 'ambient'), COALESCE(p.category_id, 0), COALESCE(s.cost, 0),
		       (SELECT COALESCE(SUM(l.on_hand - l.reserved), 0) FROM stock_levels l WHERE l.sku_id = i.sku_id),
		       (SELECT im.id FROM product_images im WHERE im.product_id = s.product_id ORDER BY im.position, im.id LIMIT 1)
		FROM cart_items i
		LEFT JOIN skus s ON s.id = i.sku_id
		LEFT JOIN products p ON p.id = s.product_id
		WHERE i.cart_id = $1
		ORDER BY i.added_at DESC, i.sku_id`, cartID)
	if err != nil {
		return nil, fmt.Errorf("cart: lines: %w", err)
	}
	defer rows.Close()
	lines := []Line{}
	for rows.Next() {
		var l Line
		var compare sql.NullInt64
		var skuStatus, productStatus, storage string
		var image sql.NullInt64
		if err := rows.Scan(&l.SKUID, &l.Quantity, &l.Selected, &l.AddedAt, &l.ProductID, &l.Title, &l.SpecText,
			&l.UnitPrice, &compare, &skuStatus, &productStatus, &storage, &l.CategoryID, &l.Cost, &l.Available, &image); err != nil {
			return nil, fmt.Errorf("cart: lines: %w", err)
		}
		if compare.Valid && platform.Money(compare.Int64) > l.UnitPrice {
			v := platform.Money(compare.Int64)
			l.CompareAt = &v
		}
		if image.Valid {
			l.ImageURL = catalog.ImageURL(platform.ID(image.Int64), 240)
		}
		l.Available = max(l.Available, 0)
		l.Cold = storage != string(catalog.Ambient)
		l.LineTotal = l.UnitPrice * platform.Money(l.Quantity)
		l.UnitPriceText = platform.FormatCNY(l.UnitPrice)
		l.LineTotalText = platform.FormatCNY(l.LineTotal)
		switch {
		case productStatus != string(catalog.StatusOnSale) || skuStatus != "active":
			l.State = LineUnavailable
		case int64(l.Quantity) > l.Available:
			l.State = LineShort
		default:
			l.State = LineOK
		}
		lines = append(lines, l)
	}
	return lines, rows.Err()
}

// CheckQuantity validates a quantity for Add (1…MaxQuantity) or, with
// zeroRemoves, for Set (0…MaxQuantity).
func CheckQuantity(q int, zeroRemoves bool) error {
	lo, key := 1, "cart.quantity_range"
	if zeroRemoves {
		lo, key = 0, "cart.quantity_set_range"
	}
	if q < lo || q > MaxQuantity {
		return platform.Invalid("quantity", key, MaxQuantity)
	}
	return nil
}

// buyable checks that a SKU exists and is on sale.
func buyable(ctx context.Context, tx *store.Tx, skuID platform.ID) error {
	var skuStatus, productStatus string
	err := tx.QueryRowContext(ctx, `SELECT s.status, p.status FROM skus s JOIN products p ON p.id = s.product_id WHERE s.id = $1`,
		skuID).Scan(&skuStatus, &productStatus)
	if errors.Is(err, sql.ErrNoRows) {
		return platform.NotFound("cart_sku")
	}
	if err != nil {
		return fmt.Errorf("cart: sku: %w", err)
	}
	if skuStatus != "active" || productStatus != string(catalog.StatusOnSale) {
		return platform.E(CodeUnavailable)
	}
	return nil
}

// Add puts quantity more of a SKU in the cart (capped at MaxQuantity per
// line) and returns the cart.
func (s *Service) Add(ctx context.Context, o Owner, skuID platform.ID, quantity int, provinceCode string) (*Cart, error) {
	if err := CheckQuantity(quantity, false); err != nil {
		return nil, err
	}
	return s.change(ctx, o, provinceCode, func(tx *store.Tx, cartID platform.ID) error {
		if err := buyable(ctx, tx, skuID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO cart_items (cart_id, sku_id, quantity, selected, added_at, updated_at)
			VALUES ($1, $2, $3, TRUE, $4, $4)
			ON CONFLICT (cart_id, sku_id) DO UPDATE SET
				quantity = CASE WHEN cart_items.quantity + excluded.quantity > $5 THEN $5 ELSE cart_items.quantity + excluded.quantity END,
				selected = TRUE, updated_at = excluded.updated_at`,
			cartID, skuID, quantity, tx.Now, MaxQuantity)
		if err != nil {
			return fmt.Errorf("cart: add: %w", err)
		}
		return checkLines(ctx, tx, cartID)
	})
}

// Set makes a line hold exactly quantity (0 removes it) and, when
// selected is not nil, marks it for checkout or not.
func (s *Service) Set(ctx context.Context, o Owner, skuID platform.ID, quantity int, selected *bool, provinceCode string) (*Cart, error) {
	if err := CheckQuantity(quantity, true); err != nil {
		return nil, err
	}
	return s.change(ctx, o, provinceCode, func(tx *store.Tx, cartID platform.ID) error {
		if quantity == 0 {
			_, err := tx.ExecContext(ctx, `DELETE FROM cart_items WHERE cart_id = $1 AND sku_id = $2`, cartID, skuID)
			return err
		}
		var exists bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM cart_items WHERE cart_id = $1 AND sku_id = $2)`,
			cartID, skuID).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			// Setting a line that is not there adds it, like Add.
			if err := buyable(ctx, tx, skuID); err != nil {
				return err
			}
		}
		sel := true
		if selected != nil {
			sel = *selected
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO cart_items (cart_id, sku_id, quantity, selected, added_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $5)
			ON CONFLICT (cart_id, sku_id) DO UPDATE SET quantity = excluded.quantity,
				selected = CASE WHEN $6 THEN excluded.selected ELSE cart_items.selected END, updated_at = excluded.updated_at`,
			cartID, skuID, quantity, sel, tx.Now, selected != nil)
		if err != nil {
			return fmt.Errorf("cart: set: %w", err)
		}
		return checkLines(ctx, tx, cartID)
	})
}

// Remove takes a SKU out of the cart; removing what is not there is not
// an error (the request may be a retry).
func (s *Service) Remove(ctx context.Context, o Owner, skuID platform.ID, provinceCode string) (*Cart, error) {
	return s.Set(ctx, o, skuID, 0, nil, provinceCode)
}

// Clear empties the cart.
func (s *Service) Clear(ctx context.Context, o Owner) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		id, err := findCart(ctx, tx, o)
		if err != nil || id == 0 {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM cart_items WHERE cart_id = $1`, id)
		return err
	})
}

// change runs fn on the owner's cart (created if needed) in one write
// transaction, then returns the cart as it stands.
func (s *Service) change(ctx context.Context, o Owner, provinceCode string, fn func(tx *store.Tx, cartID platform.ID) error) (*Cart, error) {
	c := &Cart{ProvinceCode: provinceCode}
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		id, err := ensureCart(ctx, tx, o)
		if err != nil {
			return err
		}
		if err := fn(tx, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE carts SET updated_at = $1 WHERE id = $2`, tx.Now, id); err != nil {
			return err
		}
		c.Lines, err = loadLines(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.total(c)
	return c, nil
}

// checkLines refuses a cart with more than MaxLines lines.
func checkLines(ctx context.Context, tx *store.Tx, cartID platform.ID) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM cart_items WHERE cart_id = $1`, cartID).Scan(&n); err != nil {
		return err
	}
	if n > MaxLines {
		return platform.E(CodeFull)
	}
	return nil
}

// Merge moves a guest cart into the customer's cart after sign-in:
// quantities of the same SKU add up (capped at MaxQuantity) and the guest
// cart is deleted, in one transaction. Nothing is dropped: a merged cart
// may hold up to twice MaxLines lines, and adding more waits until it is
// below the limit again. A guest token with no cart is not an error.
func (s *Service) Merge(ctx context.Context, customerID platform.ID, guestToken string) error {
	guest := Owner{GuestToken: guestToken}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		from, err := findCart(ctx, tx, guest)
		if err != nil || from == 0 {
			return err
		}
		to, err := ensureCart(ctx, tx, Owner{CustomerID: customerID})
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO cart_items (cart_id, sku_id, quantity, selected, added_at, updated_at)
			SELECT $1, sku_id, quantity, selected, added_at, $2 FROM cart_items WHERE cart_id = $3
			ON CONFLICT (cart_id, sku_id) DO UPDATE SET
				quantity = CASE WHEN cart_items.quantity + excluded.quantity > $4 THEN $4 ELSE cart_items.quantity + excluded.quantity END,
				selected = TRUE, updated_at = excluded.updated_at`, to, tx.Now, from, MaxQuantity); err != nil {
			return fmt.Errorf("cart: merge: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM cart_items WHERE cart_id = $1`, from); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM carts WHERE id = $1`, from); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE carts SET updated_at = $1 WHERE id = $2`, tx.Now, to)
		return err
	})
}

// PurgeGuests deletes guest carts untouched since before cutoff.
func PurgeGuests(ctx context.Context, db *store.DB, cutoff time.Time) (int64, error) {
	var n int64
	err := db.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM cart_items WHERE cart_id IN
			(SELECT id FROM carts WHERE guest_hash IS NOT NULL AND updated_at < $1)`, cutoff); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM carts WHERE guest_hash IS NOT NULL AND updated_at < $1`, cutoff)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("cart: purge: %w", err)
	}
	return n, nil
}

// ForCheckout reads a customer's cart inside the checkout's transaction:
// its id (0 when there is none) and its lines as View shows them. The
// caller takes the selected lines and refuses any that are not LineOK.
func ForCheckout(ctx context.Context, tx *store.Tx, customerID platform.ID) (platform.ID, []Line, error) {
	id, err := findCart(ctx, tx, Owner{CustomerID: customerID})
	if err != nil || id == 0 {
		return 0, nil, err
	}
	lines, err := loadLines(ctx, tx, id)
	return id, lines, err
}

// Bought removes the lines an order took from the cart, in the order's
// transaction.
func Bought(ctx context.Context, tx *store.Tx, cartID platform.ID, skus []platform.ID) error {
	for _, sku := range skus {
		if _, err := tx.ExecContext(ctx, `DELETE FROM cart_items WHERE cart_id = $1 AND sku_id = $2`, cartID, sku); err != nil {
			return fmt.Errorf("cart: bought: %w", err)
		}
	}
	_, err := tx.ExecContext(ctx, `UPDATE carts SET updated_at = $1 WHERE id = $2`, tx.Now, cartID)
	return err
}

// Selected returns the lines marked for checkout.
func (c *Cart) Selected() []Line {
	var out []Line
	for _, l := range c.Lines {
		if l.Selected {
			out = append(out, l)
		}
	}
	return out
}

// QuoteShipping quotes shipping with the service's rules for lines going
// to provinceCode, over the amount the lines cost.
func (s *Service) QuoteShipping(provinceCode string, lines []Line) Shipping {
	var items platform.Money
	cold := false
	for _, l := range lines {
		items += l.LineTotal
		cold = cold || l.Cold
	}
	return s.quoter.Quote(Parcel{ProvinceCode: provinceCode, Items: items, Cold: cold})
}
