package catalog

import (
	"net/http"
	"time"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/web"
)

// StatusInput is the body of a status change.
type StatusInput struct {
	Status Status `json:"status"`
	Reason string `json:"reason,omitempty"`
}

// TagsInput adds and removes tags in one call.
type TagsInput struct {
	Add    []string `json:"add,omitempty"`
	Remove []string `json:"remove,omitempty"`
}

// BrandInput is the body of a new brand.
type BrandInput struct {
	Name   string `json:"name"`
	NameEN string `json:"name_en,omitempty"`
}

// adminQuery documents the staff list's filters (the console's).
var adminQuery = []web.QueryParam{
	{Name: "status", Description: "draft, on_sale, off_sale or archived"},
	{Name: "category", Description: "category id; includes its sub-categories"},
	{Name: "brand", Description: "brand id"},
	{Name: "tag", Description: "a tag, exactly (清仓)"},
	{Name: "q", Description: "words of the title, or an exact SKU code or barcode"},
	{Name: "cursor", Description: "next_cursor of the previous page"},
	{Name: "limit", Description: "page size, 1 to 200"},
}

func (h *handlers) adminRoutes() []web.Route {
	const tag = "catalog admin"
	ex := exampleEdit()
	return []web.Route{
		{Method: http.MethodGet, Path: "/api/v1/admin/products", Surface: web.AdminAPI, Perm: PermView, Handler: h.adminList,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "List products in every status, newest first", Query: adminQuery,
				Response: platform.Page[ProductRow]{Items: []ProductRow{{ID: ex.ID, Title: ex.Title, Status: StatusDraft, Tags: []string{"新品"}}}}}},
		{Method: http.MethodPost, Path: "/api/v1/admin/products", Surface: web.AdminAPI, Perm: PermEdit, Handler: h.adminCreate,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Create a draft product with its SKUs",
				Description: "422 invalid with field errors (skus.0.price, attributes.材质…) checked against the category's attribute template; 409 catalog_sku_taken when a SKU code belongs to another product. The description is sanitised HTML.",
				Request:     ex.ProductInput, Response: ex, Status: http.StatusCreated}},
		{Method: http.MethodGet, Path: "/api/v1/admin/products/{id}", Surface: web.AdminAPI, Perm: PermView, Handler: h.adminGet,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "A product in any status, as the editor shows it", Response: ex}},
		{Method: http.MethodPut, Path: "/api/v1/admin/products/{id}", Surface: web.AdminAPI, Perm: PermEdit, Handler: h.adminUpdate,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Replace a product's fields and SKUs",
				Description: "SKUs are matched by code; SKUs left out stop being sold. Omitted tags stay. Saving unchanged content writes nothing.",
				Request:     ex.ProductInput, Response: ex}},
		{Method: http.MethodPost, Path: "/api/v1/admin/products/{id}/status", Surface: web.AdminAPI, Perm: PermEdit, Handler: h.adminStatus,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "List (上架), delist (下架) or archive a product",
				Description: "Moves: draft → on_sale → off_sale → on_sale or archived. Others are 409 catalog_status_transition (with from and to); going on sale without a priced SKU is 409 catalog_not_sellable.",
				Request:     StatusInput{Status: StatusOnSale, Reason: "新品首发"}, Response: ex}},
		{Method: http.MethodPost, Path: "/api/v1/admin/products/{id}/tags", Surface: web.AdminAPI, Perm: PermEdit, Handler: h.adminTags,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Add and remove a product's tags", Request: TagsInput{Add: []string{TagClearance}}, Response: ex}},
		{Method: http.MethodGet, Path: "/api/v1/admin/brands", Surface: web.AdminAPI, Perm: PermView, Handler: h.adminBrands,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Every brand by name", Response: []Brand{{ID: 7391245100, Name: "优衣库", NameEN: "Uniqlo"}}}},
		{Method: http.MethodPost, Path: "/api/v1/admin/brands", Surface: web.AdminAPI, Perm: PermEdit, Handler: h.adminCreateBrand,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Add a brand", Description: "422 when the name is missing or taken.",
				Request: BrandInput{Name: "优衣库", NameEN: "Uniqlo"}, Response: Brand{ID: 7391245100, Name: "优衣库", NameEN: "Uniqlo"}, Status: http.StatusCreated}},
		{Method: http.MethodGet, Path: "/api/v1/admin/categories/{id}/attributes", Surface: web.AdminAPI, Perm: PermView, Handler: h.adminTemplate,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "The attribute template that applies to a category (its own and its ancestors')", Response: exampleTemplate()}},
		{Method: http.MethodPut, Path: "/api/v1/admin/categories/{id}/attributes", Surface: web.AdminAPI, Perm: PermEdit, Handler: h.adminSetTemplate,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Replace the attributes a category defines",
				Description: "kind spec attributes tell SKUs apart (颜色, 尺码); attr ones describe the product. Required ones must be filled on save; choices, when given, are the allowed values.",
				Request:     exampleTemplate(), Response: exampleTemplate()}},
	}
}

