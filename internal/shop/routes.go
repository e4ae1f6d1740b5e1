package shop

import (
	"net/http"

	"storeops/internal/web"
)

// routes is the storefront table.
func (h *handlers) routes() []web.Route {
	return []web.Route{
		{Method: http.MethodGet, Path: "/{$}", Surface: web.Shop, Handler: h.home},
		{Method: http.MethodGet, Path: "/c/{id}", Surface: web.Shop, Handler: h.category},
		{Method: http.MethodGet, Path: "/p/{id}", Surface: web.Shop, Handler: h.product},
		{Method: http.MethodGet, Path: "/images/{id}", Surface: web.Shop, Handler: h.image},
	}
}
