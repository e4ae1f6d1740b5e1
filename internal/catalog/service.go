package catalog

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"storeops/internal/media"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// Service reads the catalog for shoppers: the category tree, on-sale
// product listings and product pages with their SKUs, stock and images.
// Its exported methods own their read transaction. Product pages and the
// category tree are cached in memory for a short time (ServiceConfig), so
// a busy product page costs a map lookup rather than four queries; writers
// call Invalidate after changing a product.
type Service struct {
	db       *store.DB
	cfg      ServiceConfig
	products *ttlCache[platform.ID, *ProductDetail]
	tree     *ttlCache[struct{}, *Tree]
	home     *ttlCache[int, []Shelf]
	images   *media.Service
}

// ServiceConfig tunes the caches. The zero value is fine.
type ServiceConfig struct {
	// ProductTTL bounds how stale a cached product page (price, stock) may
	// be; default 5 s, negative disables the cache.
	ProductTTL time.Duration
	// TreeTTL bounds the category tree's staleness; default 30 s.
	TreeTTL time.Duration
	// MaxProducts bounds the cached product pages (default 10,000).
	MaxProducts int
	// ImageCacheBytes, when set, gives the service its own cache of
	// resized image variants of that size instead of the node's shared
	// one (see media.Config).
	ImageCacheBytes int
}

func (c ServiceConfig) withDefaults() ServiceConfig {
	if c.ProductTTL == 0 {
		c.ProductTTL = 5 * time.Second
	}
	if c.TreeTTL == 0 {
		c.TreeTTL = 30 * time.Second
	}
	if c.MaxProducts <= 0 {
		c.MaxProducts = 10_000
	}
	return c
}

// NewService makes the read service on db.
func NewService(db *store.DB, cfg ServiceConfig) *Service {
	cfg = cfg.withDefaults()
	s := &Service{
		db:       db,
		cfg:      cfg,
		products: newTTLCache[platform.ID, *ProductDetail](cfg.ProductTTL, cfg.MaxProducts),
		tree:     newTTLCache[struct{}, *Tree](cfg.TreeTTL, 1),
		home:     newTTLCache[int, []Shelf](cfg.ProductTTL, 8),
		images:   media.NewService(ProductImages(db), media.Config{CacheBytes: cfg.ImageCacheBytes}),
	}
	register(s)
	return s
}

// Invalidate drops a product's cached page (after a price, stock or
// listing change), the cached category tree and the home shelves. The
// catalog's writers call it for every Service of the process after they
// commit (PublishProductChanged).
func (s *Service) Invalidate(id platform.ID) {
	if id != 0 {
		s.products.del(id)
	}
	s.tree.del(struct{}{})
	s.home.clear()
}

// Tree returns the category tree (cached). It never fails for an empty
// catalog: the tree is then empty.
func (s *Service) Tree(ctx context.Context) (*Tree, error) {
	if t, ok := s.tree.get(struct{}{}); ok {
		return t, nil
	}
	var cats []Category
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		cats, err = listCategories(ctx, tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	t := newTree(cats)
	s.tree.put(struct{}{}, t)
	return t, nil
}

func listCategories(ctx context.Context, q store.Querier) ([]Category, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, parent_id, slug, name, name_en, position, storage_class
		FROM categories ORDER BY position, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Category
	for rows.Next() {
		var c Category
		var parent sql.NullInt64
		if err := rows.Scan(&c.ID, &parent, &c.Slug, &c.Name, &c.NameEN, &c.Position, &c.StorageClass); err != nil {
			return nil, err
		}
		if parent.Valid {
			p := platform.ID(parent.Int64)
			c.ParentID = &p
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog: list categories: %w", err)
	}
	return out, nil
}
