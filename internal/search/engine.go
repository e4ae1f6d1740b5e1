package search

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"storeops/internal/outbox"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// TopicProductChanged is the event a catalog writer publishes, in the
// transaction of the change, whenever a product's searchable fields,
// price or status change; the key is the product id. The index reloads
// the product from the database (so the payload may be empty) and drops
// it when it is no longer on sale.
const TopicProductChanged = "catalog.product_changed"

// TopicCatalogChanged is published when categories or brands change
// (renames, moves); the index rebuilds.
const TopicCatalogChanged = "catalog.changed"

// EngineConfig tunes the engine. The zero value is fine.
type EngineConfig struct {
	// CheckInterval is how often the node compares its index with the
	// database and rebuilds it when they differ (default 1 minute); it
	// also refreshes the sales and views behind relevance.
	CheckInterval time.Duration
	Log           *slog.Logger
}

// Engine is one node's search: an in-memory index built from the
// database and kept current by the outbox consumer. Every node has its
// own; nothing of it is shared or stored, so a missing or damaged index
// is rebuilt from the database.
type Engine struct {
	db  *store.DB
	cfg EngineConfig

	// cur is the live index; nil until the first build.
	cur atomic.Pointer[index]
	// buildMu serialises builds and event handling, so an event never
	// applies to an index that a build is about to replace with older
	// data.
	buildMu sync.Mutex
	state   catalogState

	stop chan struct{}
	done chan struct{}
}

// NewEngine makes an engine on db; the index builds on first use or on
// Start.
func NewEngine(db *store.DB, cfg EngineConfig) *Engine {
	if cfg.CheckInterval <= 0 {
		cfg.CheckInterval = time.Minute
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	return &Engine{db: db, cfg: cfg}
}

// ready returns the index, building it when there is none.
func (e *Engine) ready(ctx context.Context) (*index, error) {
	if ix := e.cur.Load(); ix != nil {
		return ix, nil
	}
	e.buildMu.Lock()
	defer e.buildMu.Unlock()
	if ix := e.cur.Load(); ix != nil {
		return ix, nil
	}
	return e.buildLocked(ctx)
}

// Rebuild reads the whole catalog again and swaps the new index in.
func (e *Engine) Rebuild(ctx context.Context) error {
	e.buildMu.Lock()
	defer e.buildMu.Unlock()
	_, err := e.buildLocked(ctx)
	return err
}

// Drop forgets the index, as a node that lost it would; the next search
// rebuilds it.
func (e *Engine) Drop() { e.cur.Store(nil) }

func (e *Engine) buildLocked(ctx context.Context) (*index, error) {
	started := time.Now()
	var (
		docs         []*doc
		cats         []category
		brands       map[platform.ID]string
		groups       []SynonymGroup
		sales, views map[platform.ID]int64
		state        catalogState
	)
	err := e.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		if state, err = loadState(ctx, tx); err != nil {
			return err
		}
		if docs, err = loadAll(ctx, tx); err != nil {
			return err
		}
		if cats, err = loadCategories(ctx, tx); err != nil {
			return err
		}
		if brands, err = loadBrands(ctx, tx); err != nil {
			return err
		}
		if groups, err = listSynonyms(ctx, tx); err != nil {
			return err
		}
		sales, views, err = loadBoosts(ctx, tx, tx.Now.Add(-boostWindow))
		return err
	})
	if err != nil {
		return nil, err
	}
	var words []string
	for _, c := range cats {
		words = append(words, c.Name)
	}
	for _, b := range brands {
		words = append(words, b)
	}
	for _, g := range groups {
		words = append(words, g.Terms...)
	}
	attrSeen := map[string]bool{}
	for _, d := range docs {
		for _, a := range d.Attrs {
			if !attrSeen[a.Value] {
				attrSeen[a.Value] = true
				words = append(words, a.Value)
			}
		}
	}
	seg, err := newSegmenter(words)
	if err != nil {
		return nil, err
	}
	ix := newIndex(seg)
	ix.setCategories(cats)
	ix.brands = brands
	ix.synonyms = newSynonymSet(groups)
	seg.collect = map[string]bool{}
	for _, d := range docs {
		d.Sales, d.Views = sales[d.ID], views[d.ID]
		ix.put(d)
	}
	ix.buildSuggestions(seg.collect)
	seg.collect = nil
	ix.builtAt = e.db.Now()
	e.state = state
	e.cur.Store(ix)
	e.cfg.Log.Info("search: index built", "products", len(docs), "terms", len(ix.postings), "took", time.Since(started).Round(time.Millisecond))
	return ix, nil
}

