package staff

import (
	"context"
	"embed"
	"io/fs"
	"net/http"

	"storeops/internal/module"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/web"
)

// The staff domain's permissions. Owner holds them all; analyst, being
// read-only, never holds a write permission.
const (
	PermView   platform.Permission = "staff.view"
	PermManage platform.Permission = "staff.manage"
	// PermPII shows personal data (phone, email) unmasked in the console.
	PermPII = platform.PermPII
	// PermSelf lets any staff user change their own password.
	PermSelf platform.Permission = "staff.self"
)

// Permissions is the staff domain's part of the matrix.
var Permissions = []platform.PermissionDef{
	{Perm: PermView, Label: platform.Message{ZH: "查看员工", EN: "View staff"}, Roles: []platform.Role{platform.RoleAdmin, platform.RoleAnalyst}},
	{Perm: PermManage, Label: platform.Message{ZH: "管理员工账号", EN: "Manage staff accounts"}, Roles: []platform.Role{platform.RoleAdmin}},
	{Perm: PermPII, Label: platform.Message{ZH: "查看完整个人信息（手机号、邮箱）", EN: "See personal data unmasked (phone, email)"},
		Roles: []platform.Role{platform.RoleAdmin, platform.RoleService}},
	{Perm: PermSelf, Label: platform.Message{ZH: "修改自己的密码", EN: "Change one's own password"}, Roles: platform.StaffRoles},
}

// Phone is a phone number as p may see it: whole with pii.view, else
// masked (138****5678).
func Phone(p *web.Principal, s string) string {
	if s == "" || p.Can(PermPII) {
		return s
	}
	return platform.MaskPhone(s)
}

// Email is an email as p may see it: whole with pii.view, else masked
// (a***@example.com).
func Email(p *web.Principal, s string) string {
	if s == "" || p.Can(PermPII) {
		return s
	}
	return platform.MaskEmail(s)
}

//go:embed migrations
var migrationsFS embed.FS

//go:embed templates
var templatesFS embed.FS

// Migrations are the staff domain's tables.
func Migrations() store.Migrations {
	sub, err := fs.Sub(migrationsFS, "migrations")
	if err != nil {
		panic(err)
	}
	return store.Migrations{Name: "staff", FS: sub}
}

// Module registers the staff domain: tables, permissions, the session and
// token authenticator, console pages, the /api/v1/me and staff admin API
// routes, and the first owner on an empty database.
func Module(d *module.Deps) (*module.Module, error) {
	cfg := DefaultConfig(d.Dev, d.Secure)
	cfg.Log = d.Log
	s := New(d.DB, cfg)
	tpl, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	return &module.Module{
		Name:        "staff",
		Migrations:  []store.Migrations{Migrations()},
		Permissions: Permissions,
		Messages:    messages,
		Menu: []web.MenuItem{
			{Section: "nav.team", Label: "nav.staff", Path: "/console/staff", Perm: PermView, Order: 800},
			{Section: "nav.team", Label: "nav.account", Path: "/console/account", Perm: PermSelf, Order: 810},
		},
		Templates: tpl,
		Routes:    func(r *web.Router, rd *web.Renderer) { s.routes(r, rd) },
		Auth:      s.Authenticator(),
		FirstRun:  func(ctx context.Context) (string, error) { return s.EnsureOwner(ctx) },
	}, nil
}

