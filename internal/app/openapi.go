package app

import (
	"net/http"
	"sync"

	"storeops/internal/customer"
	"storeops/internal/web"
)

// openAPIRoute serves the OpenAPI 3.1 document of the whole route table
// at /api/openapi.json. The document is built on first request, once every
// module has added its routes, and then served from memory.
func (a *App) openAPIRoute(rt *web.Router) {
	var (
		once sync.Once
		doc  []byte
		err  error
	)
	rt.Add(web.Route{Method: http.MethodGet, Path: "/api/openapi.json", Surface: web.System,
		Handler: func(w http.ResponseWriter, r *http.Request) error {
			once.Do(func() { doc, err = OpenAPIDocument(rt.Routes()) })
			if err != nil {
				return err
			}
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.Header().Set("Cache-Control", "public, max-age=300")
			_, werr := w.Write(doc)
			return werr
		}})
}

// OpenAPIDocument is the OpenAPI document of routes, with the app's title
// and credentials.
func OpenAPIDocument(routes []web.Route) ([]byte, error) {
	return web.OpenAPI(routes, web.Info{
		Title:          "storeops API",
		Version:        "1",
		Description:    "JSON API of the storeops shop. Ids are decimal strings; money is integer fen (CNY); errors are RFC 9457 problems in zh-CN or en.",
		CustomerCookie: customer.CookieName,
	})
}
