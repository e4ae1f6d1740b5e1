package analytics_test

import (
	"strings"
	"testing"

	"storeops/internal/analytics"
	"storeops/internal/order"
)

// TestCountedSQL keeps the SQL filter equal to order.Status.Counted.
func TestCountedSQL(t *testing.T) {
	for _, s := range order.Statuses {
		excluded := strings.Contains(analytics.CountedSQL, "'"+string(s)+"'")
		if excluded == s.Counted() {
			t.Errorf("status %s: Counted() = %v but the SQL filter excludes it: %v", s, s.Counted(), excluded)
		}
	}
}
