package loyalty

import (
	"testing"

	"storeops/internal/platform"
)

// The console's yuan fields never panic and, when accepted, read back
// as they were written.
func FuzzParseYuan(f *testing.F) {
	for _, s := range []string{"0", "12.5", "800.50", "-1", "1e9", " 3.07 ", "9999999999999", ".5", "1."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := platform.E(platform.CodeInvalid)
		m := parseYuan("x", s, e)
		if len(e.Fields) > 0 {
			return
		}
		if m < 0 {
			t.Fatalf("%q read as %d", s, m)
		}
		e2 := platform.E(platform.CodeInvalid)
		if back := parseYuan("x", yuan(m), e2); back != m || len(e2.Fields) > 0 {
			t.Fatalf("%q → %d → %q → %d", s, m, yuan(m), back)
		}
	})
}

// Adjustments and tiers from any input validate without panicking, and
// what passes is in range.
func FuzzValidate(f *testing.F) {
	f.Add(int64(5), "原因", "gold", "金卡", 50)
	f.Add(int64(0), "", "", "", -1)
	f.Fuzz(func(t *testing.T, pts int64, reason, code, name string, pct int) {
		in := AdjustInput{Points: pts, Reason: reason}
		if in.Validate() == nil && (in.Points == 0 || in.Points > MaxAdjust || in.Points < -MaxAdjust || in.Reason == "") {
			t.Fatalf("accepted %+v", in)
		}
		tr := Tier{Code: code, NameZH: name, NameEN: name, PercentOff: pct, PointsMultiplier: 100}
		if tr.Validate() == nil && (tr.PercentOff < 0 || tr.PercentOff > 50 || !tierCode.MatchString(tr.Code)) {
			t.Fatalf("accepted %+v", tr)
		}
	})
}
