package promotion

import (
	"net/http"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/pricing"
	"storeops/internal/web"
)

const apiTag = "promotions"

const apiBase = "/api/v1/admin/promotions"

// apiRoutes are the staff JSON API under /api/v1/admin/promotions and the
// shoppers' coupon check.
func (h *handlers) apiRoutes() []web.Route {
	page := []web.QueryParam{{Name: "cursor", Description: "next_cursor of the previous page"}, {Name: "limit", Description: "page size, 1 to 200"}}
	statusQ := append([]web.QueryParam{{Name: "status", Description: "draft, active, paused or ended"}}, page...)
	return []web.Route{
		{Method: http.MethodGet, Path: apiBase + "/rules", Surface: web.AdminAPI, Perm: PermView, Handler: h.apiRules,
			Doc: &web.OpenAPIOp{Tag: apiTag, Summary: "List price rules, newest first", Query: statusQ, Response: platform.Page[RuleRecord]{}}},
		{Method: http.MethodPost, Path: apiBase + "/rules", Surface: web.AdminAPI, Perm: PermManage, Handler: h.apiCreateRule,
			Doc: &web.OpenAPIOp{Tag: apiTag, Summary: "Create a price rule (as a draft)", Status: http.StatusCreated,
				Description: "The body is a pricing rule; its id is assigned. 422 with one entry per field that makes no sense.",
				Request:     pricing.Rule{}, Response: RuleRecord{}}},
		{Method: http.MethodGet, Path: apiBase + "/rules/{id}", Surface: web.AdminAPI, Perm: PermView, Handler: h.apiRule,
			Doc: &web.OpenAPIOp{Tag: apiTag, Summary: "One price rule", Response: RuleRecord{}}},
		{Method: http.MethodPut, Path: apiBase + "/rules/{id}", Surface: web.AdminAPI, Perm: PermManage, Handler: h.apiUpdateRule,
			Doc: &web.OpenAPIOp{Tag: apiTag, Summary: "Replace a price rule's definition", Request: pricing.Rule{}, Response: RuleRecord{}}},
		{Method: http.MethodPost, Path: apiBase + "/rules/{id}/status", Surface: web.AdminAPI, Perm: PermManage, Handler: h.apiRuleStatus,
			Doc: &web.OpenAPIOp{Tag: apiTag, Summary: "Activate, pause or end a price rule", Request: StatusChange{}, Response: RuleRecord{}}},
		{Method: http.MethodGet, Path: apiBase + "/batches", Surface: web.AdminAPI, Perm: PermView, Handler: h.apiBatches,
			Doc: &web.OpenAPIOp{Tag: apiTag, Summary: "List coupon batches with their issued and used counts", Query: statusQ, Response: platform.Page[BatchRecord]{}}},
		{Method: http.MethodPost, Path: apiBase + "/batches", Surface: web.AdminAPI, Perm: PermManage, Handler: h.apiCreateBatch,
			Doc: &web.OpenAPIOp{Tag: apiTag, Summary: "Create a coupon batch (as a draft)", Status: http.StatusCreated,
				Request: pricing.Batch{}, Response: BatchRecord{}}},
		{Method: http.MethodGet, Path: apiBase + "/batches/{id}", Surface: web.AdminAPI, Perm: PermView, Handler: h.apiBatch,
			Doc: &web.OpenAPIOp{Tag: apiTag, Summary: "One coupon batch", Response: BatchRecord{}}},
		{Method: http.MethodPut, Path: apiBase + "/batches/{id}", Surface: web.AdminAPI, Perm: PermManage, Handler: h.apiUpdateBatch,
			Doc: &web.OpenAPIOp{Tag: apiTag, Summary: "Replace a coupon batch's definition",
				Description: "422 on total when it would fall below the uses already made.", Request: pricing.Batch{}, Response: BatchRecord{}}},
		{Method: http.MethodPost, Path: apiBase + "/batches/{id}/status", Surface: web.AdminAPI, Perm: PermManage, Handler: h.apiBatchStatus,
			Doc: &web.OpenAPIOp{Tag: apiTag, Summary: "Activate, pause or end a coupon batch", Request: StatusChange{}, Response: BatchRecord{}}},
		{Method: http.MethodGet, Path: apiBase + "/batches/{id}/codes", Surface: web.AdminAPI, Perm: PermView, Handler: h.apiCodes,
			Doc: &web.OpenAPIOp{Tag: apiTag, Summary: "A batch's codes, newest first", Query: page, Response: platform.Page[CodeRecord]{}}},
		{Method: http.MethodPost, Path: apiBase + "/batches/{id}/codes", Surface: web.AdminAPI, Perm: PermManage, Handler: h.apiIssue,
			Doc: &web.OpenAPIOp{Tag: apiTag, Summary: "Generate single-use codes for a batch", Status: http.StatusCreated, Idempotent: true,
				Description: "Codes are 12 characters from an alphabet without look-alikes; up to 100,000 per call.",
				Request:     Issue{}, Response: IssueResult{}}},
		{Method: http.MethodPost, Path: apiBase + "/batches/{id}/public-codes", Surface: web.AdminAPI, Perm: PermManage, Handler: h.apiPublic,
			Doc: &web.OpenAPIOp{Tag: apiTag, Summary: "Publish a code any shopper may use, limited by the batch's counts", Status: http.StatusCreated,
				Description: "409 coupon_code_taken when the code exists.", Request: PublicCode{}, Response: CodeRecord{}}},
		{Method: http.MethodPost, Path: apiBase + "/batches/{id}/assignments", Surface: web.AdminAPI, Perm: PermManage, Handler: h.apiAssign,
			Doc: &web.OpenAPIOp{Tag: apiTag, Summary: "Give a code of the batch to a customer", Status: http.StatusCreated,
				Description: "The named code, or the next unclaimed one (409 coupon_none_left when none is).", Request: Assignment{}, Response: CodeRecord{}}},
		{Method: http.MethodPost, Path: apiBase + "/codes/{code}/void", Surface: web.AdminAPI, Perm: PermManage, Handler: h.apiVoid,
			Doc: &web.OpenAPIOp{Tag: apiTag, Summary: "Withdraw an unused code", Status: http.StatusNoContent}},
		{Method: http.MethodGet, Path: apiBase + "/preview", Surface: web.AdminAPI, Perm: PermView, Handler: h.apiPreview,
			Doc: &web.OpenAPIOp{Tag: apiTag, Summary: "What would this cart cost: price SKUs with the active rules and coupons",
				Description: "A read, so the query carries the cart (the console's preview page links the same query). Changes nothing.",
				Query: []web.QueryParam{
					{Name: "lines", Description: "the cart: SKU id:quantity pairs separated by commas", Required: true},
					{Name: "customer_id", Description: "price for this customer (their coupon uses and owned codes)"},
					{Name: "tier", Description: "membership tier code"},
					{Name: "first_order", Description: "1: price as the customer's first order"},
					{Name: "coupon_codes", Description: "codes separated by commas"},
					{Name: "with_rules", Description: "rule ids (drafts, paused) priced as if active, separated by commas"},
					{Name: "shipping", Description: "shipping fee to assume, in yuan"},
				},
				Response: Preview{}}},
		{Method: http.MethodPost, Path: "/api/v1/coupons/{code}/claim", Surface: web.API, Customer: true, Handler: h.apiClaim,
			Doc: &web.OpenAPIOp{Tag: apiTag, Summary: "Claim a single-use code into the signed-in shopper's coupons", Status: http.StatusCreated,
				Description: "404 for a code that does not exist, is taken, or whose batch is not running: the answer is the same for all.",
				Response:    CodeRecord{}}},
		{Method: http.MethodGet, Path: "/api/v1/customers/me/coupons", Surface: web.API, Customer: true, Handler: h.apiMyCoupons,
			Doc: &web.OpenAPIOp{Tag: apiTag, Summary: "The signed-in shopper's unused coupons, newest first", Response: []MyCoupon{}}},
		{Method: http.MethodGet, Path: "/api/v1/coupons/{code}", Surface: web.API, Handler: h.apiCheck,
			Doc: &web.OpenAPIOp{Tag: apiTag, Summary: "Is this coupon code good, and what does it give",
				Description: "For the signed-in shopper when there is one. 404 for any code that does not exist.", Response: CouponCheck{}}},
	}
}

