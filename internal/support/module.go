package support

import (
	"embed"
	"io/fs"

	"github.com/riverqueue/river"

	"storeops/internal/module"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/web"
)

// The desk's permissions: customer service read and handle tickets;
// admins also set up agents, teams, SLA, the calendar, canned replies and
// care rules; analysts read the reports and metrics, not the tickets
// (they hold customers' words and addresses).
const (
	PermView   platform.Permission = "support.view"
	PermHandle platform.Permission = "support.handle"
	PermAdmin  platform.Permission = "support.admin"
	PermReport platform.Permission = "support.report"
)

// Permissions is the desk's part of the matrix.
var Permissions = []platform.PermissionDef{
	{Perm: PermView, Label: platform.Message{ZH: "查看客服工单", EN: "View service tickets"},
		Roles: []platform.Role{platform.RoleAdmin, platform.RoleService}},
	{Perm: PermHandle, Label: platform.Message{ZH: "处理客服工单", EN: "Handle service tickets"},
		Roles: []platform.Role{platform.RoleAdmin, platform.RoleService}},
	{Perm: PermAdmin, Label: platform.Message{ZH: "客服设置（坐席、SLA、日历、快捷回复、主动关怀）", EN: "Service desk settings (agents, SLA, calendar, canned replies, care)"},
		Roles: []platform.Role{platform.RoleAdmin}},
	{Perm: PermReport, Label: platform.Message{ZH: "查看客服报表与指标", EN: "View service reports and metrics"},
		Roles: []platform.Role{platform.RoleAdmin, platform.RoleService, platform.RoleAnalyst}},
}

//go:embed templates
var templatesFS embed.FS

// Module registers the service desk.
func Module(d *module.Deps) (*module.Module, error) {
	tpl, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	h := &handlers{db: d.DB, s: NewService(d.DB)}
	return &module.Module{
		Name:        "support",
		Migrations:  []store.Migrations{Migrations()},
		Permissions: Permissions,
		Messages:    messages,
		Templates:   tpl,
		Routes:      func(r *web.Router, rd *web.Renderer) { h.rd = rd; r.Add(h.routes()...) },
		Workers:     func(w *river.Workers) { river.AddWorker(w, &sweepWorker{s: h.s}) },
		Periodic:    []*river.PeriodicJob{sweepJob()},
	}, nil
}

// handlers serve the API, the shop pages and the console.
type handlers struct {
	db *store.DB
	s  *Service
	rd *web.Renderer
}
