package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strings"
	"time"

	"storeops/internal/platform"
)

//go:embed templates
var ownTemplates embed.FS

// MenuItem is one console navigation entry a module contributes.
type MenuItem struct {
	Section string // message key of the group heading, e.g. "nav.system"
	Label   string // message key
	Path    string
	Perm    platform.Permission
	Order   int
}

// NavSection is a heading with the entries the viewer may open.
type NavSection struct {
	Label string
	Items []NavLink
}

// NavLink is one rendered entry.
type NavLink struct {
	Label  string
	Path   string
	Active bool
}

// View is what every page template receives: the page's own typed data in
// Data, plus what the layout needs.
type View struct {
	Lang      platform.Lang
	Title     string
	Principal *Principal
	Nav       []NavSection
	Path      string
	Data      any
	Flash     string
	RequestID string
}

// T translates a message key in the page's language.
func (v View) T(key string, args ...any) string { return platform.T(v.Lang, key, args...) }

// EN reports whether the page is in English.
func (v View) EN() bool { return v.Lang == platform.EN }

// Can reports whether the viewer holds perm (to hide buttons they could
// not use; the route checks again).
func (v View) Can(perm string) bool { return v.Principal.Can(platform.Permission(perm)) }

// Renderer holds every page template, parsed once at start-up.
type Renderer struct {
	pages  map[string]*template.Template
	static *Static
	menu   []MenuItem
}

// RendererConfig lists what modules contribute.
type RendererConfig struct {
	// Pages are modules' template folders. Each *.html file is a page
	// named by its path without .html ("staff/list"); it defines "title"
	// and "content" (and optionally "head").
	Pages  []fs.FS
	Static *Static
	Menu   []MenuItem
}

// Funcs are the template helpers every page can use.
func Funcs(static *Static) template.FuncMap {
	return template.FuncMap{
		"asset":     static.URL,
		"money":     func(fen int64) string { return platform.Money(fen).String() },
		"maskPhone": platform.MaskPhone,
		"maskEmail": platform.MaskEmail,
		"maskText":  platform.MaskText,
		"join":      strings.Join,
		"add":       func(a, b int) int { return a + b },
		"roleLabel": func(lang platform.Lang, r platform.Role) string { return platform.T(lang, "role."+string(r)) },
		"hasPrefix": strings.HasPrefix,
		"shopTime":  shopTime,
	}
}

// shopTime shows a time (or a *time.Time, nil as "") in the shop's zone.
func shopTime(v any) string {
	switch t := v.(type) {
	case time.Time:
		return t.In(platform.ShopZone).Format("2006-01-02 15:04")
	case *time.Time:
		if t != nil {
			return t.In(platform.ShopZone).Format("2006-01-02 15:04")
		}
	}
	return ""
}

// NewRenderer parses the layouts and every page. A template error panics
// at start-up, never at request time.
func NewRenderer(cfg RendererConfig) (*Renderer, error) {
	rd := &Renderer{pages: map[string]*template.Template{}, static: cfg.Static, menu: cfg.Menu}
	base, err := template.New("").Funcs(Funcs(cfg.Static)).ParseFS(ownTemplates, "templates/layout/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: layouts: %w", err)
	}
	sources := append([]fs.FS{mustSub(ownTemplates, "templates/pages")}, cfg.Pages...)
	for _, src := range sources {
		err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
				return err
			}
			name := strings.TrimSuffix(p, ".html")
			if _, dup := rd.pages[name]; dup {
				return fmt.Errorf("web: page %s defined twice", name)
			}
			text, err := fs.ReadFile(src, p)
			if err != nil {
				return err
			}
			t, err := template.Must(base.Clone()).New(path.Base(p)).Parse(string(text))
			if err != nil {
				return fmt.Errorf("web: page %s: %w", name, err)
			}
			rd.pages[name] = t
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return rd, nil
}

func mustSub(f fs.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return s
}

// Has reports whether a page exists (for the template test).
func (rd *Renderer) Has(name string) bool { _, ok := rd.pages[name]; return ok }

// PageNames lists every parsed page.
func (rd *Renderer) PageNames() []string {
	out := make([]string, 0, len(rd.pages))
	for n := range rd.pages {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Render writes page name with data. A console page requested by htmx
// (HX-Request) gets only its "content" block; anything else gets the full
// layout ("console" for /console, "shop" otherwise). Rendering goes to a
// buffer first so a template error becomes a clean 500, not half a page.
func (rd *Renderer) Render(w http.ResponseWriter, r *http.Request, status int, name string, data any) error {
	t, ok := rd.pages[name]
	if !ok {
		return fmt.Errorf("web: no page %q", name)
	}
	v := rd.View(r, data)
	entry := "shop"
	if strings.HasPrefix(r.URL.Path, "/console") {
		entry = "console"
	}
	if r.Header.Get("HX-Request") != "" && r.Header.Get("HX-Boosted") == "" {
		entry = "content"
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, entry, v); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", string(v.Lang))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	if entry != "shop" {
		h.Set("Cache-Control", "no-store")
		h.Set("X-Frame-Options", "DENY")
	}
	h.Add("Vary", "Cookie, Accept-Language, HX-Request")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// View builds the layout data for a request.
func (rd *Renderer) View(r *http.Request, data any) View {
	p := PrincipalFrom(r.Context())
	v := View{Lang: LangOf(r), Principal: p, Path: r.URL.Path, Data: data, RequestID: RequestID(r.Context())}
	if strings.HasPrefix(r.URL.Path, "/console") {
		v.Nav = rd.nav(v.Lang, p, r.URL.Path)
	}
	return v
}

// nav builds the menu the viewer may open, grouped by section in the order
// modules registered them.
func (rd *Renderer) nav(lang platform.Lang, p *Principal, current string) []NavSection {
	var out []NavSection
	index := map[string]int{}
	items := append([]MenuItem(nil), rd.menu...)
	sort.SliceStable(items, func(i, j int) bool { return items[i].Order < items[j].Order })
	for _, m := range items {
		if !p.Can(m.Perm) {
			continue
		}
		i, ok := index[m.Section]
		if !ok {
			i = len(out)
			index[m.Section] = i
			out = append(out, NavSection{Label: platform.T(lang, m.Section)})
		}
		active := current == m.Path || (m.Path != "/console" && strings.HasPrefix(current, m.Path+"/"))
		out[i].Items = append(out[i].Items, NavLink{Label: platform.T(lang, m.Label), Path: m.Path, Active: active})
	}
	return out
}

// ErrorPage renders a friendly error page for the storefront or console.
func (rd *Renderer) ErrorPage(w http.ResponseWriter, r *http.Request, surface Surface, status int, e *platform.Error) {
	data := ErrorData{Status: status, Code: string(e.Code), Message: e.Message(LangOf(r))}
	if err := rd.Render(w, r, status, "error", data); err != nil {
		http.Error(w, data.Message, status)
	}
}

// ErrorData is the error page's data.
type ErrorData struct {
	Status  int
	Code    string
	Message string
}
