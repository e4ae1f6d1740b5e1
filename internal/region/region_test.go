package region

import "testing"

func TestLookup(t *testing.T) {
	cases := []struct {
		level          func(string) (Division, bool)
		code           string
		ok             bool
		wantCode, name string
		parent         string
	}{
		{Province, "11", true, "110000", "北京市", ""},
		{Province, "110000", true, "110000", "北京市", ""},
		{Province, "990000", false, "", "", ""},
		{Province, "1101", false, "", "", ""},
		{City, "1101", true, "110100", "市辖区", "110000"},
		{City, "500200", true, "500200", "县", "500000"},
		{City, "330100", true, "330100", "杭州市", "330000"},
		{City, "110000", false, "", "", ""},
		{District, "110101", true, "110101", "东城区", "110100"},
		{District, "110199", false, "", "", ""},
		{District, "441900003", true, "441900003", "东城街道", "441900"},
		{District, "1101", false, "", "", ""},
		{District, "", false, "", "", ""},
	}
	for _, c := range cases {
		d, ok := c.level(c.code)
		if ok != c.ok || ok && (d.Code != c.wantCode || d.Name != c.name || d.Parent != c.parent) {
			t.Errorf("lookup %q = %+v, %v; want %s %s parent %q, %v", c.code, d, ok, c.wantCode, c.name, c.parent, c.ok)
		}
	}
	if n := len(load().provinces); n != 31 {
		t.Errorf("%d provinces, want 31", n)
	}
}

func TestChildren(t *testing.T) {
	cities := Children("440000")
	if len(cities) < 20 || cities[0].Parent != "440000" {
		t.Fatalf("广东's cities: %d %+v", len(cities), cities[:1])
	}
	found := false
	for _, c := range cities {
		if c.Name == "深圳市" {
			found = true
			if ds := Children(c.Code); len(ds) < 5 || ds[0].Parent != c.Code {
				t.Errorf("深圳's districts: %+v", ds)
			}
		}
	}
	if !found {
		t.Errorf("深圳市 is not among 广东's cities")
	}
	if Children("110101") != nil || Children("nope") != nil {
		t.Errorf("a district or nonsense has children")
	}
	if len(Provinces()) != 31 {
		t.Errorf("%d provinces, want the 31 of the mainland", len(Provinces()))
	}
}
