package review

import (
	"embed"
	"io/fs"
	"net/http"

	"storeops/internal/module"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/web"
)

// The review domain's permissions: everyone who works on products or
// shoppers reads reviews; customer service and catalog staff moderate;
// customer service answers in the shop's name.
const (
	PermView     platform.Permission = "review.view"
	PermModerate platform.Permission = "review.moderate"
	PermReply    platform.Permission = "review.reply"
)

// Permissions is the review domain's part of the matrix.
var Permissions = []platform.PermissionDef{
	{Perm: PermView, Label: platform.Message{ZH: "查看商品评价", EN: "View product reviews"},
		Roles: []platform.Role{platform.RoleAdmin, platform.RoleCatalog, platform.RoleMarketing, platform.RoleService, platform.RoleAnalyst}},
	{Perm: PermModerate, Label: platform.Message{ZH: "审核评价", EN: "Moderate reviews"},
		Roles: []platform.Role{platform.RoleAdmin, platform.RoleCatalog, platform.RoleService}},
	{Perm: PermReply, Label: platform.Message{ZH: "回复评价", EN: "Reply to reviews"},
		Roles: []platform.Role{platform.RoleAdmin, platform.RoleService}},
}

//go:embed templates
var templatesFS embed.FS

// Module registers reviews: tables, permissions, texts, the shopper and
// public API, the admin API, console pages, the storefront block and the
// demo step.
func Module(d *module.Deps) (*module.Module, error) {
	tpl, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	h := &handlers{db: d.DB, s: NewService(d.DB), clock: d.Clock}
	return &module.Module{
		Name:        "review",
		Migrations:  []store.Migrations{Migrations()},
		Permissions: Permissions,
		Messages:    messages,
		Menu: []web.MenuItem{
			{Section: "nav.catalog", Label: "review.nav", Path: "/console/reviews", Perm: PermView, Order: 260},
			{Section: "nav.catalog", Label: "review.nav_topics", Path: "/console/review-topics", Perm: PermView, Order: 261},
		},
		Templates: tpl,
		Routes:    func(r *web.Router, rd *web.Renderer) { h.rd = rd; r.Add(h.routes()...) },
		Demo:      []module.DemoStep{DemoStep()},
	}, nil
}

// handlers serve the API, the storefront block and the console.
type handlers struct {
	db    *store.DB
	s     *Service
	rd    *web.Renderer
	clock platform.Clock
}

