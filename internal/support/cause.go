package support

import "slices"

// Cause is a contact reason from the fixed list the report groups by,
// and what it points at so the shop can fix the source: a product, a
// carrier or a policy.
type Cause struct {
	Key    string
	Target string // product, carrier, policy or ""
}

// Causes is the list agents choose from. Keys never change (reports
// group by them); labels are messages "support.cause.<key>".
var Causes = []Cause{
	{"product.quality", "product"},
	{"product.mismatch", "product"},
	{"product.question", "product"},
	{"logistics.delay", "carrier"},
	{"logistics.damage", "carrier"},
	{"logistics.lost", "carrier"},
	{"order.change", ""},
	{"payment.issue", ""},
	{"refund.progress", "policy"},
	{"return.policy", "policy"},
	{"promo.rules", "policy"},
	{"service.attitude", ""},
	{"account.issue", ""},
	{"suggestion.feature", ""},
	{"other", ""},
}

// Label is the cause's message key.
func (c Cause) Label() string { return "support.cause." + c.Key }

func validCause(key string) bool {
	return slices.ContainsFunc(Causes, func(c Cause) bool { return c.Key == key })
}

// CauseOf is the cause with key, or a cause with no target.
func CauseOf(key string) Cause {
	for _, c := range Causes {
		if c.Key == key {
			return c
		}
	}
	return Cause{Key: key}
}
