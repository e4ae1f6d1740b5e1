package search

import (
	"net/http"
	"net/url"

	"storeops/internal/web"
)

// searchPageSize is how many products a storefront listing shows at once.
const searchPageSize = 24

// ResultsData is the storefront search page's view data.
type ResultsData struct {
	Page Page
}

// searchPage serves GET /search: the shopper's search with highlighted
// titles, facets as filter links, sorts, paging and "did you mean". Any
// query string gives a page: bad parameters are dropped, not refused.
func (h *handlers) searchPage(w http.ResponseWriter, r *http.Request) error {
	req, keep := ParsePageRequest(r.URL.Query(), nil, searchPageSize)
	res, req, err := h.engine.SearchPage(r.Context(), req, keep)
	if err != nil {
		return err
	}
	res.SearchID = h.engine.db.IDs.Next()
	if req.Query != "" {
		h.log.Search(req, res, visitorOf(r))
	}
	// Each page carries its own search id for click reports.
	w.Header().Set("Cache-Control", "no-store")
	page := BuildPage("/search", req, keep, url.Values{}, res, web.LangOf(r))
	return h.rd.Render(w, r, http.StatusOK, "search/results", ResultsData{Page: page})
}
