package review

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"storeops/internal/media"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/web"
)

// Photo limits: a review carries at most MaxImages photos of at most
// 8 MiB each (phone pictures), checked by content by the media service.
const (
	MaxImages     = 6
	maxImageBytes = 8 << 20
)

// CodeImagesFull (409): the review already has MaxImages photos.
var CodeImagesFull = platform.NewCode("review_images_full", http.StatusConflict,
	platform.Message{ZH: "每条评价最多 6 张图片", EN: "A review takes at most 6 photos"})

// Image is one photo of a review, as links to its original and thumbnail.
type Image struct {
	ID       platform.ID `json:"id"`
	URL      string      `json:"url"`
	ThumbURL string      `json:"thumb_url"`
}

func imageOf(id platform.ID) Image {
	u := "/review-images/" + id.String()
	return Image{ID: id, URL: u + "?w=960", ThumbURL: u + "?w=240"}
}

// newMedia is the review photos' media service over review_images.
func newMedia(db *store.DB) *media.Service {
	return media.NewService(media.NewDBStore(db, "review_images", "review_id"), media.Config{Limits: media.Limits{MaxBytes: maxImageBytes}})
}

// AddImage checks a photo, makes its thumbnails and adds it to the
// customer's own review.
//
// Errors: the media codes (CodeImageType 415, CodeImageTooLarge 413,
// CodeImageTooManyPixels, CodeImageCorrupt 422), CodeNotFound (not their
// review), CodeRejected (409), CodeImagesFull (409), or a database error.
func (s *Service) AddImage(ctx context.Context, customerID, reviewID platform.ID, data []byte) (Review, error) {
	up, err := s.media.Prepare(data)
	if err != nil {
		return Review{}, err
	}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		lock := ""
		if tx.Dialect == store.Postgres {
			lock = " FOR UPDATE" // one photo at a time per review, so the count holds
		}
		var st Status
		if err := tx.QueryRowContext(ctx, `SELECT status FROM reviews WHERE id = $1 AND customer_id = $2`+lock, reviewID, customerID).Scan(&st); err != nil {
			return store.NotFound(err, "review")
		}
		if st == Rejected {
			return platform.E(CodeRejected)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM review_images WHERE review_id = $1`, reviewID).Scan(&n); err != nil {
			return fmt.Errorf("review: count images of %d: %w", reviewID, err)
		}
		if n >= MaxImages {
			return platform.E(CodeImagesFull)
		}
		if err := s.media.Save(ctx, tx, media.Item{ID: tx.NewID(), OwnerID: reviewID, Position: n}, up); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE reviews SET updated_at = $1 WHERE id = $2`, tx.Now, reviewID)
		return err
	})
	if err != nil {
		return Review{}, err
	}
	return byID(ctx, s.db.R, reviewID)
}

// withImages fills in the photos of reviews with one query.
func withImages(ctx context.Context, q store.Querier, list []Review) error {
	if len(list) == 0 {
		return nil
	}
	at := make(map[platform.ID]int, len(list))
	args := make([]any, len(list))
	marks := make([]string, len(list))
	for i, v := range list {
		at[v.ID] = i
		args[i] = v.ID
		marks[i] = "$" + strconv.Itoa(i+1)
	}
	rows, err := q.QueryContext(ctx, `SELECT id, review_id FROM review_images WHERE review_id IN (`+strings.Join(marks, ",")+`) ORDER BY review_id, position, id`, args...)
	if err != nil {
		return fmt.Errorf("review: images: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, reviewID platform.ID
		if err := rows.Scan(&id, &reviewID); err != nil {
			return fmt.Errorf("review: images: %w", err)
		}
		i := at[reviewID]
		list[i].Images = append(list[i].Images, imageOf(id))
	}
	return rows.Err()
}

// apiAddImage takes the photo as the request body (image/jpeg, image/png
// or image/webp; the bytes decide, not the header).
func (h *handlers) apiAddImage(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "review")
	if err != nil {
		return err
	}
	web.RaiseBodyLimit(w, r, maxImageBytes)
	data, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return platform.E(media.CodeImageTooLarge).Wrap(err)
	}
	if err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	v, err := h.s.AddImage(r.Context(), web.PrincipalFrom(r.Context()).CustomerID, id, data)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, v)
}

// image serves a review photo (?w= for a thumbnail) with a year-long
// immutable cache: a photo's id never changes its bytes.
func (h *handlers) image(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "image")
	if err != nil {
		return err
	}
	width, _ := strconv.Atoi(r.URL.Query().Get("w"))
	f, err := h.s.media.Open(r.Context(), id, max(width, 0))
	if err != nil {
		return err
	}
	hd := w.Header()
	hd.Set("Cache-Control", "public, max-age=31536000, immutable")
	hd.Set("ETag", f.ETag)
	hd.Set("X-Content-Type-Options", "nosniff")
	if r.Header.Get("If-None-Match") == f.ETag {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	hd.Set("Content-Type", f.ContentType)
	hd.Set("Content-Length", strconv.Itoa(len(f.Data)))
	_, err = w.Write(f.Data)
	return err
}
