package promotion

import (
	"net/url"
	"testing"

	"storeops/internal/platform"
)

// FuzzForms: any posted form (or preview query) is a value or a 422 with
// field errors, never a panic or a server error.
func FuzzForms(f *testing.F) {
	for _, s := range []string{
		"name=x&kind=tiered&steps=300:50,500:100",
		"name=x&kind=bundle&items=1:2,3:1&price=99.5",
		"kind=percent_off&percent=20&starts_at=2026-11-11T00:00&hours.from=20:00&hours.to=02:00&hours.weekdays=5,6",
		"kind=amount&amount=-1&min_spend=1e9&not_with=a",
		"lines=1:2&coupon_codes=A,B&with_rules=x&shipping=¥1,000",
		"steps=：：&items=:&lines=9999999999999999999999:1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		v, err := url.ParseQuery(q)
		if err != nil {
			return
		}
		check := func(err error) {
			if err != nil && platform.AsError(err).Code.Status() != 422 {
				t.Fatalf("%q: %v", q, err)
			}
		}
		r, err := ruleFromForm(v)
		check(err)
		if err == nil {
			r.ID = 1
			check(r.Validate())
			_ = ruleForm(r)
		}
		b, err := batchFromForm(v)
		check(err)
		if err == nil {
			b.ID = 1
			check(b.Validate())
			_ = batchForm(b)
		}
		p, err := previewFromForm(v)
		check(err)
		if err == nil {
			check(p.validate())
		}
	})
}
