package analytics

import "testing"

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
