package audit

import (
	"encoding/json"
	"net"
	"net/http"
	"strings"

	"storeops/internal/platform"
	"storeops/internal/web"
)

// piiFields are the snapshot fields that hold personal data; a viewer
// without platform.PermPII sees them masked, as everywhere in the console.
var piiFields = map[string]func(string) string{
	"email":     platform.MaskEmail,
	"mobile":    platform.MaskPhone,
	"phone":     platform.MaskPhone,
	"recipient": platform.MaskText,
	"detail":    platform.MaskText,
	"address":   platform.MaskText,
	"id_number": platform.MaskText,
}

// maskFor returns items as the viewer of r may see them: unchanged with
// PermPII, else with the actor's email and IP and every personal field of
// the snapshots masked.
func maskFor(r *http.Request, items []Item) []Item {
	if web.PrincipalFrom(r.Context()).Can(platform.PermPII) {
		return items
	}
	out := make([]Item, len(items))
	for i, it := range items {
		it.ActorEmail = maskIfSet(it.ActorEmail, platform.MaskEmail)
		it.IP = maskIP(it.IP)
		it.Before = maskSnapshot(it.Before)
		it.After = maskSnapshot(it.After)
		out[i] = it
	}
	return out
}

func maskIfSet(s string, mask func(string) string) string {
	if s == "" {
		return ""
	}
	return mask(s)
}

// maskIP keeps the network, hides the host: 10.1.*.* or 2001:db8:*.
func maskIP(s string) string {
	ip := net.ParseIP(s)
	switch {
	case s == "":
		return ""
	case ip == nil:
		return "*"
	case ip.To4() != nil:
		parts := strings.Split(ip.To4().String(), ".")
		return parts[0] + "." + parts[1] + ".*.*"
	}
	parts := strings.Split(ip.String(), ":")
	if len(parts) > 2 {
		parts = parts[:2]
	}
	return strings.Join(parts, ":") + ":*"
}

// maskSnapshot masks the personal fields of a JSON object snapshot; other
// values (and non-objects) pass unchanged.
func maskSnapshot(raw json.RawMessage) json.RawMessage {
	m, ok := object(raw)
	if !ok || m == nil {
		return raw
	}
	changed := false
	for k, v := range m {
		mask, personal := piiFields[k]
		if !personal {
			continue
		}
		var s string
		if json.Unmarshal(v, &s) != nil || s == "" {
			continue
		}
		m[k], _ = json.Marshal(mask(s))
		changed = true
	}
	if !changed {
		return raw
	}
	b, err := json.Marshal(m)
	if err != nil {
		return raw
	}
	return b
}
