package merch

import (
	"context"
	"fmt"

	"storeops/internal/audit"
	"storeops/internal/catalog"
	"storeops/internal/media"
	"storeops/internal/outbox"
	"storeops/internal/platform"
	"storeops/internal/search"
	"storeops/internal/store"
)

// ProductImage is one image of a product as the console lists it.
type ProductImage struct {
	ID          platform.ID `json:"id"`
	Position    int         `json:"position"`
	ContentType string      `json:"content_type"`
	Width       int         `json:"width"`
	Height      int         `json:"height"`
	Size        int         `json:"size"`
}

// ThumbURL is the image's 240-pixel variant.
func (im ProductImage) ThumbURL() string { return catalog.ImageURL(im.ID, 240) }

// URL is the image's original.
func (im ProductImage) URL() string { return catalog.ImageURL(im.ID, 0) }

// Images manages product images: it checks and stores uploads through the
// one media path, keeps positions dense (0 is the main image), audits
// every change and tells the search index through the outbox.
type Images struct {
	db    *store.DB
	media *media.Service
}

// NewImages manages images on db's product_images through media limits.
func NewImages(db *store.DB, lim media.Limits) *Images {
	return &Images{db: db, media: media.NewService(catalog.ProductImages(db), media.Config{Limits: lim})}
}

// Limits are the upload limits in force.
func (s *Images) Limits() media.Limits { return s.media.Limits() }

// List returns a product's images, main image first.
func (s *Images) List(ctx context.Context, productID platform.ID) ([]ProductImage, error) {
	return listImages(ctx, s.db.R, productID)
}

