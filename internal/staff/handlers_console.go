package staff

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"storeops/internal/platform"
	"storeops/internal/web"
)

// Option is one choice of a select.
type Option struct {
	Value    string
	Label    string
	Selected bool
}

func departmentOptions(lang platform.Lang, selected string, all bool) []Option {
	var out []Option
	if all {
		out = append(out, Option{Value: "", Label: platform.T(lang, "staff.all"), Selected: selected == ""})
	}
	for _, d := range Departments {
		out = append(out, Option{Value: string(d), Label: platform.T(lang, "dept."+string(d)), Selected: selected == string(d)})
	}
	return out
}

// roleOptions lists the roles; for a non-owner the privileged ones are
// left out of forms (they could not grant them).
func roleOptions(lang platform.Lang, selected string, all bool, viewer platform.Role) []Option {
	var out []Option
	if all {
		out = append(out, Option{Value: "", Label: platform.T(lang, "staff.all"), Selected: selected == ""})
	}
	for _, r := range platform.StaffRoles {
		if !all && viewer != platform.RoleOwner && privileged(r) && string(r) != selected {
			continue
		}
		out = append(out, Option{Value: string(r), Label: platform.T(lang, "role."+string(r)), Selected: selected == string(r)})
	}
	return out
}

// ListData is the staff list's view data.
type ListData struct {
	Rows        []Row
	Departments []Option
	Roles       []Option
	Error       string
	NextURL     string
	ExportURL   string
}

// export writes every staff user matching the filter as XLSX, personal
// data masked as on the page.
func (h *handlers) export(w http.ResponseWriter, r *http.Request, f Filter) error {
	lang := web.LangOf(r)
	p := web.PrincipalFrom(r.Context())
	t := &web.Table{ID: "staff-table", Name: "staff", Title: "staff.list_title", Columns: []web.Column{
		{Key: "staff.name", Kind: web.ColText}, {Key: "staff.email", Kind: web.ColText}, {Key: "staff.mobile", Kind: web.ColText},
		{Key: "staff.department", Kind: web.ColText}, {Key: "staff.role", Kind: web.ColText}, {Key: "staff.status", Kind: web.ColText},
		{Key: "staff.created_at", Kind: web.ColDate},
	}}
	f.Page = platform.PageRequest{Limit: platform.MaxPageSize}
	for {
		page, err := h.s.List(r.Context(), f)
		if err != nil {
			return err
		}
		for _, u := range page.Items {
			status := "staff.active"
			if !u.Active {
				status = "staff.disabled"
			}
			t.Append(web.TextCell(u.Name), web.TextCell(Email(p, u.Email)), web.TextCell(Phone(p, u.Mobile)),
				web.TextCell(platform.T(lang, "dept."+string(u.Department))), web.TextCell(platform.T(lang, "role."+string(u.Role))),
				web.TextCell(platform.T(lang, status)), web.DateCell(u.CreatedAt))
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

// Row is one staff user as the list shows them, personal data masked for
// viewers without pii.view.
type Row struct {
	ID         platform.ID
	Email      string
	Name       string
	Mobile     string
	Department string
	Role       platform.Role
	Active     bool
	CreatedAt  time.Time
}

func (h *handlers) list(w http.ResponseWriter, r *http.Request) error {
	lang := web.LangOf(r)
	p := web.PrincipalFrom(r.Context())
	q := r.URL.Query()
	data := ListData{
		Departments: departmentOptions(lang, q.Get("department"), true),
		Roles:       roleOptions(lang, q.Get("role"), true, p.Role),
	}
	f, err := filterOf(r)
	if err != nil {
		data.Error = platform.AsError(err).Message(lang)
		return h.rd.Render(w, r, platform.AsError(err).Code.Status(), "staff/list", data)
	}
	if web.WantsXLSX(r, "staff-table") {
		return h.export(w, r, f)
	}
	data.ExportURL = (&web.Table{ID: "staff-table"}).ExportURL(r)
	page, err := h.s.List(r.Context(), f)
	if err != nil {
		return err
	}
	for _, u := range page.Items {
		data.Rows = append(data.Rows, Row{ID: u.ID, Email: Email(p, u.Email), Name: u.Name, Mobile: Phone(p, u.Mobile),
			Department: platform.T(lang, "dept."+string(u.Department)), Role: u.Role, Active: u.Active, CreatedAt: u.CreatedAt})
	}
	if page.NextCursor != "" {
		nq := url.Values{}
		for _, k := range []string{"department", "role", "limit"} {
			if v := q.Get(k); v != "" {
				nq.Set(k, v)
			}
		}
		nq.Set("cursor", page.NextCursor)
		data.NextURL = "/console/staff?" + nq.Encode()
	}
	return h.rd.Render(w, r, http.StatusOK, "staff/list", data)
}

// FormData is the view data of the new and edit pages.
type FormData struct {
	IsNew       bool
	ID          platform.ID
	Email       string
	Name        string
	Mobile      string
	Department  string
	Role        platform.Role
	Active      bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Departments []Option
	Roles       []Option
	CanManage   bool
	Error       string
	FieldErrors map[string]string
	Flash       string
}

func (h *handlers) formData(r *http.Request, fd FormData) FormData {
	lang := web.LangOf(r)
	p := web.PrincipalFrom(r.Context())
	fd.Departments = departmentOptions(lang, fd.Department, false)
	fd.Roles = roleOptions(lang, string(fd.Role), false, p.Role)
	fd.CanManage = p.Can(PermManage)
	if !fd.IsNew {
		fd.Email = Email(p, fd.Email)
		fd.Mobile = Phone(p, fd.Mobile)
	}
	return fd
}

// renderError shows a domain error on the form: field errors beside their
// fields, anything else at the top, with the error's status. Internal
// errors go to the error page.
func (h *handlers) renderError(w http.ResponseWriter, r *http.Request, page string, fd FormData, err error) error {
	e := platform.AsError(err)
	if e.Code.Status() >= 500 || e.Code == platform.CodeNotFound {
		return err
	}
	lang := web.LangOf(r)
	fd.Error = e.Message(lang)
	fd.FieldErrors = map[string]string{}
	for _, f := range e.Fields {
		fd.FieldErrors[f.Field] = platform.T(lang, f.Key, f.Args...)
	}
	return h.rd.Render(w, r, e.Code.Status(), page, h.formData(r, fd))
}

func (h *handlers) newForm(w http.ResponseWriter, r *http.Request) error {
	return h.rd.Render(w, r, http.StatusOK, "staff/new", h.formData(r, FormData{IsNew: true, Active: true,
		Department: string(DeptCatalog), Role: platform.RoleCatalog}))
}

func (h *handlers) create(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	f := r.PostForm
	n := NewUser{Email: f.Get("email"), Name: f.Get("name"), Mobile: f.Get("mobile"), Department: Department(f.Get("department")),
		Role: platform.Role(f.Get("role")), Password: f.Get("password")}
	u, err := h.s.Create(r.Context(), ActingFrom(r), n)
	if err != nil {
		return h.renderError(w, r, "staff/new", FormData{IsNew: true, Email: n.Email, Name: n.Name, Mobile: n.Mobile,
			Department: string(n.Department), Role: n.Role, Active: true}, err)
	}
	http.Redirect(w, r, "/console/staff/"+u.ID.String()+"?saved=1", http.StatusSeeOther)
	return nil
}

func userForm(u User) FormData {
	return FormData{ID: u.ID, Email: u.Email, Name: u.Name, Mobile: u.Mobile, Department: string(u.Department), Role: u.Role,
		Active: u.Active, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt}
}

func (h *handlers) show(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "staff")
	if err != nil {
		return err
	}
	u, err := h.s.Get(r.Context(), id)
	if err != nil {
		return err
	}
	fd := userForm(u)
	switch r.URL.Query().Get("saved") {
	case "1":
		fd.Flash = platform.T(web.LangOf(r), "staff.saved")
	case "password":
		fd.Flash = platform.T(web.LangOf(r), "staff.password_changed")
	}
	return h.rd.Render(w, r, http.StatusOK, "staff/edit", h.formData(r, fd))
}

func (h *handlers) update(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "staff")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	f := r.PostForm
	var up Update
	if _, ok := f["name"]; ok {
		v := f.Get("name")
		up.Name = &v
	}
	if _, ok := f["mobile"]; ok {
		v := f.Get("mobile")
		up.Mobile = &v
	}
	if v := f.Get("department"); v != "" {
		d := Department(v)
		up.Department = &d
	}
	if v := f.Get("role"); v != "" {
		ro := platform.Role(v)
		up.Role = &ro
	}
	// The edit form always sends active_present, so an unticked box
	// means "deactivate"; a form without it leaves the flag alone.
	if f.Get("active_present") == "1" {
		active := f.Get("active") == "1"
		up.Active = &active
	}
	if _, err := h.s.Update(r.Context(), ActingFrom(r), id, up); err != nil {
		u, gerr := h.s.Get(r.Context(), id)
		if gerr != nil {
			return gerr
		}
		return h.renderError(w, r, "staff/edit", userForm(u), err)
	}
	http.Redirect(w, r, "/console/staff/"+id.String()+"?saved=1", http.StatusSeeOther)
	return nil
}

func (h *handlers) resetPassword(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "staff")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	if err := h.s.SetPassword(r.Context(), ActingFrom(r), id, r.PostForm.Get("password")); err != nil {
		u, gerr := h.s.Get(r.Context(), id)
		if gerr != nil {
			return gerr
		}
		return h.renderError(w, r, "staff/edit", userForm(u), err)
	}
	http.Redirect(w, r, "/console/staff/"+id.String()+"?saved=password", http.StatusSeeOther)
	return nil
}

