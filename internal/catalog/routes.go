package catalog

import (
	"net/http"

	"storeops/internal/platform"
	"storeops/internal/web"
)

// handlers serve the public catalog API on top of the Service and the
// staff API and console on top of the Admin.
type handlers struct {
	svc   *Service
	admin *Admin
	rd    *web.Renderer
}

// routes is the public catalog API table.
func (h *handlers) routes() []web.Route {
	const tag = "catalog"
	example := ProductCard{ID: 7391245312, CategoryID: 7391245000, Title: "有机纯棉T恤", Subtitle: "新疆长绒棉",
		PriceMin: 5900, PriceMax: 6900, PriceText: "¥59.00", ImageURL: "/images/7391245999?w=480"}
	return []web.Route{
		{Method: http.MethodGet, Path: "/api/v1/products", Surface: web.API, Handler: h.listProducts,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "List on-sale products",
				Description: "Keyset-paginated; follow next_cursor until it is absent. An unknown or malformed category is 422 invalid; a cursor from another sort is 400 bad_cursor.",
				Query: []web.QueryParam{
					{Name: "category", Description: "category id; includes its sub-categories"},
					{Name: "sort", Description: "newest (default), price_asc or price_desc"},
					{Name: "cursor", Description: "opaque cursor from the previous page's next_cursor"},
					{Name: "limit", Description: "page size, 1–200, default 20"},
				},
				Response: platform.Page[ProductCard]{Items: []ProductCard{example}, NextCursor: "eyJpIjoiNzM5MTI0NTMxMiJ9"}}},
		{Method: http.MethodGet, Path: "/api/v1/products/{id}", Surface: web.API, Handler: h.getProduct,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "An on-sale product with its SKUs, prices, stock and images",
				Description: "Prices are integer fen with a formatted twin (price_text). Stock is on hand minus reserved over all warehouses. A product that does not exist or is not on sale is 404 not_found.",
				Response:    exampleProduct()}},
		{Method: http.MethodGet, Path: "/api/v1/categories", Surface: web.API, Handler: h.listCategories,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "The category tree",
				Response: Tree{Roots: []*CategoryNode{{Category: Category{ID: 7391245000, Slug: "apparel", Name: "服饰", NameEN: "Apparel", StorageClass: Ambient}, Children: []*CategoryNode{}}}}}},
	}
}

func exampleProduct() ProductDetail {
	was := platform.Money(7900)
	return ProductDetail{ID: 7391245312, Title: "有机纯棉T恤", Subtitle: "新疆长绒棉", Description: "宽松版型，四季可穿。",
		Category:   Category{ID: 7391245000, Slug: "apparel", Name: "服饰", NameEN: "Apparel", StorageClass: Ambient},
		Breadcrumb: []Category{}, Attributes: []Attribute{{Name: "材质", Value: "棉"}},
		PriceMin: 5900, PriceMax: 5900, PriceText: "¥59.00", Stock: 12,
		SKUs: []SKU{{ID: 7391245313, Code: "TS-BLK-M", SpecText: "黑色 / M", Spec: []Attribute{{Name: "颜色", Value: "黑色"}, {Name: "尺码", Value: "M"}},
			Price: 5900, PriceText: "¥59.00", CompareAt: &was, CompareAtText: "¥79.00", Stock: 12}},
		Images: []Image{{ID: 7391245999, Width: 800, Height: 800, URL: "/images/7391245999?w=960", ThumbURL: "/images/7391245999?w=240"}}}
}
