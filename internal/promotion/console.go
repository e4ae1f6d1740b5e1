package promotion

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/pricing"
	"storeops/internal/web"
)

const consoleBase = "/console/promotions"

// consoleRoutes are the operator pages.
func (h *handlers) consoleRoutes() []web.Route {
	c := func(method, path string, perm platform.Permission, fn web.Handler) web.Route {
		return web.Route{Method: method, Path: consoleBase + path, Surface: web.Console, Perm: perm, Handler: fn}
	}
	return []web.Route{
		c(http.MethodGet, "/rules", PermView, h.rulesPage),
		c(http.MethodGet, "/rules/new", PermManage, h.newRulePage),
		c(http.MethodPost, "/rules", PermManage, h.ruleSave),
		c(http.MethodGet, "/rules/{id}", PermView, h.rulePage),
		c(http.MethodPost, "/rules/{id}", PermManage, h.ruleSave),
		c(http.MethodPost, "/rules/{id}/status", PermManage, h.ruleStatus),
		c(http.MethodGet, "/batches", PermView, h.batchesPage),
		c(http.MethodGet, "/batches/new", PermManage, h.newBatchPage),
		c(http.MethodPost, "/batches", PermManage, h.batchSave),
		c(http.MethodGet, "/batches/{id}", PermView, h.batchPage),
		c(http.MethodPost, "/batches/{id}", PermManage, h.batchSave),
		c(http.MethodPost, "/batches/{id}/status", PermManage, h.batchStatus),
		c(http.MethodPost, "/batches/{id}/codes", PermManage, h.batchIssue),
		c(http.MethodPost, "/batches/{id}/public-codes", PermManage, h.batchPublic),
		c(http.MethodPost, "/batches/{id}/assignments", PermManage, h.batchAssign),
		c(http.MethodPost, "/batches/{id}/void", PermManage, h.batchVoid),
		c(http.MethodGet, "/preview", PermView, h.previewPage),
	}
}

// FieldMessage is one field error as the page shows it.
type FieldMessage struct {
	Field, Text string
}

// problem is the message and field errors of a client error, and false
// for a server error (which the handler returns instead).
func problem(r *http.Request, err error) (status int, msg string, fields []FieldMessage, ok bool) {
	e := platform.AsError(err)
	if e.Code.Status() >= 500 {
		return 0, "", nil, false
	}
	lang := web.LangOf(r)
	for _, f := range e.Fields {
		fields = append(fields, FieldMessage{Field: f.Field, Text: platform.T(lang, f.Key, f.Args...)})
	}
	return e.Code.Status(), e.Message(lang), fields, true
}

// RulesPageData is the rule list's view data.
type RulesPageData struct {
	// Now marks active rules whose window has passed as over.
	Now     time.Time
	Rules   []RuleRecord
	Status  string
	NextURL string
}

func (h *handlers) rulesPage(w http.ResponseWriter, r *http.Request) error {
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
	data := RulesPageData{Now: h.svc.db.Now(), Rules: page.Items, Status: r.URL.Query().Get("status")}
	if page.NextCursor != "" {
		data.NextURL = nextURL(consoleBase+"/rules", data.Status, page.NextCursor)
	}
	return h.rd.Render(w, r, http.StatusOK, "promotion/rules", data)
}

func nextURL(path, status, cursor string) string {
	q := url.Values{"cursor": {cursor}}
	if status != "" {
		q.Set("status", status)
	}
	return path + "?" + q.Encode()
}

// FormPageData is the rule and batch forms' view data.
type FormPageData struct {
	// ID is empty for a new rule or batch.
	ID     string
	Status Status
	Form   map[string]string
	Kinds  []string
	Error  string
	Fields []FieldMessage
	Done   bool
	// Batch pages only: counts, codes and their export.
	Record     *BatchRecord
	Codes      *web.Table
	CodesCount int
	ExportURL  string
}

