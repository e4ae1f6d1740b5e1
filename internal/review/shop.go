package review

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"

	"storeops/internal/catalog"

	"storeops/internal/platform"
	"storeops/internal/web"
)

// ShopData is the storefront's reviews block: the summary, the topics
// shoppers mention and one page of reviews with the shop's replies. The
// product page loads it as a fragment (HX-Request); on its own it is a
// full page that pages through every review.
type ShopData struct {
	ProductReviews
	ProductTitle string
	Rating       int
	// Embedded is the fragment inside the product page.
	Embedded bool
	MoreURL  string
}

// embeddedLimit is how many reviews the product page shows.
const embeddedLimit = 5

func (h *handlers) shopReviews(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "product")
	if err != nil {
		return err
	}
	rating, err := ratingOf(r)
	if err != nil {
		return err
	}
	page, err := web.PageOf(r)
	if err != nil {
		return err
	}
	data := ShopData{Rating: rating, Embedded: r.Header.Get("HX-Request") != ""}
	if data.Embedded && r.URL.Query().Get("limit") == "" {
		page.Limit = embeddedLimit
	}
	// Only products shoppers can see have a public reviews page.
	var status catalog.Status
	err = h.db.R.QueryRowContext(r.Context(), `SELECT title, status FROM products WHERE id = $1`, id).Scan(&data.ProductTitle, &status)
	if errors.Is(err, sql.ErrNoRows) || err == nil && status != catalog.StatusOnSale {
		return platform.NotFound("product")
	}
	if err != nil {
		return fmt.Errorf("review: product %d: %w", id, err)
	}
	if data.ProductReviews, err = productReviews(r.Context(), h.db.R, id, rating, page); err != nil {
		return err
	}
	if data.NextCursor != "" {
		data.MoreURL = "/p/" + id.String() + "/reviews"
		if !data.Embedded {
			data.MoreURL += "?cursor=" + data.NextCursor
			if rating != 0 {
				data.MoreURL += "&rating=" + string(rune('0'+rating))
			}
		}
	}
	// The full page may be kept for half a minute (a new review or reply
	// shows within it); the fragment is never stored (the renderer marks
	// it no-store), so the product page always shows the latest.
	w.Header().Set("Cache-Control", "public, max-age=30")
	return h.rd.Render(w, r, http.StatusOK, "review/shop", data)
}
