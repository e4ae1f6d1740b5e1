package web

import (
	"net/url"
	"strings"
)

// LocalPath returns p when it is a path on this site, else def, so a
// redirect target from a form or a ?next= parameter can never send the
// user elsewhere ("//evil.example", "/\evil.example", "https://…").
func LocalPath(p, def string) string {
	if p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return def
	}
	u, err := url.Parse(p)
	if err != nil || u.IsAbs() || u.Host != "" {
		return def
	}
	return p
}
