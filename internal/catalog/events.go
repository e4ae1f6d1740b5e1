package catalog

import (
	"context"
	"encoding/json"
	"sync"
	"weak"

	"storeops/internal/outbox"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// The outbox topics the catalog publishes. The search index follows
// them on every node; the names match search.TopicProductChanged and
// search.TopicCatalogChanged (search reads the catalog, so the catalog
// cannot import it).
const (
	// TopicProductChanged: a product's fields, SKUs, tags, images or
	// status changed; the key is the product id.
	TopicProductChanged = "catalog.product_changed"
	// TopicCatalogChanged: categories, brands or attribute templates
	// changed; consumers rebuild what they derived from them.
	TopicCatalogChanged = "catalog.changed"
)

// ProductChange is the payload of TopicProductChanged. Consumers reload
// the product from the database; What only says which part moved.
type ProductChange struct {
	ProductID platform.ID `json:"product_id"`
	What      string      `json:"what"`
	Status    Status      `json:"status,omitempty"`
}

// PublishProductChanged records, in tx, that product id changed (what:
// "status", "update", "tags", "images"…), and drops the product from
// this process's read caches once tx commits. Every write to a product,
// in this package or another (images), calls it in its transaction.
func PublishProductChanged(ctx context.Context, tx *store.Tx, id platform.ID, what string, status Status) error {
	payload, err := json.Marshal(ProductChange{ProductID: id, What: what, Status: status})
	if err != nil {
		return err
	}
	if err := outbox.Publish(ctx, tx, outbox.Event{Topic: TopicProductChanged, Key: id.String(), Payload: payload}); err != nil {
		return err
	}
	db := tx.DB()
	tx.AfterCommit(func() { invalidateLocal(db, id) })
	return nil
}

// PublishCatalogChanged records, in tx, that categories, brands or
// templates changed (what names the kind, key its id).
func PublishCatalogChanged(ctx context.Context, tx *store.Tx, what string, id platform.ID) error {
	payload, err := json.Marshal(map[string]string{"what": what, "id": id.String()})
	if err != nil {
		return err
	}
	if err := outbox.Publish(ctx, tx, outbox.Event{Topic: TopicCatalogChanged, Key: id.String(), Payload: payload}); err != nil {
		return err
	}
	db := tx.DB()
	tx.AfterCommit(func() { invalidateLocal(db, 0) })
	return nil
}

// live are this process's read services by database, so a write drops
// the stale page from every one of them at once (the shop and the API
// each keep a Service). Other nodes rely on the caches' short TTL.
var (
	liveMu sync.Mutex
	live   = map[*store.DB][]weak.Pointer[Service]{}
)

func register(s *Service) {
	liveMu.Lock()
	defer liveMu.Unlock()
	live[s.db] = append(live[s.db], weak.Make(s))
}

// invalidateLocal drops product id (0: only the tree and listings) from
// every live Service on db, forgetting services that were collected.
func invalidateLocal(db *store.DB, id platform.ID) {
	liveMu.Lock()
	ptrs := live[db]
	kept := ptrs[:0]
	var svcs []*Service
	for _, p := range ptrs {
		if s := p.Value(); s != nil {
			kept = append(kept, p)
			svcs = append(svcs, s)
		}
	}
	if len(kept) == 0 {
		delete(live, db)
	} else {
		live[db] = kept
	}
	liveMu.Unlock()
	for _, s := range svcs {
		s.Invalidate(id)
	}
}
