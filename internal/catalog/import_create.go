package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"storeops/internal/audit"
	"storeops/internal/outbox"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// newProducts buffers the rows of the products an import batch creates
// and writes them with multi-row inserts (products, SKUs, tags, audit,
// outbox): a handful of round trips per batch where saving one product
// at a time costs six per product. The rows are exactly those
// saveProduct writes for a new product.
type newProducts struct {
	products, skus, tags [][]any
	audits               []audit.Entry
	events               []outbox.Event
	ids                  []platform.ID
}

var (
	newProductCols = []string{"id", "category_id", "brand_id", "title", "subtitle", "description", "attributes", "status",
		"storage_class", "price_min", "price_max", "list_at", "delist_at", "listed_at", "created_at", "updated_at"}
	newSKUCols = []string{"id", "product_id", "code", "spec", "spec_text", "price", "compare_at_price", "cost", "weight_g",
		"volume_cm3", "barcode", "status", "position", "created_at", "updated_at"}
	newTagCols = []string{"product_id", "tag", "created_at"}
)

// add checks in as saveProduct does and buffers a new product in status
// initial (draft or on sale), returning it as saved.
func (n *newProducts) add(ctx context.Context, tx *store.Tx, actor audit.Actor, in ProductInput, tpls templates, initial Status) (*ProductEdit, error) {
	if err := prepare(ctx, tx, &in, tpls); err != nil {
		return nil, err
	}
	if in.Tags == nil {
		in.Tags = []string{}
	}
	if len(in.Tags) > maxTagsPer {
		return nil, platform.Invalid("tags", "catalog.field.too_many_tags", maxTagsPer)
	}
	lo, hi := in.SKUs[0].Price, in.SKUs[0].Price
	for _, s := range in.SKUs {
		lo, hi = min(lo, s.Price), max(hi, s.Price)
	}
	id := tx.NewID()
	after := &ProductEdit{ID: id, Status: StatusDraft, ProductInput: in, CreatedAt: tx.Now, UpdatedAt: tx.Now}
	var listed *time.Time
	if initial == StatusOnSale {
		if hi <= 0 {
			return nil, platform.E(CodeNotSellable)
		}
		after.Status, listed, after.ListAt = StatusOnSale, &tx.Now, nil
		after.ListedAt = listed
	}
	n.products = append(n.products, []any{id, in.CategoryID, in.BrandID, in.Title, in.Subtitle, in.Description, attrsJSON(in.Attributes),
		string(after.Status), string(in.StorageClass), lo, hi, after.ListAt, in.DelistAt, listed, tx.Now, tx.Now})
	after.SKUs = slices.Clone(in.SKUs)
	for i, s := range in.SKUs {
		sid := tx.NewID()
		after.SKUs[i].ID = sid
		n.skus = append(n.skus, []any{sid, id, s.Code, attrsJSON(s.Spec), specText(s.Spec), s.Price, s.CompareAt, s.Cost, s.WeightG,
			s.VolumeCM3, s.Barcode, "active", i, tx.Now, tx.Now})
	}
	for i, t := range in.Tags {
		// created_at orders the tags; i keeps one product's tags in order.
		n.tags = append(n.tags, []any{id, t, tx.Now.Add(time.Duration(i) * time.Microsecond)})
	}
	n.audits = append(n.audits, audit.Entry{Actor: actor, Action: "product.create", EntityType: "product", EntityID: id.String(), After: after})
	payload, err := json.Marshal(ProductChange{ProductID: id, What: "create", Status: after.Status})
	if err != nil {
		return nil, err
	}
	n.events = append(n.events, outbox.Event{Topic: TopicProductChanged, Key: id.String(), Payload: payload})
	n.ids = append(n.ids, id)
	return after, nil
}

// flush writes the buffered products. A SKU code another writer took
// since the import's check fails the batch with CodeSKUTaken.
func (n *newProducts) flush(ctx context.Context, tx *store.Tx) error {
	if len(n.products) == 0 {
		return nil
	}
	if err := store.InsertRows(ctx, tx, "products", newProductCols, n.products, ""); err != nil {
		return fmt.Errorf("catalog: import products: %w", err)
	}
	err := store.InsertRows(ctx, tx, "skus", newSKUCols, n.skus, "")
	if store.IsUniqueViolation(err) {
		return platform.E(CodeSKUTaken)
	}
	if err != nil {
		return fmt.Errorf("catalog: import skus: %w", err)
	}
	if err := store.InsertRows(ctx, tx, "product_tags", newTagCols, n.tags, "ON CONFLICT DO NOTHING"); err != nil {
		return fmt.Errorf("catalog: import tags: %w", err)
	}
	if err := audit.RecordAll(ctx, tx, n.audits); err != nil {
		return err
	}
	if err := outbox.PublishAll(ctx, tx, n.events); err != nil {
		return err
	}
	db, ids := tx.DB(), n.ids
	tx.AfterCommit(func() {
		for _, id := range ids {
			invalidateLocal(db, id)
		}
	})
	*n = newProducts{}
	return nil
}
