package support

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"

	"github.com/riverqueue/river"

	"storeops/internal/jobs"
	"storeops/internal/module"
	"storeops/internal/outbox"
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
	h := &handlers{db: d.DB, s: NewService(d.DB).WithJobs(func() *jobs.Queue { return d.Jobs }, os.Getenv("STOREOPS_PUBLIC_URL"))}
	mailbox := &mailbox{s: h.s, log: d.Log, addr: os.Getenv("STOREOPS_SUPPORT_SMTP_ADDR"), domain: os.Getenv("STOREOPS_SUPPORT_SMTP_DOMAIN")}
	return &module.Module{
		Name:        "support",
		Migrations:  []store.Migrations{Migrations()},
		Permissions: Permissions,
		Messages:    messages,
		Templates:   tpl,
		Menu: []web.MenuItem{
			{Section: "support.section", Label: "support.nav", Path: "/console/support", Perm: PermView, Order: 600},
			{Section: "support.section", Label: "support.metrics_title", Path: "/console/support/metrics", Perm: PermReport, Order: 601},
			{Section: "support.section", Label: "support.report_title", Path: "/console/support/report", Perm: PermReport, Order: 602},
			{Section: "support.section", Label: "support.settings_title", Path: "/console/support/settings", Perm: PermAdmin, Order: 603},
		},
		Routes: func(r *web.Router, rd *web.Renderer) { h.rd = rd; r.Add(h.routes()...) },
		Workers: func(w *river.Workers) {
			river.AddWorker(w, &sweepWorker{s: h.s})
			river.AddWorker(w, &careWorker{s: h.s})
		},
		Periodic:  []*river.PeriodicJob{sweepJob(), careJob()},
		Consumers: []outbox.Consumer{h.s.CareConsumer()},
		Demo:      []module.DemoStep{DemoStep()},
		Start:     mailbox.start,
		Stop:      mailbox.stop,
	}, nil
}

// handlers serve the API, the shop pages and the console.
type handlers struct {
	db *store.DB
	s  *Service
	rd *web.Renderer
}

// mailbox runs the inbound SMTP listener when STOREOPS_SUPPORT_SMTP_ADDR
// names an address (":2525"); STOREOPS_SUPPORT_SMTP_DOMAIN is the name
// it greets with. Off by default: a shop turns it on once its mail
// exchanger or provider forwards the service address to it.
type mailbox struct {
	s            *Service
	log          *slog.Logger
	addr, domain string
	in           *Inbound
}

func (m *mailbox) start(context.Context) error {
	if m.addr == "" {
		return nil
	}
	l, err := net.Listen("tcp", m.addr)
	if err != nil {
		return fmt.Errorf("support: inbound mail on %s: %w", m.addr, err)
	}
	if m.domain == "" {
		m.domain = "localhost"
	}
	m.in = m.s.NewInbound(m.domain, m.log)
	go func() {
		if err := m.in.Serve(l); err != nil {
			m.log.Error("support: inbound mail stopped", "err", err)
		}
	}()
	m.log.Info("support: inbound mail listening", "addr", l.Addr().String())
	return nil
}

func (m *mailbox) stop(ctx context.Context) {
	if m.in != nil {
		_ = m.in.Close(ctx)
	}
}
