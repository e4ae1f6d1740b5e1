package mail

import (
	"context"
	"embed"
	"io/fs"
	"net/http"

	"github.com/riverqueue/river"

	"storeops/internal/module"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/web"
)

// PermView lets staff read the outbox: customer service (who answer "I
// never got the email") and admins.
const PermView platform.Permission = "mail.view"

// Permissions is the mail domain's part of the matrix.
var Permissions = []platform.PermissionDef{
	{Perm: PermView, Label: platform.Message{ZH: "查看邮件发送记录", EN: "View the email outbox"},
		Roles: []platform.Role{platform.RoleAdmin, platform.RoleService}},
}

//go:embed templates
var templatesFS embed.FS

// DefaultFrom is the sender when none is configured.
const DefaultFrom = "storeops <noreply@storeops.local>"

// Module registers the outbox: its table, the delivery job, the console
// page. With no SMTP host configured, delivery writes messages to the log
// and says so when the app starts.
func Module(d *module.Deps) (*module.Module, error) {
	tpl, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	from := d.SMTP.From
	if from == "" {
		from = DefaultFrom
	}
	dl := &Deliverer{DB: d.DB, From: from, Log: d.Log,
		Transport: NewTransport(SMTPConfig{Host: d.SMTP.Host, Port: d.SMTP.Port, Username: d.SMTP.Username,
			Password: d.SMTP.Password, From: from, TLS: d.SMTP.TLS}, d.Log)}
	h := &handlers{db: d.DB}
	return &module.Module{
		Name:        "mail",
		Migrations:  []store.Migrations{Migrations()},
		Permissions: Permissions,
		Messages:    messages,
		Menu:        []web.MenuItem{{Section: "nav.system", Label: "mail.nav", Path: "/console/mail", Perm: PermView, Order: 905}},
		Templates:   tpl,
		Routes:      func(r *web.Router, rd *web.Renderer) { h.rd = rd; r.Add(h.routes()...) },
		Workers:     func(w *river.Workers) { river.AddWorker(w, &deliverWorker{d: dl}) },
		Start: func(context.Context) error {
			if d.SMTP.Host == "" {
				d.Log.Warn("mail: no SMTP server configured (--smtp-host / STOREOPS_SMTP_HOST); email is written to the log instead of sent")
			}
			return nil
		},
	}, nil
}

type handlers struct {
	db *store.DB
	rd *web.Renderer
}

func (h *handlers) routes() []web.Route {
	return []web.Route{
		{Method: http.MethodGet, Path: "/console/mail", Surface: web.Console, Perm: PermView, Handler: h.listPage},
		{Method: http.MethodGet, Path: "/api/v1/admin/mail", Surface: web.AdminAPI, Perm: PermView, Handler: h.adminList,
			Doc: &web.OpenAPIOp{Tag: "mail", Summary: "The email outbox, newest first",
				Query: []web.QueryParam{
					{Name: "status", Description: "queued, sent or failed"},
					{Name: "to", Description: "exact recipient address"},
					{Name: "cursor", Description: "opaque cursor from the previous page's next_cursor"},
					{Name: "limit", Description: "page size, 1–200, default 20"},
				},
				Response: platform.Page[Stored]{}}},
	}
}

var messages = platform.Texts{
	"mail.nav":             {"邮件发送", "Email outbox"},
	"mail.title":           {"邮件发送记录", "Email outbox"},
	"mail.status":          {"状态", "Status"},
	"mail.status.queued":   {"待发送", "queued"},
	"mail.status.sent":     {"已发送", "sent"},
	"mail.status.failed":   {"发送失败", "failed"},
	"mail.to":              {"收件人", "To"},
	"mail.subject":         {"主题", "Subject"},
	"mail.template":        {"模板", "Template"},
	"mail.lang":            {"语言", "Language"},
	"mail.attempts":        {"尝试次数", "Attempts"},
	"mail.error":           {"最近错误", "Last error"},
	"mail.created":         {"创建时间", "Created"},
	"mail.sent_at":         {"发送时间", "Sent"},
	"mail.all":             {"全部", "All"},
	"mail.filter":          {"筛选", "Filter"},
	"mail.next":            {"下一页", "Next page"},
	"mail.empty":           {"没有符合条件的邮件", "No messages match"},
	"mail.address_invalid": {"邮箱地址无效", "is not a usable email address"},
	"kind.mail":            {"邮件", "email"},
}

func init() { platform.RegisterTexts(messages) }
