package search

import (
	"net/http"

	"storeops/internal/platform"
	"storeops/internal/traffic"
	"storeops/internal/web"
)

// apiRoutes is the public search API table.
func (h *handlers) apiRoutes() []web.Route {
	const tag = "search"
	bandMax := platform.Money(10000)
	example := Result{SearchID: 7391245777, Query: "连衣裙", Total: 1,
		Items: []Hit{{ID: 7391245312, CategoryID: 7391245000, BrandID: 7391245100, Brand: "欧时力", Title: "法式碎花连衣裙",
			TitleHTML: "法式碎花<em>连衣裙</em>", Subtitle: "显瘦气质", PriceMin: 29900, PriceMax: 32900, PriceText: "¥299.00",
			ImageURL: "/images/7391245999?w=480", Sales: 42}},
		Facets: Facets{
			Categories: []FacetCount{{ID: 7391245000, Name: "女装", Count: 1}},
			Brands:     []FacetCount{{ID: 7391245100, Name: "欧时力", Count: 1}},
			PriceBands: []PriceBand{{Min: 20000, Max: &bandMax, Count: 1}},
			Attributes: []AttrFacet{{Name: "面料", Values: []AttrValue{{Value: "纯棉", Count: 1}}}},
		}}
	return []web.Route{
		{Method: http.MethodGet, Path: "/api/v1/search", Surface: web.API, Handler: h.search,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Search on-sale products",
				Description: "Chinese words, pinyin (lianyiqun) and pinyin initials (lyq), synonyms and small typos in Latin words all match. " +
					"Facets count every match after the filters. title_html is the escaped title with the matched words in <em>. " +
					"Keep search_id to report clicks. When fewer than three products match, did_you_mean may carry a corrected query " +
					"(a typo fixed, pinyin or a same-sounding word turned into the catalog's word) that finds more. A query over 100 characters, an unknown sort, a malformed or unknown category or brand, " +
					"a bad price or attribute filter is 422 invalid; a malformed cursor or one from another sort is 400 bad_cursor.",
				Query: []web.QueryParam{
					{Name: "q", Description: "what the shopper typed, at most 100 characters; empty lists every product that passes the filters"},
					{Name: "category", Description: "category id; includes its sub-categories"},
					{Name: "brand", Description: "brand id"},
					{Name: "price_min", Description: "lowest price in fen, inclusive"},
					{Name: "price_max", Description: "highest price in fen, inclusive"},
					{Name: "attr", Description: "attribute filter name:value (面料:纯棉); repeat for several, all must hold"},
					{Name: "sort", Description: "relevance (default), sales, price_asc, price_desc or newest"},
					{Name: "cursor", Description: "opaque cursor from the previous page's next_cursor"},
					{Name: "limit", Description: "page size, 1–200, default 20"},
				},
				Response: example}},
		{Method: http.MethodGet, Path: "/api/v1/search/suggest", Surface: web.API, Handler: h.suggest,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Autocomplete a search",
				Description: "Categories, brands and title words starting with q, in characters, full pinyin or pinyin initials, most products first; at most 10. A q over 50 characters is 422 invalid.",
				Query:       []web.QueryParam{{Name: "q", Description: "the prefix typed so far", Required: true}},
				Response:    SuggestResponse{Items: []Suggestion{{Text: "连衣裙", Kind: "word", Count: 12}}}}},
		{Method: http.MethodPost, Path: "/api/v1/search/clicks", Surface: web.API, Handler: h.click,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Report a click on a search result",
				Description: "For keyword reports: the storefront sends the search_id of the result page and the product clicked. Recorded asynchronously; an unknown search_id is accepted and ignored.",
				Request:     ClickRequest{SearchID: 7391245777, ProductID: 7391245312},
				Status:      http.StatusAccepted}},
	}
}

// search serves GET /api/v1/search.
func (h *handlers) search(w http.ResponseWriter, r *http.Request) error {
	req, err := ParseRequest(r.URL.Query())
	if err != nil {
		return err
	}
	res, err := h.engine.Search(r.Context(), req)
	if err != nil {
		return err
	}
	res.SearchID = h.engine.db.IDs.Next()
	h.log.Search(req, res, visitorOf(r))
	w.Header().Set("Cache-Control", "no-store")
	return web.WriteJSON(w, http.StatusOK, res)
}

// SuggestResponse is the autocomplete list.
type SuggestResponse struct {
	Items []Suggestion `json:"items"`
}

// suggest serves GET /api/v1/search/suggest.
func (h *handlers) suggest(w http.ResponseWriter, r *http.Request) error {
	items, err := h.engine.Suggest(r.Context(), r.URL.Query().Get("q"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "public, max-age=60")
	return web.WriteJSON(w, http.StatusOK, SuggestResponse{Items: items})
}

// ClickRequest reports a click on a search result.
type ClickRequest struct {
	SearchID  platform.ID `json:"search_id"`
	ProductID platform.ID `json:"product_id"`
}

// click serves POST /api/v1/search/clicks.
func (h *handlers) click(w http.ResponseWriter, r *http.Request) error {
	var req ClickRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	if req.SearchID <= 0 || req.ProductID <= 0 {
		return platform.Invalid("search_id", "search.bad_feedback")
	}
	h.log.Feedback(req.SearchID, req.ProductID, FeedbackClick)
	w.WriteHeader(http.StatusAccepted)
	return nil
}

// visitorOf reads the traffic cookies the storefront set, when present
// and well formed.
func visitorOf(r *http.Request) Visitor {
	var v Visitor
	if c, err := r.Cookie(traffic.VisitorCookie); err == nil && len(c.Value) == 32 {
		v.VisitorID = c.Value
	}
	if c, err := r.Cookie(traffic.SessionCookie); err == nil {
		if id, err := platform.ParseID(c.Value); err == nil {
			v.SessionID = id
		}
	}
	return v
}
