package media

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// Original is a stored image's bytes with what Check learned of them.
type Original struct {
	ID platform.ID
	Info
	Data []byte
}

// Item places an image: its id, the row that owns it (a product, a
// review…) and its position among the owner's images.
type Item struct {
	ID       platform.ID
	OwnerID  platform.ID
	Position int
}

// Store keeps originals. The database is the default (DBStore); an object
// store can implement it by keeping Data in a bucket under the sha256 and
// the rest in the row. Writes take the caller's transaction so an image
// appears and disappears with the change that owns it.
type Store interface {
	// Name tells stores apart in the node's variant cache.
	Name() string
	// Get returns the original of image id. Errors: CodeNotFound.
	Get(ctx context.Context, id platform.ID) (*Original, error)
	// Put keeps a checked original as item, in tx.
	Put(ctx context.Context, tx *store.Tx, item Item, info Info, data []byte) error
	// Delete removes image id in tx. Errors: CodeNotFound.
	Delete(ctx context.Context, tx *store.Tx, id platform.ID) error
}

// DBStore keeps originals in the rows of a table with the media columns
// (id, <owner>, position, content_type, width, height, sha256, data,
// created_at): product_images for products, media_files for the others.
// One shape, one code path; bulk loaders (the demo) may fill the table
// directly.
type DBStore struct {
	db           *store.DB
	table, owner string
}

var ident = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// NewDBStore is a store on table, whose owner column names the owning
// row. Both names come from code, never from input; a bad one panics.
func NewDBStore(db *store.DB, table, owner string) *DBStore {
	if !ident.MatchString(table) || !ident.MatchString(owner) {
		panic("media: bad table or column name " + table + "." + owner)
	}
	return &DBStore{db: db, table: table, owner: owner}
}

// Name is the table's name.
func (s *DBStore) Name() string { return s.table }

// Get reads the original from the read pool.
func (s *DBStore) Get(ctx context.Context, id platform.ID) (*Original, error) {
	o := &Original{ID: id}
	err := s.db.R.QueryRowContext(ctx, `SELECT content_type, width, height, sha256, data FROM `+s.table+` WHERE id = $1`, id).
		Scan(&o.ContentType, &o.Width, &o.Height, &o.SHA256, &o.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, platform.NotFound("image")
	}
	if err != nil {
		return nil, fmt.Errorf("media: get %s %d: %w", s.table, id, err)
	}
	o.Size = len(o.Data)
	return o, nil
}

// Put inserts the row.
func (s *DBStore) Put(ctx context.Context, tx *store.Tx, item Item, info Info, data []byte) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO `+s.table+` (id, `+s.owner+`, position, content_type, width, height, sha256, data, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		item.ID, item.OwnerID, item.Position, info.ContentType, info.Width, info.Height, info.SHA256, data, tx.Now)
	if err != nil {
		return fmt.Errorf("media: put %s %d: %w", s.table, item.ID, err)
	}
	return nil
}

// Delete removes the row.
func (s *DBStore) Delete(ctx context.Context, tx *store.Tx, id platform.ID) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM `+s.table+` WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("media: delete %s %d: %w", s.table, id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return platform.NotFound("image")
	}
	return nil
}