// statusFilter reads ?status=.
func statusFilter(r *http.Request) (*Status, error) {
	v := r.URL.Query().Get("status")
	if v == "" {
		return nil, nil
	}
	s := Status(v)
	if !s.Valid() {
		return nil, platform.Invalid("status", "promotion.bad_status")
	}
	return &s, nil
}

func (h *handlers) apiRules(w http.ResponseWriter, r *http.Request) error {
	var f RuleFilter
	var err error
	if f.Page, err = web.PageOf(r); err != nil {
		return err
	}
	if f.Status, err = statusFilter(r); err != nil {
		return err
	}
	page, err := h.svc.Rules(r.Context(), f)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, page)
}

func (h *handlers) apiCreateRule(w http.ResponseWriter, r *http.Request) error {
	var in pricing.Rule
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	out, err := h.svc.CreateRule(r.Context(), audit.ActorFrom(r), in)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, out)
}

func (h *handlers) apiRule(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "promo_rule")
	if err != nil {
		return err
	}
	out, err := h.svc.Rule(r.Context(), id)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, out)
}

func (h *handlers) apiUpdateRule(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "promo_rule")
	if err != nil {
		return err
	}
	var in pricing.Rule
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	out, err := h.svc.UpdateRule(r.Context(), audit.ActorFrom(r), id, in)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, out)
}

