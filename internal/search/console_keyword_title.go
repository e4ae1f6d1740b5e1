package search

import (
	"net/http"

	"storeops/internal/platform"
)

// maxTitleProducts bounds one apply: a title fix lists at most five.
const maxTitleProducts = 20

// keywordTitle applies a title suggestion: the query is appended to the
// titles of the products the operator kept checked, in one audited
// transaction through the catalog. Titles that already hold it are left
// as they are, so a second click changes nothing.
func (h *handlers) keywordTitle(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	query := normalizeString(r.PostForm.Get("query"))
	var ids []platform.ID
	for _, s := range r.PostForm["product"] {
		id, err := platform.ParseID(s)
		if err != nil || id <= 0 {
			return h.keywordFail(w, r, platform.Invalid("products", "field.invalid"))
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 || len(ids) > maxTitleProducts {
		return h.keywordFail(w, r, platform.Invalid("products", "search.kw.pick_products"))
	}
	if _, err := h.catalog.AppendTitleKeyword(r.Context(), actorOf(r), query, ids...); err != nil {
		return h.keywordFail(w, r, err)
	}
	http.Redirect(w, r, keywordsBack(r, "title"), http.StatusSeeOther)
	return nil
}
