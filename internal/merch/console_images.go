package merch

import (
	"database/sql"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"storeops/internal/audit"
	"storeops/internal/media"
	"storeops/internal/platform"
	"storeops/internal/web"
)

// ImagesData is the product images page's view data.
type ImagesData struct {
	ProductID platform.ID
	Title     string
	Images    []ProductImage
	CanEdit   bool
	// Quality is the product's listing score; Fixes its fixes in the
	// page's language.
	Quality *Quality
	Fixes   []string
	// Accept is the file input's accept list; MaxText the byte limit.
	Accept, MaxText string
	Done            string
	Error           string
	// FileErrors list each refused file with its reason.
	FileErrors []FileErrorView
}

// FileErrorView is one refused file as the page shows it.
type FileErrorView struct{ Name, Reason string }

func (h *handlers) imagesPage(w http.ResponseWriter, r *http.Request) error {
	return h.renderImages(w, r, http.StatusOK, nil)
}

// renderImages shows the page, with failure's messages when an action
// failed (status is then the failure's).
func (h *handlers) renderImages(w http.ResponseWriter, r *http.Request, status int, failure error) error {
	id, err := web.PathID(r, "id", "product")
	if err != nil {
		return err
	}
	lang := web.LangOf(r)
	data := ImagesData{ProductID: id, CanEdit: web.PrincipalFrom(r.Context()).Can(PermImages),
		Accept: "image/jpeg,image/png,image/webp", MaxText: media.SizeText(h.images.Limits().MaxBytes)}
	if d := r.URL.Query().Get("done"); status == http.StatusOK && validDone[d] {
		data.Done = d
	}
	err = h.db.R.QueryRowContext(r.Context(), `SELECT title FROM products WHERE id = $1`, id).Scan(&data.Title)
	if errors.Is(err, sql.ErrNoRows) {
		return platform.NotFound("product")
	}
	if err != nil {
		return err
	}
	if data.Images, err = h.images.List(r.Context(), id); err != nil {
		return err
	}
	if data.Quality, err = ProductQuality(r.Context(), h.db, id); err != nil && platform.ErrorCode(err) != platform.CodeNotFound {
		return err
	}
	if data.Quality != nil {
		for _, f := range data.Quality.Fixes {
			data.Fixes = append(data.Fixes, f.Text(lang))
		}
	}
	if failure != nil {
		var fe FileErrors
		if errors.As(failure, &fe) {
			for _, f := range fe {
				data.FileErrors = append(data.FileErrors, FileErrorView{Name: f.Name, Reason: f.Err.Message(lang)})
			}
		}
		data.Error = platform.AsError(failure).Message(lang)
	}
	return h.rd.Render(w, r, status, "merch/images", data)
}

var validDone = map[string]bool{"uploaded": true, "deleted": true, "moved": true, "main": true}

// imagesUpload takes one or more files from a multipart form. The body
// may be a little over the per-file limit times the file count; each file
// is then checked on its own.
func (h *handlers) imagesUpload(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "product")
	if err != nil {
		return err
	}
	const maxFiles = 10
	lim := int64(h.images.Limits().MaxBytes)
	web.RaiseBodyLimit(w, r, maxFiles*lim+64<<10)
	files, err := readFiles(r, maxFiles)
	if err == nil {
		_, err = h.images.Add(r.Context(), audit.ActorFrom(r), id, files)
	}
	return h.after(w, r, id, "uploaded", err)
}

// readFiles reads the "file" parts of a multipart form. Errors:
// CodeTooLarge past the body limit, CodeInvalid with no file or more
// than max.
func readFiles(r *http.Request, max int) ([]NamedFile, error) {
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, platform.E(platform.CodeTooLarge)
		}
		return nil, platform.Invalid("file", "field.required").Wrap(err)
	}
	defer r.MultipartForm.RemoveAll()
	heads := r.MultipartForm.File["file"]
	if len(heads) == 0 {
		return nil, platform.Invalid("file", "field.required")
	}
	if len(heads) > max {
		return nil, platform.Invalid("file", "merch.too_many_files", max)
	}
	out := make([]NamedFile, 0, len(heads))
	for _, fh := range heads {
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			return nil, err
		}
		out = append(out, NamedFile{Name: fh.Filename, Data: data})
	}
	return out, nil
}

func (h *handlers) imageDelete(w http.ResponseWriter, r *http.Request) error {
	id, image, err := imagePath(r)
	if err == nil {
		err = h.images.Delete(r.Context(), audit.ActorFrom(r), id, image)
	}
	return h.after(w, r, id, "deleted", err)
}

func (h *handlers) imageMove(w http.ResponseWriter, r *http.Request) error {
	id, image, err := imagePath(r)
	if err == nil {
		var delta int
		if delta, err = strconv.Atoi(r.PostFormValue("by")); err != nil || delta == 0 {
			err = platform.Invalid("by", "field.invalid")
		} else {
			err = h.images.Move(r.Context(), audit.ActorFrom(r), id, image, delta)
		}
	}
	return h.after(w, r, id, "moved", err)
}

func (h *handlers) imageMain(w http.ResponseWriter, r *http.Request) error {
	id, image, err := imagePath(r)
	if err == nil {
		err = h.images.SetMain(r.Context(), audit.ActorFrom(r), id, image)
	}
	return h.after(w, r, id, "main", err)
}

func imagePath(r *http.Request) (platform.ID, platform.ID, error) {
	id, err := web.PathID(r, "id", "product")
	if err != nil {
		return 0, 0, err
	}
	image, err := web.PathID(r, "image", "image")
	return id, image, err
}

// after redirects to the page with a flash, or shows it again with the
// failure and its 4xx status (an unknown product is the page's own 404).
func (h *handlers) after(w http.ResponseWriter, r *http.Request, id platform.ID, done string, err error) error {
	if err == nil {
		http.Redirect(w, r, "/console/products/"+id.String()+"/images?"+url.Values{"done": {done}}.Encode(), http.StatusSeeOther)
		return nil
	}
	e := platform.AsError(err)
	if e.Code.Status() >= 500 {
		return err
	}
	page := r.Clone(r.Context())
	page.Method = http.MethodGet
	return h.renderImages(w, page, e.Code.Status(), err)
}
