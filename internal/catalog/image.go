package catalog

import (
	"context"

	"storeops/internal/media"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// ImageFile is an image's bytes ready to serve.
type ImageFile = media.File

// ProductImages is the media store of product images: the product_images
// table, whose rows the demo also loads in bulk. Every product image is
// checked, stored, resized and served through it.
func ProductImages(db *store.DB) *media.DBStore {
	return media.NewDBStore(db, "product_images", "product_id")
}

// Image returns a product image's bytes: the original when width is 0,
// else a JPEG no wider than the chosen variant width (see media.Service).
// Errors: CodeNotFound for an unknown image.
func (s *Service) Image(ctx context.Context, id platform.ID, width int) (*ImageFile, error) {
	return s.images.Open(ctx, id, width)
}
