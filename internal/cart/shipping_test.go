package cart

import (
	"testing"

	"storeops/internal/platform"
)

func TestRulesQuote(t *testing.T) {
	var r Rules
	for _, c := range []struct {
		name string
		p    Parcel
		fee  platform.Money
		rule string
	}{
		{"below the threshold", Parcel{ProvinceCode: "310000", Items: 9899}, 800, "standard"},
		{"at the threshold", Parcel{ProvinceCode: "310000", Items: 9900}, 0, "free"},
		{"unknown province counts as near", Parcel{Items: 5000}, 800, "standard"},
		{"remote below the threshold", Parcel{ProvinceCode: "540000", Items: 5000}, 1500, "remote"},
		{"remote above the threshold", Parcel{ProvinceCode: "650000", Items: 12000}, 0, "free"},
		{"cold chain below its threshold", Parcel{ProvinceCode: "310000", Items: 15000, Cold: true}, 1800, "cold"},
		{"cold chain at its threshold", Parcel{ProvinceCode: "540000", Items: 19900, Cold: true}, 0, "free"},
	} {
		got := r.Quote(c.p)
		if got.Fee != c.fee || got.Rule != c.rule {
			t.Errorf("%s: got %d (%s), want %d (%s)", c.name, got.Fee, got.Rule, c.fee, c.rule)
		}
	}
	custom := Rules{FreeOver: 5000, Fee: 600, RemoteProvinces: []string{"110000"}}
	if got := custom.Quote(Parcel{ProvinceCode: "110000", Items: 4999}); got.Fee != 1500 || got.FreeOver != 5000 {
		t.Errorf("custom remote: %+v", got)
	}
	if got := custom.Quote(Parcel{ProvinceCode: "540000", Items: 100}); got.Fee != 600 {
		t.Errorf("custom table keeps 西藏 out of its remote list: %+v", got)
	}
}
