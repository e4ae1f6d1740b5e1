package invoice

import (
	"testing"
	"unicode/utf8"
)

// Any input is either accepted, normalised so that validating it again
// changes nothing, or refused with field errors; never a panic.
func FuzzInputValidate(f *testing.F) {
	f.Add("company", "某某有限公司", "91350100m000100y43", "ap@example.com")
	f.Add("personal", " 张三 ", "", "")
	f.Add("company", "", "9144030071526726XH", "not an email")
	f.Add("x", "\x00", "９１３５０１００Ｍ０００１００Ｙ４３", "@")
	f.Fuzz(func(t *testing.T, kind, title, taxNo, email string) {
		in := Input{TitleType: TitleType(kind), Title: title, TaxNo: taxNo, Email: email}
		if err := in.Validate(); err != nil {
			return
		}
		if in.TaxNo != "" && !ValidTaxNo(in.TaxNo) || in.TitleType == Company && in.TaxNo == "" || in.Title == "" || utf8.RuneCountInString(in.Title) > maxTitle {
			t.Fatalf("accepted %+v", in)
		}
		again := in
		if err := again.Validate(); err != nil || again != in {
			t.Fatalf("validating %+v again: %+v, %v", in, again, err)
		}
	})
}
