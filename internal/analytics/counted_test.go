package analytics

import (
	"strings"
	"testing"

	"storeops/internal/order"
)

// TestCountedSQL keeps the SQL filter equal to order.Status.Counted.
func TestCountedSQL(t *testing.T) {
	for _, s := range order.Statuses {
		excluded := strings.Contains(countedSQL, "'"+string(s)+"'")
		if excluded == s.Counted() {
			t.Errorf("status %s: Counted() = %v but the SQL filter excludes it: %v", s, s.Counted(), excluded)
		}
	}
}

func TestMulDivAndDelta(t *testing.T) {
	if got := mulDiv(7, 1, 2); got != 4 {
		t.Errorf("7/2 = %d", got)
	}
	if got := mulDiv(-7, 1, 2); got != -4 {
		t.Errorf("-7/2 = %d", got)
	}
	if bp, ok := DeltaBP(150, 100); !ok || bp != 5000 {
		t.Errorf("delta %d %v", bp, ok)
	}
	if bp, ok := DeltaBP(-50, -100); !ok || bp != 5000 {
		t.Errorf("delta of negatives %d %v", bp, ok)
	}
	if _, ok := DeltaBP(1, 0); ok {
		t.Error("delta over zero")
	}
}