var ruleKinds = []string{string(pricing.PercentOff), string(pricing.AmountOff), string(pricing.MultiBuy), string(pricing.Bundle),
	string(pricing.Tiered), string(pricing.FreeShipping)}

var couponKinds = []string{string(pricing.CouponAmount), string(pricing.CouponPercent), string(pricing.CouponFreeShipping)}

func (h *handlers) newRulePage(w http.ResponseWriter, r *http.Request) error {
	kind := r.URL.Query().Get("kind")
	if kind == "" {
		kind = string(pricing.PercentOff)
	}
	return h.rd.Render(w, r, http.StatusOK, "promotion/rule", FormPageData{Form: map[string]string{"kind": kind}, Kinds: ruleKinds})
}

func (h *handlers) rulePage(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "promo_rule")
	if err != nil {
		return err
	}
	rec, err := h.svc.Rule(r.Context(), id)
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, http.StatusOK, "promotion/rule", FormPageData{ID: id.String(), Status: rec.Status, Form: ruleForm(rec.Rule),
		Kinds: ruleKinds, Done: r.URL.Query().Get("done") != ""})
}

// ruleSave creates (no id) or updates a rule from the form; a refused
// form comes back with its values and every field's error.
func (h *handlers) ruleSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	idText := r.PathValue("id")
	rule, err := ruleFromForm(r.PostForm)
	var rec RuleRecord
	if err == nil {
		if idText == "" {
			rec, err = h.svc.CreateRule(r.Context(), audit.ActorFrom(r), rule)
		} else {
			id, perr := web.PathID(r, "id", "promo_rule")
			if perr != nil {
				return perr
			}
			rec, err = h.svc.UpdateRule(r.Context(), audit.ActorFrom(r), id, rule)
		}
	}
	if err != nil {
		status, msg, fields, ok := problem(r, err)
		if !ok {
			return err
		}
		return h.rd.Render(w, r, status, "promotion/rule", FormPageData{ID: idText, Form: valuesMap(r.PostForm), Kinds: ruleKinds, Error: msg, Fields: fields})
	}
	http.Redirect(w, r, consoleBase+"/rules/"+rec.ID.String()+"?done=1", http.StatusSeeOther)
	return nil
}

func (h *handlers) ruleStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "promo_rule")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	if _, err := h.svc.SetRuleStatus(r.Context(), audit.ActorFrom(r), id, Status(r.PostForm.Get("status"))); err != nil {
		return err
	}
	http.Redirect(w, r, consoleBase+"/rules/"+id.String()+"?done=1", http.StatusSeeOther)
	return nil
}

// BatchesPageData is the batch list's view data.
type BatchesPageData struct {
	Now     time.Time
	Batches []BatchRecord
	Status  string
	NextURL string
}

func (h *handlers) batchesPage(w http.ResponseWriter, r *http.Request) error {
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
	data := BatchesPageData{Now: h.svc.db.Now(), Batches: page.Items, Status: r.URL.Query().Get("status")}
	if page.NextCursor != "" {
		data.NextURL = nextURL(consoleBase+"/batches", data.Status, page.NextCursor)
	}
	return h.rd.Render(w, r, http.StatusOK, "promotion/batches", data)
}

func (h *handlers) newBatchPage(w http.ResponseWriter, r *http.Request) error {
	return h.rd.Render(w, r, http.StatusOK, "promotion/batch", FormPageData{Form: map[string]string{"kind": string(pricing.CouponAmount)}, Kinds: couponKinds})
}

func (h *handlers) batchPage(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "coupon_batch")
	if err != nil {
		return err
	}
	data, err := h.batchData(r, id)
	if err != nil {
		return err
	}
	if done, err := web.Export(w, r, data.Codes); done {
		return err
	}
	data.Done = r.URL.Query().Get("done") != ""
	return h.rd.Render(w, r, http.StatusOK, "promotion/batch", data)
}

