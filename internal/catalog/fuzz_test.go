package catalog_test

import (
	"bytes"
	"testing"

	"storeops/internal/catalog"
	"storeops/internal/platform"
)

// The import parser never panics, and whatever it refuses it refuses as
// an invalid file.
func FuzzParseImport(f *testing.F) {
	f.Add([]byte(importCSV))
	f.Add([]byte("SKU编码,规格\nA,颜色=黑\n"))
	f.Add([]byte("sku_code\n\"a\"\"b\"\n"))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := catalog.ParseImport(bytes.NewReader(data), catalog.FormatOf("", data))
		if err != nil {
			if platform.AsError(err).Code != platform.CodeInvalid {
				t.Fatalf("refused with %v", err)
			}
			return
		}
		for _, r := range rows {
			if r.Line < 2 {
				t.Fatalf("line %d", r.Line)
			}
			catalog.ParseAttrText(r.Get(catalog.ColSpec))
		}
	})
}

// Attribute text written by AttrText reads back the same.
func FuzzAttrText(f *testing.F) {
	f.Add("颜色", "黑色")
	f.Fuzz(func(t *testing.T, name, value string) {
		attrs, ok := catalog.ParseAttrText(name + "=" + value)
		if !ok || len(attrs) == 0 {
			return
		}
		back, ok := catalog.ParseAttrText(catalog.AttrText(attrs))
		if !ok || len(back) != len(attrs) {
			t.Fatalf("%q → %q → %q", name+"="+value, catalog.AttrText(attrs), back)
		}
	})
}