func (h *handlers) routes() []web.Route {
	const tag = "reviews"
	idPath := "/api/v1/admin/reviews/{id}"
	return []web.Route{
		{Method: http.MethodPost, Path: "/api/v1/reviews", Surface: web.API, Customer: true, Handler: h.apiCreate,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Review a product the signed-in customer received (one review per order line)",
				Description: "rating 1–5, body up to 1000 characters. The order must be delivered (409 review_not_eligible); a line is reviewed once (409 review_exists). " +
					"A review with a link, advertising, contact details or profanity is held for moderation: status pending, flags say why.",
				Request: Input{}, Response: Review{}, Status: http.StatusCreated}},
		{Method: http.MethodPost, Path: "/api/v1/reviews/{id}/images", Surface: web.API, Customer: true, Handler: h.apiAddImage,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Add a photo to one of the signed-in customer's reviews",
				Description: "The body is the image itself (JPEG, PNG or WebP, checked by content, at most 8 MiB and 40 megapixels): 415 image_type, 413 image_too_large, " +
					"422 image_too_many_pixels or image_corrupt. At most 6 photos (409 review_images_full); none on a rejected review (409 review_rejected).",
				Response: Review{}, Status: http.StatusCreated}},
		{Method: http.MethodGet, Path: "/api/v1/customers/me/reviews", Surface: web.API, Customer: true, Handler: h.apiMine,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "The signed-in customer's reviews, newest first, in every status", Query: pageQuery,
				Response: platform.Page[Review]{}}},
		{Method: http.MethodGet, Path: "/api/v1/customers/me/reviews/pending", Surface: web.API, Customer: true, Handler: h.apiToReview,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Delivered order lines the signed-in customer has not reviewed yet (newest 100)",
				Response: []ReviewableLine{}}},
		{Method: http.MethodGet, Path: "/api/v1/products/{id}/reviews", Surface: web.API, Handler: h.apiProduct,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "A product's published reviews with its rating summary and topics",
				Description: "Newest first; rating filters one star level. The summary and topics cover every published review.",
				Query:       append([]web.QueryParam{{Name: "rating", Description: "only this rating, 1 to 5"}}, pageQuery...),
				Response:    ProductReviews{}}},

		{Method: http.MethodGet, Path: "/p/{id}/reviews", Surface: web.Shop, Handler: h.shopReviews},
		{Method: http.MethodGet, Path: "/review-images/{id}", Surface: web.Shop, Handler: h.image},

		{Method: http.MethodGet, Path: "/console/reviews", Surface: web.Console, Perm: PermView, Handler: h.listPage},
		{Method: http.MethodPost, Path: "/console/reviews/{id}/approve", Surface: web.Console, Perm: PermModerate, Handler: h.approveForm},
		{Method: http.MethodPost, Path: "/console/reviews/{id}/reject", Surface: web.Console, Perm: PermModerate, Handler: h.rejectForm},
		{Method: http.MethodPost, Path: "/console/reviews/{id}/reply", Surface: web.Console, Perm: PermReply, Handler: h.replyForm},
		{Method: http.MethodGet, Path: "/console/review-topics", Surface: web.Console, Perm: PermView, Handler: h.topicsPage},

		{Method: http.MethodGet, Path: "/api/v1/admin/reviews", Surface: web.AdminAPI, Perm: PermView, Handler: h.adminList,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "List reviews, newest first (the moderation queue is status=pending)", Query: adminQuery,
				Response: platform.Page[Review]{}}},
		{Method: http.MethodPost, Path: idPath + "/approve", Surface: web.AdminAPI, Perm: PermModerate, Handler: h.adminApprove,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Publish a review held for moderation", Description: "409 review_not_pending unless it waits.",
				Response: Review{}}},
		{Method: http.MethodPost, Path: idPath + "/reject", Surface: web.AdminAPI, Perm: PermModerate, Handler: h.adminReject,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Hide a review (waiting or published) with a reason its author reads",
				Description: "409 review_rejected when it already is.", Request: RejectInput{}, Response: Review{}}},
		{Method: http.MethodPut, Path: idPath + "/reply", Surface: web.AdminAPI, Perm: PermReply, Handler: h.adminReply,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Set or change the shop's public reply to a review",
				Description: "One reply per review; editing keeps the first reply's time (the 24-hour target for negative reviews measures it). 409 review_rejected on a rejected review.",
				Request:     ReplyInput{}, Response: Review{}}},
		{Method: http.MethodGet, Path: "/api/v1/admin/reviews/reply-metric", Surface: web.AdminAPI, Perm: PermView, Handler: h.adminMetric,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "How many negative reviews (rating ≤ 2) of the last days were answered within 24 hours",
				Query: []web.QueryParam{{Name: "days", Description: "period length in days ending today (shop time zone), 1 to 365; default 30"}}, Response: ReplyMetric{}}},
	}
}

// pageQuery documents cursor pages.
var pageQuery = []web.QueryParam{
	{Name: "cursor", Description: "next_cursor of the previous page"},
	{Name: "limit", Description: "page size, 1 to 200"},
}

// adminQuery documents the staff list's filters (the console's).
var adminQuery = append([]web.QueryParam{
	{Name: "status", Description: "pending, published or rejected"},
	{Name: "product_id", Description: "one product's reviews"},
	{Name: "rating", Description: "one star level, 1 to 5"},
	{Name: "negative", Description: "1: ratings 1 and 2 only"},
	{Name: "needs_reply", Description: "1: not rejected and not answered yet"},
	{Name: "flag", Description: "link, ad, contact or profanity"},
	{Name: "from", Description: "first day written (YYYY-MM-DD, shop time zone)"},
	{Name: "to", Description: "last day written (YYYY-MM-DD, shop time zone), inclusive"},
	{Name: "oldest", Description: "1: oldest first"},
}, pageQuery...)