// batchData is a stored batch's page: its form, counts and codes.
func (h *handlers) batchData(r *http.Request, id platform.ID) (FormPageData, error) {
	rec, err := h.svc.Batch(r.Context(), id)
	if err != nil {
		return FormPageData{}, err
	}
	data := FormPageData{ID: id.String(), Status: rec.Status, Form: batchForm(rec.Batch), Kinds: couponKinds, Record: &rec}
	data.Codes, err = h.codesTable(r, id)
	if err != nil {
		return data, err
	}
	data.CodesCount = len(data.Codes.Rows)
	data.ExportURL = data.Codes.ExportURL(r)
	return data, nil
}

// codesTable is a batch's codes (up to codesExportLimit), the same table
// on the page and in its XLSX export.
func (h *handlers) codesTable(r *http.Request, id platform.ID) (*web.Table, error) {
	t := &web.Table{ID: "codes-table", Name: "coupon-codes-" + id.String(), Title: "promotion.codes", Empty: "promotion.no_codes",
		Columns: []web.Column{{Key: "promotion.code", Kind: web.ColText}, {Key: "promotion.public", Kind: web.ColText},
			{Key: "promotion.owner", Kind: web.ColText}, {Key: "promotion.code_status", Kind: web.ColText}, {Key: "promotion.created_at", Kind: web.ColDate}}}
	lang := web.LangOf(r)
	limit := codesPageLimit
	if web.WantsXLSX(r, t.ID) {
		limit = codesExportLimit
	}
	p := platform.PageRequest{Limit: platform.MaxPageSize}
	for len(t.Rows) < limit {
		page, err := h.svc.Codes(r.Context(), id, p)
		if err != nil {
			return nil, err
		}
		for _, c := range page.Items {
			owner, public := "", ""
			if c.OwnerID != 0 {
				owner = c.OwnerID.String()
			}
			if c.Public {
				public = platform.T(lang, "promotion.yes")
			}
			t.Append(web.TextCell(c.Code), web.TextCell(public), web.TextCell(owner),
				web.TextCell(platform.T(lang, "promotion.code_status."+string(c.Status))), web.DateCell(c.CreatedAt))
		}
		if page.NextCursor == "" {
			break
		}
		next, err := platform.ParseCursor(page.NextCursor)
		if err != nil {
			return nil, err
		}
		p.After = next
	}
	return t, nil
}

// The batch page shows the newest codes; the export holds many more.
const (
	codesPageLimit   = 200
	codesExportLimit = MaxIssue
)

func (h *handlers) batchSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	idText := r.PathValue("id")
	batch, err := batchFromForm(r.PostForm)
	var rec BatchRecord
	if err == nil {
		if idText == "" {
			rec, err = h.svc.CreateBatch(r.Context(), audit.ActorFrom(r), batch)
		} else {
			id, perr := web.PathID(r, "id", "coupon_batch")
			if perr != nil {
				return perr
			}
			rec, err = h.svc.UpdateBatch(r.Context(), audit.ActorFrom(r), id, batch)
		}
	}
	if err != nil {
		return h.refuseBatch(w, r, idText, err)
	}
	http.Redirect(w, r, consoleBase+"/batches/"+rec.ID.String()+"?done=1", http.StatusSeeOther)
	return nil
}

// refuseBatch shows the batch form again with the posted values and the
// reasons it was refused.
func (h *handlers) refuseBatch(w http.ResponseWriter, r *http.Request, idText string, err error) error {
	status, msg, fields, ok := problem(r, err)
	if !ok {
		return err
	}
	data := FormPageData{ID: idText, Kinds: couponKinds}
	if idText != "" {
		id, perr := web.PathID(r, "id", "coupon_batch")
		if perr != nil {
			return perr
		}
		if data, err = h.batchData(r, id); err != nil {
			return err
		}
	}
	data.Form = valuesMap(r.PostForm)
	data.Error, data.Fields = msg, fields
	return h.rd.Render(w, r, status, "promotion/batch", data)
}

