package customer_test

import (
	"testing"
	"time"

	"storeops/internal/customer"
	"storeops/internal/platform"
)

// FuzzProfileInput: any profile input is accepted or refused with field
// errors, never a panic, and what is accepted is normalised.
func FuzzProfileInput(f *testing.F) {
	f.Add("小红", "female", "1990-05-17", "zh-CN")
	f.Add("<script>", "x", "2999-99-99", "fr")
	f.Add("", "", "", "")
	today := time.Date(2026, 11, 20, 0, 0, 0, 0, platform.ShopZone)
	f.Fuzz(func(t *testing.T, name, gender, birthday, lang string) {
		in := customer.ProfileInput{Name: name, Gender: gender, Birthday: birthday, Lang: lang}
		err := in.Validate(today)
		if err != nil {
			if platform.ErrorCode(err) != platform.CodeInvalid {
				t.Fatalf("error %v is not a field error", err)
			}
			return
		}
		if in.Lang != string(platform.ZH) && in.Lang != string(platform.EN) {
			t.Fatalf("accepted lang %q", in.Lang)
		}
		if in.Birthday != "" {
			if d, err := time.Parse(time.DateOnly, in.Birthday); err != nil || d.After(today) {
				t.Fatalf("accepted birthday %q", in.Birthday)
			}
		}
	})
}