// AccountData is the own-account page's view data.
type AccountData struct {
	Email       string
	Name        string
	Role        platform.Role
	Error       string
	FieldErrors map[string]string
	Flash       string
}

func (h *handlers) account(w http.ResponseWriter, r *http.Request) error {
	p := web.PrincipalFrom(r.Context())
	data := AccountData{Email: p.Email, Name: p.Name, Role: p.Role}
	if r.URL.Query().Get("saved") == "1" {
		data.Flash = platform.T(web.LangOf(r), "staff.password_changed")
	}
	return h.rd.Render(w, r, http.StatusOK, "staff/account", data)
}

func (h *handlers) changePassword(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	p := web.PrincipalFrom(r.Context())
	version, err := h.s.changeOwnPassword(r.Context(), ActingFrom(r), r.PostForm.Get("current"), r.PostForm.Get("password"))
	if err != nil {
		e := platform.AsError(err)
		if e.Code.Status() >= 500 {
			return err
		}
		if secs := RetryAfter(e); secs > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(secs))
		}
		lang := web.LangOf(r)
		data := AccountData{Email: p.Email, Name: p.Name, Role: p.Role, Error: e.Message(lang), FieldErrors: map[string]string{}}
		for _, f := range e.Fields {
			data.FieldErrors[f.Field] = platform.T(lang, f.Key, f.Args...)
		}
		return h.rd.Render(w, r, e.Code.Status(), "staff/account", data)
	}
	if err := h.s.keepSession(w, r, version); err != nil {
		return err
	}
	http.Redirect(w, r, "/console/account?saved=1", http.StatusSeeOther)
	return nil
}
