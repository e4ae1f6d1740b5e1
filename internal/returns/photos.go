package returns

import (
	"context"
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

// maxPhotos bounds a request's photos.
const maxPhotos = 6

// photoTable is where the media store keeps request photos.
const photoTable = "return_photos"

// prepare checks each photo and makes its thumbnails before the write
// transaction. Errors: the media domain's (type, size, pixels), as a
// field error on photos when there are too many.
func (s *Service) prepare(photos [][]byte) ([]*media.Upload, error) {
	if len(photos) > maxPhotos {
		return nil, platform.Invalid("photos", "returns.field.too_many_photos", maxPhotos)
	}
	ups := make([]*media.Upload, 0, len(photos))
	for _, p := range photos {
		up, err := s.photos.Prepare(p)
		if err != nil {
			return nil, err
		}
		ups = append(ups, up)
	}
	return ups, nil
}

// savePhotos stores ups on request id in tx after the n it has.
func (s *Service) savePhotos(ctx context.Context, tx *store.Tx, id platform.ID, ups []*media.Upload) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM return_photos WHERE return_id = $1`, id).Scan(&n); err != nil {
		return fmt.Errorf("returns: photos: %w", err)
	}
	if n+len(ups) > maxPhotos {
		return platform.Invalid("photos", "returns.field.too_many_photos", maxPhotos)
	}
	for i, up := range ups {
		if err := s.photos.Save(ctx, tx, media.Item{ID: tx.NewID(), OwnerID: id, Position: n + i}, up); err != nil {
			return err
		}
	}
	return nil
}

// AddPhoto attaches a photo to the customer's request while staff have
// not received the goods.
//
// Errors: media's image codes (422/413), CodeInvalid (more than six),
// CodeNotFound (not theirs), CodeStatus (409), database errors.
func (s *Service) AddPhoto(ctx context.Context, customerID, id platform.ID, data []byte) (Return, error) {
	ups, err := s.prepare([][]byte{data})
	if err != nil {
		return Return{}, err
	}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		cur, err := byID(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur.CustomerID != customerID {
			return platform.NotFound("return")
		}
		if err := in(Requested, Approved, ShippedBack)(cur); err != nil {
			return err
		}
		return s.savePhotos(ctx, tx, id, ups)
	})
	if err != nil {
		return Return{}, err
	}
	return byID(ctx, s.db.R, id)
}

// loadPhotos fills in each request's photo ids.
func loadPhotos(ctx context.Context, q store.Querier, rs []Return) error {
	if len(rs) == 0 {
		return nil
	}
	idx := map[platform.ID]int{}
	ph := make([]string, len(rs))
	args := make([]any, len(rs))
	for i, r := range rs {
		idx[r.ID] = i
		ph[i] = "$" + strconv.Itoa(i+1)
		args[i] = r.ID
	}
	rows, err := q.QueryContext(ctx, `SELECT return_id, id FROM return_photos WHERE return_id IN (`+strings.Join(ph, ", ")+`) ORDER BY return_id, position, id`, args...)
	if err != nil {
		return fmt.Errorf("returns: photos: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var rid, id platform.ID
		if err := rows.Scan(&rid, &id); err != nil {
			return err
		}
		rs[idx[rid]].Photos = append(rs[idx[rid]].Photos, id)
	}
	return rows.Err()
}

// photoOf checks photo pid belongs to request id.
func photoOf(ctx context.Context, q store.Querier, id, pid platform.ID) error {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM return_photos WHERE id = $1 AND return_id = $2`, pid, id).Scan(&one)
	return store.NotFound(err, "image")
}

// servePhoto writes photo pid (?w= for a thumbnail), private to whoever
// may see the request.
func (h *handlers) servePhoto(w http.ResponseWriter, r *http.Request, id platform.ID) error {
	pid, err := web.PathID(r, "pid", "image")
	if err != nil {
		return err
	}
	if err := photoOf(r.Context(), h.db.R, id, pid); err != nil {
		return err
	}
	width, _ := strconv.Atoi(r.URL.Query().Get("w"))
	f, err := h.s.photos.Open(r.Context(), pid, max(width, 0))
	if err != nil {
		return err
	}
	hd := w.Header()
	hd.Set("Cache-Control", "private, max-age=86400")
	hd.Set("ETag", f.ETag)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Type", f.ContentType)
	hd.Set("Content-Length", strconv.Itoa(len(f.Data)))
	_, err = w.Write(f.Data)
	return err
}

func (h *handlers) apiPhotoGet(w http.ResponseWriter, r *http.Request) error {
	customerID, id, err := customerOf(r, "return")
	if err != nil {
		return err
	}
	if _, err := h.s.ForCustomer(r.Context(), customerID, id); err != nil {
		return err
	}
	return h.servePhoto(w, r, id)
}

func (h *handlers) consolePhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "return")
	if err != nil {
		return err
	}
	return h.servePhoto(w, r, id)
}

// apiPhotoAdd takes the image as the raw body (image/jpeg, png, webp…).
func (h *handlers) apiPhotoAdd(w http.ResponseWriter, r *http.Request) error {
	customerID, id, err := customerOf(r, "return")
	if err != nil {
		return err
	}
	data, err := h.readUpload(w, r)
	if err != nil {
		return err
	}
	v, err := h.s.AddPhoto(r.Context(), customerID, id, data)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, v)
}

func (h *handlers) readUpload(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	lim := int64(h.s.photos.Limits().MaxBytes)
	web.RaiseBodyLimit(w, r, lim+1)
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, platform.E(platform.CodeTooLarge).Wrap(err)
	}
	if len(data) == 0 {
		return nil, platform.Invalid("photo", "field.required")
	}
	return data, nil
}

// formPhotos reads the "photo" files of a multipart form (none when the
// form is not multipart).
func (h *handlers) formPhotos(w http.ResponseWriter, r *http.Request) ([][]byte, error) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return nil, r.ParseForm()
	}
	web.RaiseBodyLimit(w, r, int64(maxPhotos*h.s.photos.Limits().MaxBytes)+64<<10)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		return nil, platform.E(platform.CodeTooLarge).Wrap(err)
	}
	defer r.MultipartForm.RemoveAll()
	var out [][]byte
	for _, fh := range r.MultipartForm.File["photo"] {
		if fh.Size == 0 {
			continue
		}
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			return nil, err
		}
		out = append(out, data)
	}
	return out, nil
}