func exampleTemplate() []AttributeDef {
	return []AttributeDef{{Name: "颜色", Kind: KindSpec, Required: true, Choices: []string{"黑色", "白色"}},
		{Name: "材质", Kind: KindAttr, Required: true, Choices: []string{}}}
}

func exampleEdit() ProductEdit {
	was := platform.Money(7900)
	t := time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
	return ProductEdit{ID: 7391245312, Status: StatusDraft, CreatedAt: t, UpdatedAt: t, ProductInput: ProductInput{
		CategoryID: 7391245000, Title: "有机纯棉T恤", Subtitle: "新疆长绒棉", Description: "<p>宽松版型，四季可穿。</p>",
		Attributes: []Attribute{{Name: "材质", Value: "棉"}}, StorageClass: Ambient, Tags: []string{"新品"},
		SKUs: []SKUInput{{ID: 7391245313, Code: "TS-BLK-M", Spec: []Attribute{{Name: "颜色", Value: "黑色"}, {Name: "尺码", Value: "M"}},
			Price: 5900, CompareAt: &was, Cost: 2100, WeightG: 220, VolumeCM3: 1200, Barcode: "6901234567892"}}}}
}

// filterOf reads the list filter from the query (API and console).
func filterOf(r *http.Request) (AdminFilter, error) {
	q := r.URL.Query()
	f := AdminFilter{Status: Status(q.Get("status")), Tag: q.Get("tag"), Q: q.Get("q")}
	var err error
	if f.Page, err = web.PageOf(r); err != nil {
		return f, err
	}
	for _, p := range []struct {
		name string
		dst  *platform.ID
	}{{"category", &f.CategoryID}, {"brand", &f.BrandID}} {
		if v := q.Get(p.name); v != "" {
			if *p.dst, err = platform.ParseID(v); err != nil {
				return f, platform.Invalid(p.name, "field.invalid")
			}
		}
	}
	return f, f.Validate()
}

func (h *handlers) adminList(w http.ResponseWriter, r *http.Request) error {
	f, err := filterOf(r)
	if err != nil {
		return err
	}
	page, err := h.admin.List(r.Context(), f)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, page)
}

func (h *handlers) adminGet(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "product")
	if err != nil {
		return err
	}
	p, err := h.admin.Get(r.Context(), id)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, p)
}

func (h *handlers) adminCreate(w http.ResponseWriter, r *http.Request) error {
	var in ProductInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	p, err := h.admin.Create(r.Context(), audit.ActorFrom(r), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/admin/products/"+p.ID.String())
	return web.WriteJSON(w, http.StatusCreated, p)
}

func (h *handlers) adminUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "product")
	if err != nil {
		return err
	}
	var in ProductInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	p, err := h.admin.Update(r.Context(), audit.ActorFrom(r), id, in)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, p)
}

func (h *handlers) adminStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "product")
	if err != nil {
		return err
	}
	var in StatusInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if err := h.admin.SetStatus(r.Context(), audit.ActorFrom(r), id, in.Status, in.Reason); err != nil {
		return err
	}
	return h.adminGet(w, r)
}

func (h *handlers) adminTags(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "product")
	if err != nil {
		return err
	}
	var in TagsInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	actor := audit.ActorFrom(r)
	if len(in.Add) > 0 {
		if err := h.admin.AddTags(r.Context(), actor, id, in.Add...); err != nil {
			return err
		}
	}
	if len(in.Remove) > 0 {
		if err := h.admin.RemoveTags(r.Context(), actor, id, in.Remove...); err != nil {
			return err
		}
	}
	return h.adminGet(w, r)
}

func (h *handlers) adminBrands(w http.ResponseWriter, r *http.Request) error {
	b, err := h.admin.Brands(r.Context())
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, b)
}

func (h *handlers) adminCreateBrand(w http.ResponseWriter, r *http.Request) error {
	var in BrandInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	b, err := h.admin.CreateBrand(r.Context(), audit.ActorFrom(r), in.Name, in.NameEN)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, b)
}

func (h *handlers) adminTemplate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "category")
	if err != nil {
		return err
	}
	t, err := h.admin.Template(r.Context(), id)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, t)
}

func (h *handlers) adminSetTemplate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "category")
	if err != nil {
		return err
	}
	var in []AttributeDef
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if err := h.admin.SetTemplate(r.Context(), audit.ActorFrom(r), id, in); err != nil {
		return err
	}
	return h.adminTemplate(w, r)
}
