package platform

import (
	"slices"
	"sort"
	"sync"
)

// Role is a staff role. Each staff user has exactly one.
type Role string

// The staff roles. Owner holds every permission; the others hold what the
// permission declarations grant them.
const (
	RoleOwner     Role = "owner"
	RoleAdmin     Role = "admin"
	RoleCatalog   Role = "catalog"
	RoleMarketing Role = "marketing"
	RoleService   Role = "service"
	RoleSupply    Role = "supply"
	RoleAnalyst   Role = "analyst" // read-only data
)

// StaffRoles lists every role, most powerful first.
var StaffRoles = []Role{RoleOwner, RoleAdmin, RoleCatalog, RoleMarketing, RoleService, RoleSupply, RoleAnalyst}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(StaffRoles, r) }

// Permission names one thing a staff user may do, "<domain>.<action>",
// e.g. "audit.view", "staff.manage".
type Permission string

// PermissionDef declares a permission, its label and the roles (besides
// owner) that hold it.
type PermissionDef struct {
	Perm  Permission
	Label Message
	Roles []Role
}

var (
	permMu sync.RWMutex
	perms  = map[Permission]PermissionDef{}
)

// RegisterPermissions adds a domain's permissions to the matrix. Declaring
// one again with a different definition panics at start-up; the same
// definition again is a no-op (an app built twice in one test process).
func RegisterPermissions(defs ...PermissionDef) {
	permMu.Lock()
	defer permMu.Unlock()
	for _, d := range defs {
		if old, ok := perms[d.Perm]; ok {
			if old.Label == d.Label && slices.Equal(old.Roles, d.Roles) {
				continue
			}
			panic("platform: permission " + string(d.Perm) + " declared twice")
		}
		perms[d.Perm] = d
	}
}

// Can reports whether role holds perm. Unknown permissions are held by the
// owner only, so a route guarded by a typo is closed, not open.
func Can(role Role, perm Permission) bool {
	if role == RoleOwner {
		return true
	}
	permMu.RLock()
	d, ok := perms[perm]
	permMu.RUnlock()
	return ok && slices.Contains(d.Roles, role)
}

// Permissions lists every declared permission, sorted by name.
func Permissions() []PermissionDef {
	permMu.RLock()
	defer permMu.RUnlock()
	out := make([]PermissionDef, 0, len(perms))
	for _, d := range perms {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Perm < out[j].Perm })
	return out
}

// PermissionDeclared reports whether perm was registered.
func PermissionDeclared(perm Permission) bool {
	permMu.RLock()
	defer permMu.RUnlock()
	_, ok := perms[perm]
	return ok
}

func init() {
	RegisterMessages(map[string]Message{
		"role.owner":     {"店主", "Owner"},
		"role.admin":     {"管理员", "Administrator"},
		"role.catalog":   {"商品运营", "Catalog"},
		"role.marketing": {"营销推广", "Marketing"},
		"role.service":   {"客户服务", "Customer service"},
		"role.supply":    {"供应链", "Supply chain"},
		"role.analyst":   {"数据分析（只读）", "Analyst (read-only)"},
	})
}

// PermPII shows personal data (phone, email, address) unmasked. The staff
// domain declares which roles hold it; any domain that shows personal data
// checks it.
const PermPII Permission = "pii.view"

// MaskPhone hides the middle of a mobile number: 13812345678 → 138****5678.
func MaskPhone(s string) string {
	r := []rune(s)
	if len(r) < 7 {
		return maskAll(r)
	}
	return string(r[:3]) + "****" + string(r[len(r)-4:])
}

// MaskEmail keeps the first letter and the domain: a***@example.com.
func MaskEmail(s string) string {
	r := []rune(s)
	at := slices.Index(r, '@')
	if at <= 0 {
		return maskAll(r)
	}
	return string(r[:1]) + "***" + string(r[at:])
}

// MaskText keeps the first character of a name or address: 张** .
func MaskText(s string) string {
	r := []rune(s)
	if len(r) <= 1 {
		return "*"
	}
	return string(r[:1]) + "**"
}

func maskAll(r []rune) string {
	if len(r) == 0 {
		return ""
	}
	return "****"
}