func listImages(ctx context.Context, q store.Querier, productID platform.ID) ([]ProductImage, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, position, content_type, width, height, LENGTH(data) FROM product_images
		WHERE product_id = $1 ORDER BY position, id`, productID)
	if err != nil {
		return nil, fmt.Errorf("merch: images of %d: %w", productID, err)
	}
	defer rows.Close()
	out := []ProductImage{}
	for rows.Next() {
		var im ProductImage
		if err := rows.Scan(&im.ID, &im.Position, &im.ContentType, &im.Width, &im.Height, &im.Size); err != nil {
			return nil, fmt.Errorf("merch: images of %d: %w", productID, err)
		}
		out = append(out, im)
	}
	return out, rows.Err()
}

// imageIDs is the audit snapshot of a product's images: ids in order.
func imageIDs(ims []ProductImage) []string {
	out := make([]string, len(ims))
	for i, im := range ims {
		out[i] = im.ID.String()
	}
	return out
}

// Add checks every file, makes their thumbnails, then stores them after
// the product's images, all or none. Errors: the first file's media error
// (CodeImageType, CodeImageTooLarge, CodeImageTooManyPixels,
// CodeImageCorrupt) with FileErrors listing every bad file; CodeNotFound
// for an unknown product.
func (s *Images) Add(ctx context.Context, actor audit.Actor, productID platform.ID, files []NamedFile) ([]platform.ID, error) {
	if len(files) == 0 {
		return nil, platform.Invalid("file", "field.required")
	}
	ups := make([]*media.Upload, len(files))
	var bad FileErrors
	for i, f := range files {
		up, err := s.media.Prepare(f.Data)
		if err != nil {
			bad = append(bad, FileError{Name: f.Name, Err: platform.AsError(err)})
			continue
		}
		ups[i] = up
	}
	if len(bad) > 0 {
		return nil, bad
	}
	var ids []platform.ID
	err := s.change(ctx, actor, productID, "merch.image_add", func(tx *store.Tx, ims []ProductImage) error {
		for i, up := range ups {
			id := tx.NewID()
			if err := s.media.Save(ctx, tx, media.Item{ID: id, OwnerID: productID, Position: len(ims) + i}, up); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	return ids, err
}

// Delete removes one image and closes the gap. Errors: CodeNotFound.
func (s *Images) Delete(ctx context.Context, actor audit.Actor, productID, imageID platform.ID) error {
	return s.change(ctx, actor, productID, "merch.image_delete", func(tx *store.Tx, ims []ProductImage) error {
		if indexOf(ims, imageID) < 0 {
			return platform.NotFound("image")
		}
		if err := s.media.Delete(ctx, tx, imageID); err != nil {
			return err
		}
		return renumber(ctx, tx, without(ims, imageID))
	})
}

// Move shifts an image by delta places (−1 earlier, +1 later), clamped to
// the ends. Errors: CodeNotFound.
func (s *Images) Move(ctx context.Context, actor audit.Actor, productID, imageID platform.ID, delta int) error {
	return s.change(ctx, actor, productID, "merch.image_move", func(tx *store.Tx, ims []ProductImage) error {
		i := indexOf(ims, imageID)
		if i < 0 {
			return platform.NotFound("image")
		}
		j := min(max(i+delta, 0), len(ims)-1)
		im := ims[i]
		rest := without(ims, imageID)
		order := append(append(append([]ProductImage{}, rest[:j]...), im), rest[j:]...)
		return renumber(ctx, tx, order)
	})
}

// SetMain makes an image the first, the one listings and search show.
// Errors: CodeNotFound.
func (s *Images) SetMain(ctx context.Context, actor audit.Actor, productID, imageID platform.ID) error {
	return s.change(ctx, actor, productID, "merch.image_main", func(tx *store.Tx, ims []ProductImage) error {
		i := indexOf(ims, imageID)
		if i < 0 {
			return platform.NotFound("image")
		}
		return renumber(ctx, tx, append([]ProductImage{ims[i]}, without(ims, imageID)...))
	})
}

// change runs fn on the product's images in one write transaction: it
// touches the product row first (on PostgreSQL that row lock serialises
// concurrent edits of one product's images; on SQLite the single writer
// does), then audits the order before and after and publishes
// catalog.product_changed so listings and the search index follow.
func (s *Images) change(ctx context.Context, actor audit.Actor, productID platform.ID, action string, fn func(tx *store.Tx, ims []ProductImage) error) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE products SET updated_at = $2 WHERE id = $1`, productID, tx.Now)
		if err != nil {
			return fmt.Errorf("merch: lock product %d: %w", productID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return platform.NotFound("product")
		}
		before, err := listImages(ctx, tx, productID)
		if err != nil {
			return err
		}
		if err := fn(tx, before); err != nil {
			return err
		}
		after, err := listImages(ctx, tx, productID)
		if err != nil {
			return err
		}
		if err := audit.Change(ctx, tx, actor, action, "product", productID,
			map[string]any{"images": imageIDs(before)}, map[string]any{"images": imageIDs(after)}); err != nil {
			return err
		}
		return outbox.Publish(ctx, tx, search.ProductChanged(productID))
	})
}

func renumber(ctx context.Context, tx *store.Tx, order []ProductImage) error {
	for i, im := range order {
		if im.Position == i {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE product_images SET position = $2 WHERE id = $1`, im.ID, i); err != nil {
			return fmt.Errorf("merch: position of image %d: %w", im.ID, err)
		}
	}
	return nil
}

func indexOf(ims []ProductImage, id platform.ID) int {
	for i, im := range ims {
		if im.ID == id {
			return i
		}
	}
	return -1
}

func without(ims []ProductImage, id platform.ID) []ProductImage {
	out := make([]ProductImage, 0, len(ims))
	for _, im := range ims {
		if im.ID != id {
			out = append(out, im)
		}
	}
	return out
}

// NamedFile is an uploaded file's name (for the report only; the type
// comes from the bytes) and its bytes.
type NamedFile struct {
	Name string
	Data []byte
}

// FileError is why one uploaded file was refused.
type FileError struct {
	Name string
	Err  *platform.Error
}

// FileErrors lists every refused file of an upload. As an error it is the
// first file's problem, so the response status is that file's 4xx.
type FileErrors []FileError

func (fe FileErrors) Error() string { return fe[0].Name + ": " + fe[0].Err.Error() }

// Unwrap exposes the first file's error to platform.AsError.
func (fe FileErrors) Unwrap() error { return fe[0].Err }
