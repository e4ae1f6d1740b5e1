// Package region is mainland China's administrative divisions (GB/T 2260)
// down to the county level, from the china-division dataset
// (pca-code.json, WTFPL; see china-division.LICENSE.txt).
//
// The dataset has three levels: provinces ("11"), cities ("1101") and
// districts ("110101"). The four municipalities keep the standard's
// placeholder city level: 北京市 → 市辖区 (1101) → 东城区 (110101), and
// 重庆市 has both 市辖区 (5001) and 县 (5002). The few cities without
// districts (东莞市, 中山市, 儋州市, 嘉峪关市) list their towns instead,
// with nine-digit codes (441900003 东城街道).
//
// Lookups accept the dataset's short codes or the six-digit form
// ("11" or "110000", "1101" or "110100") and answer with six-digit codes
// (nine for towns).
package region

import (
	_ "embed"
	"encoding/json"
	"slices"
	"strings"
	"sync"
)

//go:embed pca-code.json
var pcaJSON []byte

// Division is one province, city or district.
type Division struct {
	// Code is the six-digit GB/T 2260 code (nine digits for the towns
	// standing in for districts).
	Code string
	Name string
	// Parent is the enclosing division's code; "" for a province.
	Parent string
}

type node struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Children []node `json:"children"`
}

type tables struct {
	provinces, cities, districts map[string]Division
	// children lists each province's cities and each city's districts,
	// in code order.
	children map[string][]Division
}

var load = sync.OnceValue(func() *tables {
	var root []node
	if err := json.Unmarshal(pcaJSON, &root); err != nil {
		panic("region: embedded pca-code.json: " + err.Error())
	}
	t := &tables{provinces: map[string]Division{}, cities: map[string]Division{}, districts: map[string]Division{}, children: map[string][]Division{}}
	for _, p := range root {
		pc := full(p.Code)
		t.provinces[pc] = Division{Code: pc, Name: p.Name}
		for _, c := range p.Children {
			cc := full(c.Code)
			t.cities[cc] = Division{Code: cc, Name: c.Name, Parent: pc}
			t.children[pc] = append(t.children[pc], t.cities[cc])
			for _, d := range c.Children {
				dc := full(d.Code)
				t.districts[dc] = Division{Code: dc, Name: d.Name, Parent: cc}
				t.children[cc] = append(t.children[cc], t.districts[dc])
			}
		}
	}
	return t
})

// full pads a short province or city code to six digits.
func full(code string) string {
	if len(code) < 6 {
		return code + strings.Repeat("0", 6-len(code))
	}
	return code
}

// lookup finds code, given in short form (short digits) or six-digit form.
func lookup(m map[string]Division, code string, short int) (Division, bool) {
	if len(code) == short {
		code = full(code)
	}
	d, ok := m[code]
	return d, ok
}

// Province returns the province of code ("11" or "110000").
func Province(code string) (Division, bool) { return lookup(load().provinces, code, 2) }

// Provinces lists the provinces in code order (for a picker).
func Provinces() []Division {
	out := make([]Division, 0, len(load().provinces))
	for _, d := range load().provinces {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b Division) int { return strings.Compare(a.Code, b.Code) })
	return out
}

// Children lists the cities of a province or the districts of a city
// (six-digit codes), in code order; nil for anything else.
func Children(code string) []Division {
	return slices.Clone(load().children[code])
}

// City returns the city of code ("1101" or "110100").
func City(code string) (Division, bool) { return lookup(load().cities, code, 4) }

// District returns the district of code ("110101"), or the town of a
// city without districts ("441900003").
func District(code string) (Division, bool) { return lookup(load().districts, code, 6) }
