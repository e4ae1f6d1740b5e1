package audit

import (
	"embed"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"

	"storeops/internal/module"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/web"
)

// PermView lets a staff user read the audit log.
const PermView platform.Permission = "audit.view"

//go:embed migrations
var migrationsFS embed.FS

//go:embed templates
var templatesFS embed.FS

// Migrations are the audit log's tables.
func Migrations() store.Migrations {
	sub, err := fs.Sub(migrationsFS, "migrations")
	if err != nil {
		panic(err)
	}
	return store.Migrations{Name: "audit", FS: sub}
}

// Module registers the audit log: its table, permission, console page and
// admin API listing.
func Module(d *module.Deps) (*module.Module, error) {
	tpl, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	h := &handlers{db: d.DB}
	return &module.Module{
		Name:       "audit",
		Migrations: []store.Migrations{Migrations()},
		Permissions: []platform.PermissionDef{{
			Perm:  PermView,
			Label: platform.Message{ZH: "查看操作日志", EN: "View the audit log"},
			Roles: []platform.Role{platform.RoleAdmin, platform.RoleAnalyst},
		}},
		Messages:  messages,
		Menu:      []web.MenuItem{{Section: "nav.system", Label: "nav.audit", Path: "/console/audit", Perm: PermView, Order: 900}},
		Templates: tpl,
		Routes: func(r *web.Router, rd *web.Renderer) {
			h.rd = rd
			r.Add(
				web.Route{Method: http.MethodGet, Path: "/console/audit", Surface: web.Console, Perm: PermView, Handler: h.page},
				web.Route{Method: http.MethodGet, Path: "/api/v1/admin/audit", Surface: web.AdminAPI, Perm: PermView, Handler: h.api,
					Doc: &web.OpenAPIOp{
						Summary: "List audit log entries, newest first", Tag: "audit",
						Query: []web.QueryParam{
							{Name: "actor", Description: "staff id, or part of the actor's email or name, or system/cli"},
							{Name: "action", Description: "exact action, e.g. staff.update"},
							{Name: "entity_type", Description: "e.g. staff_user"},
							{Name: "entity_id", Description: "the entity's id"},
							{Name: "from", Description: "first day (YYYY-MM-DD, shop time zone)"},
							{Name: "to", Description: "last day (YYYY-MM-DD, shop time zone), inclusive"},
							{Name: "cursor", Description: "next_cursor of the previous page"},
							{Name: "limit", Description: "page size, 1 to 200"},
						},
						Response: platform.Page[Item]{},
					}},
			)
		},
	}, nil
}

type handlers struct {
	db *store.DB
	rd *web.Renderer
}

// FilterForm is the audit page's filter, as typed.
type FilterForm struct {
	Actor, Action, EntityType, EntityID, From, To string
}

// filterOf reads the query string; a malformed date is a field error.
func filterOf(r *http.Request) (Filter, FilterForm, error) {
	q := r.URL.Query()
	ff := FilterForm{Actor: q.Get("actor"), Action: q.Get("action"), EntityType: q.Get("entity_type"),
		EntityID: q.Get("entity_id"), From: q.Get("from"), To: q.Get("to")}
	f := Filter{Actor: ff.Actor, Action: ff.Action, EntityType: ff.EntityType, EntityID: ff.EntityID}
	page, err := web.PageOf(r)
	if err != nil {
		return f, ff, err
	}
	f.Page = page
	if ff.From != "" {
		d, err := time.ParseInLocation(time.DateOnly, ff.From, platform.ShopZone)
		if err != nil {
			return f, ff, platform.Invalid("from", "field.invalid")
		}
		f.From = &d
	}
	if ff.To != "" {
		d, err := time.ParseInLocation(time.DateOnly, ff.To, platform.ShopZone)
		if err != nil {
			return f, ff, platform.Invalid("to", "field.invalid")
		}
		d = d.AddDate(0, 0, 1)
		f.To = &d
	}
	return f, ff, nil
}

func (h *handlers) api(w http.ResponseWriter, r *http.Request) error {
	f, _, err := filterOf(r)
	if err != nil {
		return err
	}
	page, err := List(r.Context(), h.db.R, f)
	if err != nil {
		return err
	}
	page.Items = maskFor(r, page.Items)
	return web.WriteJSON(w, http.StatusOK, page)
}

// PageData is the audit page's view data.
type PageData struct {
	Filter    FilterForm
	Rows      []Row
	Error     string
	NextURL   string
	ExportURL string
}

// exportTable names the audit export; exportLimit bounds its rows (the
// newest first), so an export of "everything" stays a download, not an
// outage.
const (
	exportTable = "audit-table"
	exportLimit = 10000
)