// Handle applies outbox events: a changed product is reloaded (or
// dropped), synonyms reload, a category or brand change rebuilds. It is
// idempotent, as the outbox requires.
func (e *Engine) Handle(ctx context.Context, events []outbox.Event) error {
	e.buildMu.Lock()
	defer e.buildMu.Unlock()
	ix := e.cur.Load()
	if ix == nil {
		// Nothing to keep current: the build will read the changes.
		_, err := e.buildLocked(ctx)
		return err
	}
	var products []platform.ID
	seen := map[platform.ID]bool{}
	reloadSynonyms := false
	for _, ev := range events {
		switch ev.Topic {
		case TopicProductChanged:
			id, err := platform.ParseID(ev.Key)
			if err != nil {
				e.cfg.Log.Warn("search: product event without a product id", "event", ev.ID, "key", ev.Key)
				continue
			}
			if !seen[id] {
				seen[id] = true
				products = append(products, id)
			}
		case TopicSynonymsChanged:
			reloadSynonyms = true
		case TopicCatalogChanged:
			_, err := e.buildLocked(ctx)
			return err
		}
	}
	loaded := make(map[platform.ID]*doc, len(products))
	var groups []SynonymGroup
	err := e.db.Read(ctx, func(tx *store.Tx) error {
		since := tx.Now.Add(-boostWindow)
		for _, id := range products {
			d, err := loadOne(ctx, tx, id, since)
			if err != nil {
				return err
			}
			loaded[id] = d
		}
		if reloadSynonyms {
			var err error
			groups, err = listSynonyms(ctx, tx)
			return err
		}
		return nil
	})
	if err != nil {
		return err
	}
	if reloadSynonyms {
		// New words join the dictionary only through a rebuild; the
		// bigram fallback finds them until then.
		ix.mu.Lock()
		ix.synonyms = newSynonymSet(groups)
		ix.mu.Unlock()
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, id := range products {
		if d := loaded[id]; d != nil {
			ix.put(d)
		} else {
			ix.remove(id)
		}
	}
	return nil
}

// Consumer is the per-node outbox consumer that keeps this node's index
// current.
func (e *Engine) Consumer() outbox.Consumer {
	return outbox.Consumer{
		Name:    "search.index",
		Topics:  []string{TopicProductChanged, TopicCatalogChanged, TopicSynonymsChanged},
		PerNode: true,
		Batch:   200,
		Handle:  e.Handle,
	}
}

// Check compares the index with the database and rebuilds it when the
// catalog moved without it (a bulk import that published nothing, a
// missed event) or when there is none; otherwise it refreshes the sales
// and views behind relevance. It reports whether it rebuilt.
func (e *Engine) Check(ctx context.Context) (bool, error) {
	e.buildMu.Lock()
	defer e.buildMu.Unlock()
	ix := e.cur.Load()
	var state catalogState
	var sales, views map[platform.ID]int64
	err := e.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		if state, err = loadState(ctx, tx); err != nil {
			return err
		}
		sales, views, err = loadBoosts(ctx, tx, tx.Now.Add(-boostWindow))
		return err
	})
	if err != nil {
		return false, err
	}
	if ix == nil || !e.consistent(ix, state) {
		_, err := e.buildLocked(ctx)
		return err == nil, err
	}
	ix.mu.Lock()
	ix.setBoosts(sales, views)
	ix.mu.Unlock()
	return false, nil
}

// consistent reports whether ix plausibly holds the catalog state: the
// same number of on-sale products, nothing changed after the last build
// that the events did not bring, and the same categories and brands.
func (e *Engine) consistent(ix *index, s catalogState) bool {
	ix.mu.RLock()
	n := int64(len(ix.docs))
	var newest = e.state.MaxUpdated
	for _, d := range ix.docs {
		if d.UpdatedAt.After(newest) {
			newest = d.UpdatedAt
		}
	}
	cats, brands := int64(len(ix.cats)), int64(len(ix.brands))
	ix.mu.RUnlock()
	return n == s.Count && !s.MaxUpdated.After(newest) && cats == s.Categories && brands == s.Brands
}

// Start builds the index and runs the periodic check until Stop.
func (e *Engine) Start(ctx context.Context) error {
	e.stop, e.done = make(chan struct{}), make(chan struct{})
	go e.run(e.stop, e.done)
	return nil
}

// Stop ends the periodic check.
func (e *Engine) Stop(ctx context.Context) {
	if e.stop == nil {
		return
	}
	close(e.stop)
	select {
	case <-e.done:
	case <-ctx.Done():
	}
	e.stop = nil
}

func (e *Engine) run(stop, done chan struct{}) {
	defer close(done)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-stop
		cancel()
	}()
	if _, err := e.ready(ctx); err != nil && ctx.Err() == nil {
		e.cfg.Log.Error("search: build index", "err", err)
	}
	tick := time.NewTicker(e.cfg.CheckInterval)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
			if _, err := e.Check(ctx); err != nil && ctx.Err() == nil {
				e.cfg.Log.Error("search: check index", "err", err)
			}
		}
	}
}

// ProductChanged is the event for a change to product id. The catalog
// cannot import search (search reads the catalog), so it publishes the
// same topic and key itself; this helper serves tests and other writers.
func ProductChanged(id platform.ID) outbox.Event {
	payload, _ := json.Marshal(map[string]string{"product_id": id.String()})
	return outbox.Event{Topic: TopicProductChanged, Key: id.String(), Payload: payload}
}

// String describes the index for logs.
func (e *Engine) String() string {
	ix := e.cur.Load()
	if ix == nil {
		return "search index (not built)"
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return fmt.Sprintf("search index (%d products, %d terms)", len(ix.docs), len(ix.postings))
}