func (s *Service) routes(r *web.Router, rd *web.Renderer) {
	h := &handlers{s: s, rd: rd}
	r.Add(
		web.Route{Method: http.MethodGet, Path: "/console/login", Surface: web.Console, Public: true, Handler: h.loginPage},
		web.Route{Method: http.MethodPost, Path: "/console/login", Surface: web.Console, Public: true, Handler: h.login},
		web.Route{Method: http.MethodPost, Path: "/console/logout", Surface: web.Console, Public: true, Handler: h.logout},
		web.Route{Method: http.MethodGet, Path: "/console/staff", Surface: web.Console, Perm: PermView, Handler: h.list},
		web.Route{Method: http.MethodGet, Path: "/console/staff/new", Surface: web.Console, Perm: PermManage, Handler: h.newForm},
		web.Route{Method: http.MethodPost, Path: "/console/staff", Surface: web.Console, Perm: PermManage, Handler: h.create},
		web.Route{Method: http.MethodGet, Path: "/console/staff/{id}", Surface: web.Console, Perm: PermView, Handler: h.show},
		web.Route{Method: http.MethodPost, Path: "/console/staff/{id}", Surface: web.Console, Perm: PermManage, Handler: h.update},
		web.Route{Method: http.MethodPost, Path: "/console/staff/{id}/password", Surface: web.Console, Perm: PermManage, Handler: h.resetPassword},
		web.Route{Method: http.MethodGet, Path: "/console/account", Surface: web.Console, Perm: PermSelf, Handler: h.account},
		web.Route{Method: http.MethodPost, Path: "/console/account/password", Surface: web.Console, Perm: PermSelf, Handler: h.changePassword},
		web.Route{Method: http.MethodGet, Path: "/api/v1/me", Surface: web.API, Handler: h.me, Doc: &web.OpenAPIOp{
			Summary: "Who is calling: the staff user of the session or token, or the signed-in customer", Tag: "identity",
			Response: Me{},
		}},
		web.Route{Method: http.MethodGet, Path: "/api/v1/admin/staff", Surface: web.AdminAPI, Perm: PermView, Handler: h.apiList, Doc: &web.OpenAPIOp{
			Summary: "List staff users (phone and email masked without pii.view)", Tag: "staff",
			Query: []web.QueryParam{
				{Name: "department", Description: "management, catalog, marketing, service or supply"},
				{Name: "role", Description: "one of the staff roles"},
				{Name: "cursor", Description: "next_cursor of the previous page"},
				{Name: "limit", Description: "page size, 1 to 200"},
			},
			Response: platform.Page[User]{},
		}},
	)
}

var messages = platform.Texts{
	"staff.current_password_wrong": {"当前密码不正确", "The current password is wrong"},
	"nav.staff":                    {"员工管理", "Staff"},
	"nav.account":                  {"我的账号", "My account"},
	"kind.staff":                   {"员工", "staff user"},
	"kind.token":                   {"令牌", "token"},
	"dept.management":              {"管理层", "Management"},
	"dept.catalog":                 {"商品部", "Catalog"},
	"dept.marketing":               {"市场部", "Marketing"},
	"dept.service":                 {"客服部", "Customer service"},
	"dept.supply":                  {"供应链部", "Supply chain"},
	"staff.password_short":         {"至少 %d 个字符", "must be at least %d characters"},
	"staff.inactive":               {"该员工已停用", "This staff user is deactivated"},
	"staff.login_title":            {"登录", "Sign in"},
	"staff.email":                  {"邮箱", "Email"},
	"staff.export":                 {"导出 Excel", "Export to Excel"},
	"staff.disabled":               {"停用", "Inactive"},
	"staff.password":               {"密码", "Password"},
	"staff.login":                  {"登录", "Sign in"},
	"staff.list_title":             {"员工管理", "Staff"},
	"staff.name":                   {"姓名", "Name"},
	"staff.mobile":                 {"手机号", "Mobile"},
	"staff.department":             {"部门", "Department"},
	"staff.role":                   {"角色", "Role"},
	"staff.status":                 {"状态", "Status"},
	"staff.active":                 {"启用", "Active"},
	"staff.inactive_badge":         {"已停用", "Deactivated"},
	"staff.all":                    {"全部", "All"},
	"staff.filter":                 {"筛选", "Filter"},
	"staff.new":                    {"新增员工", "Add staff user"},
	"staff.create":                 {"创建", "Create"},
	"staff.edit_title":             {"员工：%s", "Staff user: %s"},
	"staff.save":                   {"保存", "Save"},
	"staff.saved":                  {"已保存", "Saved"},
	"staff.reset_password":         {"重置密码", "Reset password"},
	"staff.new_password":           {"新密码", "New password"},
	"staff.password_changed":       {"密码已修改", "Password changed"},
	"staff.current_password":       {"当前密码", "Current password"},
	"staff.change_password":        {"修改密码", "Change password"},
	"staff.account_title":          {"我的账号", "My account"},
	"staff.empty":                  {"没有符合条件的员工", "No staff users match"},
	"staff.next":                   {"下一页", "Next page"},
	"staff.created_at":             {"创建时间", "Created"},
	"staff.view":                   {"查看", "Open"},
}