func (h *handlers) batchStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "coupon_batch")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	if _, err := h.svc.SetBatchStatus(r.Context(), audit.ActorFrom(r), id, Status(r.PostForm.Get("status"))); err != nil {
		return err
	}
	http.Redirect(w, r, consoleBase+"/batches/"+id.String()+"?done=1", http.StatusSeeOther)
	return nil
}

func (h *handlers) batchIssue(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "coupon_batch")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	n, err := strconv.Atoi(r.PostForm.Get("count"))
	if err != nil {
		err = platform.Invalid("count", "promotion.count_range", MaxIssue)
	} else {
		_, err = h.svc.IssueCodes(r.Context(), audit.ActorFrom(r), id, Issue{Count: n})
	}
	if err != nil {
		return h.refuseBatch(w, r, id.String(), err)
	}
	http.Redirect(w, r, consoleBase+"/batches/"+id.String()+"?done=1", http.StatusSeeOther)
	return nil
}

func (h *handlers) batchPublic(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "coupon_batch")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	if _, err := h.svc.AddPublicCode(r.Context(), audit.ActorFrom(r), id, PublicCode{Code: r.PostForm.Get("code")}); err != nil {
		return h.refuseBatch(w, r, id.String(), err)
	}
	http.Redirect(w, r, consoleBase+"/batches/"+id.String()+"?done=1", http.StatusSeeOther)
	return nil
}

func (h *handlers) batchAssign(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "coupon_batch")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	f := newFormReader(r.PostForm)
	in := Assignment{Code: f.str("code"), ValidDays: f.int("valid_days")}
	in.CustomerID, err = platform.ParseID(f.str("customer_id"))
	if err != nil {
		f.e.With("customer_id", "promotion.unknown_customer")
	}
	if err = f.err(); err == nil {
		_, err = h.svc.Assign(r.Context(), audit.ActorFrom(r), id, in)
	}
	if err != nil {
		return h.refuseBatch(w, r, id.String(), err)
	}
	http.Redirect(w, r, consoleBase+"/batches/"+id.String()+"?done=1", http.StatusSeeOther)
	return nil
}

func (h *handlers) batchVoid(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "coupon_batch")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	if err := h.svc.VoidCode(r.Context(), audit.ActorFrom(r), r.PostForm.Get("code")); err != nil {
		return h.refuseBatch(w, r, id.String(), err)
	}
	http.Redirect(w, r, consoleBase+"/batches/"+id.String()+"?done=1", http.StatusSeeOther)
	return nil
}

// PreviewPageData is the preview page's view data.
type PreviewPageData struct {
	Form   map[string]string
	Result *Preview
	Error  string
	Fields []FieldMessage
}

// previewPage reads its cart from the query (lines as "SKU:qty, …"), so a
// preview is a link an operator can share.
func (h *handlers) previewPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	data := PreviewPageData{Form: valuesMap(q)}
	if q.Get("lines") == "" {
		return h.rd.Render(w, r, http.StatusOK, "promotion/preview", data)
	}
	req, err := previewFromForm(q)
	if err == nil {
		var p Preview
		p, err = h.svc.Preview(r.Context(), req, web.LangOf(r))
		data.Result = &p
	}
	if err != nil {
		status, msg, fields, ok := problem(r, err)
		if !ok {
			return err
		}
		data.Result, data.Error, data.Fields = nil, msg, fields
		return h.rd.Render(w, r, status, "promotion/preview", data)
	}
	return h.rd.Render(w, r, http.StatusOK, "promotion/preview", data)
}

func previewFromForm(v url.Values) (PreviewRequest, error) {
	f := newFormReader(v)
	req := PreviewRequest{Tier: f.str("tier"), FirstOrder: f.bool("first_order"), CouponCodes: f.words("coupon_codes"),
		WithRules: f.ids("with_rules"), Shipping: f.money("shipping")}
	if s := f.str("customer_id"); s != "" {
		id, err := platform.ParseID(s)
		if err != nil {
			f.e.With("customer_id", "field.invalid")
		}
		req.CustomerID = id
	}
	req.Lines = f.previewLines("lines")
	return req, f.err()
}