// export writes the filtered entries, newest first, as XLSX: one row per
// entry, the changes as "field: before → after" lines.
func (h *handlers) export(w http.ResponseWriter, r *http.Request, f Filter) error {
	t := &web.Table{ID: exportTable, Name: "audit-log", Title: "audit.title", Columns: []web.Column{
		{Key: "audit.at", Kind: web.ColText}, {Key: "audit.actor", Kind: web.ColText}, {Key: "audit.action", Kind: web.ColText},
		{Key: "audit.entity_type", Kind: web.ColText}, {Key: "audit.entity_id", Kind: web.ColText},
		{Key: "audit.changes", Kind: web.ColText}, {Key: "audit.ip", Kind: web.ColText}, {Key: "audit.request", Kind: web.ColText},
	}}
	f.Page = platform.PageRequest{Limit: platform.MaxPageSize}
	for rows := 0; rows < exportLimit; {
		page, err := List(r.Context(), h.db.R, f)
		if err != nil {
			return err
		}
		for _, it := range maskFor(r, page.Items) {
			var changes []string
			for _, c := range it.Diff() {
				changes = append(changes, c.Field+": "+orNone(c.Before)+" → "+orNone(c.After))
			}
			actor := it.ActorName
			if it.ActorEmail != "" {
				actor += " <" + it.ActorEmail + ">"
			}
			t.Append(web.TextCell(it.At.In(platform.ShopZone).Format("2006-01-02 15:04:05")), web.TextCell(actor),
				web.TextCell(it.Action), web.TextCell(it.EntityType), web.TextCell(it.EntityID),
				web.TextCell(strings.Join(changes, "\n")), web.TextCell(it.IP), web.TextCell(it.RequestID))
			rows++
		}
		if page.NextCursor == "" {
			break
		}
		next, err := platform.ParseCursor(page.NextCursor)
		if err != nil {
			return err
		}
		f.Page.After = next
	}
	_, err := web.Export(w, r, t)
	return err
}

func orNone(s string) string {
	if s == "" {
		return "∅"
	}
	return s
}

// Row is one entry as the page shows it.
type Row struct {
	Item
	Actor   string
	Changes []FieldChange
}

func (h *handlers) page(w http.ResponseWriter, r *http.Request) error {
	f, ff, err := filterOf(r)
	data := PageData{Filter: ff}
	if err != nil {
		e := platform.AsError(err)
		if e.Code != platform.CodeInvalid && e.Code != platform.CodeBadCursor {
			return err
		}
		data.Error = e.Message(web.LangOf(r))
		return h.rd.Render(w, r, e.Code.Status(), "audit/list", data)
	}
	if web.WantsXLSX(r, exportTable) {
		return h.export(w, r, f)
	}
	page, err := List(r.Context(), h.db.R, f)
	if err != nil {
		return err
	}
	data.ExportURL = (&web.Table{ID: exportTable}).ExportURL(r)
	for _, it := range maskFor(r, page.Items) {
		actor := it.ActorName
		if it.ActorEmail != "" {
			actor += " <" + it.ActorEmail + ">"
		}
		data.Rows = append(data.Rows, Row{Item: it, Actor: actor, Changes: it.Diff()})
	}
	if page.NextCursor != "" {
		q := url.Values{}
		for k, v := range map[string]string{"actor": ff.Actor, "action": ff.Action, "entity_type": ff.EntityType,
			"entity_id": ff.EntityID, "from": ff.From, "to": ff.To} {
			if v != "" {
				q.Set(k, v)
			}
		}
		q.Set("cursor", page.NextCursor)
		data.NextURL = "/console/audit?" + q.Encode()
	}
	return h.rd.Render(w, r, http.StatusOK, "audit/list", data)
}

var messages = platform.Texts{
	"nav.audit":          {"审计日志", "Audit log"},
	"audit.title":        {"审计日志", "Audit log"},
	"audit.at":           {"时间", "Time"},
	"audit.actor":        {"操作人", "Actor"},
	"audit.action":       {"操作", "Action"},
	"audit.entity_type":  {"对象类型", "Entity type"},
	"audit.entity_id":    {"对象编号", "Entity id"},
	"audit.changes":      {"变更内容", "Changes"},
	"audit.field":        {"字段", "Field"},
	"audit.from":         {"开始日期", "From"},
	"audit.to":           {"结束日期", "To"},
	"audit.filter":       {"筛选", "Filter"},
	"audit.reset":        {"重置", "Reset"},
	"audit.next":         {"下一页", "Next page"},
	"audit.empty":        {"没有符合条件的记录", "No entries match"},
	"audit.ip":           {"IP", "IP"},
	"audit.request":      {"请求编号", "Request"},
	"audit.export":       {"导出 Excel", "Export to Excel"},
	"audit.actor_filter": {"操作人（编号、邮箱或姓名）", "Actor (id, email or name)"},
}