func (h *handlers) apiRuleStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "promo_rule")
	if err != nil {
		return err
	}
	var in StatusChange
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	out, err := h.svc.SetRuleStatus(r.Context(), audit.ActorFrom(r), id, in.Status)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, out)
}

func (h *handlers) apiBatches(w http.ResponseWriter, r *http.Request) error {
	var f BatchFilter
	var err error
	if f.Page, err = web.PageOf(r); err != nil {
		return err
	}
	if f.Status, err = statusFilter(r); err != nil {
		return err
	}
	page, err := h.svc.Batches(r.Context(), f)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, page)
}

func (h *handlers) apiCreateBatch(w http.ResponseWriter, r *http.Request) error {
	var in pricing.Batch
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	out, err := h.svc.CreateBatch(r.Context(), audit.ActorFrom(r), in)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, out)
}

func (h *handlers) apiBatch(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "coupon_batch")
	if err != nil {
		return err
	}
	out, err := h.svc.Batch(r.Context(), id)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, out)
}

func (h *handlers) apiUpdateBatch(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "coupon_batch")
	if err != nil {
		return err
	}
	var in pricing.Batch
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	out, err := h.svc.UpdateBatch(r.Context(), audit.ActorFrom(r), id, in)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, out)
}

func (h *handlers) apiBatchStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "coupon_batch")
	if err != nil {
		return err
	}
	var in StatusChange
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	out, err := h.svc.SetBatchStatus(r.Context(), audit.ActorFrom(r), id, in.Status)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, out)
}

func (h *handlers) apiCodes(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "coupon_batch")
	if err != nil {
		return err
	}
	p, err := web.PageOf(r)
	if err != nil {
		return err
	}
	if _, err := h.svc.Batch(r.Context(), id); err != nil {
		return err
	}
	page, err := h.svc.Codes(r.Context(), id, p)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, page)
}

func (h *handlers) apiIssue(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "coupon_batch")
	if err != nil {
		return err
	}
	var in Issue
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	out, err := h.svc.IssueCodes(r.Context(), audit.ActorFrom(r), id, in)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, out)
}

func (h *handlers) apiPublic(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "coupon_batch")
	if err != nil {
		return err
	}
	var in PublicCode
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	out, err := h.svc.AddPublicCode(r.Context(), audit.ActorFrom(r), id, in)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, out)
}

func (h *handlers) apiAssign(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "coupon_batch")
	if err != nil {
		return err
	}
	var in Assignment
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	out, err := h.svc.Assign(r.Context(), audit.ActorFrom(r), id, in)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, out)
}

func (h *handlers) apiVoid(w http.ResponseWriter, r *http.Request) error {
	if err := h.svc.VoidCode(r.Context(), audit.ActorFrom(r), r.PathValue("code")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *handlers) apiPreview(w http.ResponseWriter, r *http.Request) error {
	in, err := previewFromForm(r.URL.Query())
	if err != nil {
		return err
	}
	out, err := h.svc.Preview(r.Context(), in, web.LangOf(r))
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, out)
}

func (h *handlers) apiCheck(w http.ResponseWriter, r *http.Request) error {
	out, err := h.svc.Check(r.Context(), r.PathValue("code"), customerOf(r), web.LangOf(r))
	if err != nil {
		return err
	}
	// The answer depends on the shopper and the moment; a short private
	// cache lets a page that re-checks the same code skip the server.
	w.Header().Set("Cache-Control", "private, max-age=30")
	return web.WriteJSON(w, http.StatusOK, out)
}

// customerOf is the signed-in shopper of a Customer route.
func customerOf(r *http.Request) platform.ID {
	if p := web.PrincipalFrom(r.Context()); p != nil {
		return p.CustomerID
	}
	return 0
}

func (h *handlers) apiClaim(w http.ResponseWriter, r *http.Request) error {
	out, err := h.svc.Claim(r.Context(), audit.ActorFrom(r), r.PathValue("code"), customerOf(r))
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, out)
}

func (h *handlers) apiMyCoupons(w http.ResponseWriter, r *http.Request) error {
	out, err := h.svc.MyCoupons(r.Context(), customerOf(r))
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, out)
}
