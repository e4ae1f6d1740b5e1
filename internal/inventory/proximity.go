package inventory

// Allocation prefers the warehouse nearest the delivery address. Distance
// is deliberately coarse, by the seven customary regions of China (GB/T
// 2260 province codes, first two digits):
//
//	0  the warehouse is in the destination province
//	1  same region (华东, 华南, 华中, 华北, 东北, 西南, 西北)
//	2  neighbouring regions (regionNeighbours)
//	3  anything else, or an unknown province
//
// Region-level distance matches how express carriers price and time
// parcels in China (同省, 省内/区域, 跨区) far better than straight-line
// kilometres, and needs no coordinates.

type chinaRegion uint8

const (
	regionUnknown   chinaRegion = iota
	regionEast                  // 华东
	regionSouth                 // 华南
	regionCentral               // 华中
	regionNorth                 // 华北
	regionNortheast             // 东北
	regionSouthwest             // 西南
	regionNorthwest             // 西北
)

// provinceRegion maps a province code's first two digits to its region.
var provinceRegion = map[string]chinaRegion{
	"31": regionEast, "32": regionEast, "33": regionEast, "34": regionEast, "35": regionEast, "36": regionEast, "37": regionEast,
	"44": regionSouth, "45": regionSouth, "46": regionSouth, "71": regionSouth, "81": regionSouth, "82": regionSouth,
	"41": regionCentral, "42": regionCentral, "43": regionCentral,
	"11": regionNorth, "12": regionNorth, "13": regionNorth, "14": regionNorth, "15": regionNorth,
	"21": regionNortheast, "22": regionNortheast, "23": regionNortheast,
	"50": regionSouthwest, "51": regionSouthwest, "52": regionSouthwest, "53": regionSouthwest, "54": regionSouthwest,
	"61": regionNorthwest, "62": regionNorthwest, "63": regionNorthwest, "64": regionNorthwest, "65": regionNorthwest,
}

// regionNeighbours are the regions that share a long border and trunk
// routes; the relation is symmetric.
var regionNeighbours = map[[2]chinaRegion]bool{}

func init() {
	for _, p := range [][2]chinaRegion{
		{regionEast, regionCentral}, {regionEast, regionSouth}, {regionEast, regionNorth},
		{regionNorth, regionNortheast}, {regionNorth, regionCentral}, {regionNorth, regionNorthwest},
		{regionCentral, regionSouth}, {regionCentral, regionSouthwest}, {regionCentral, regionNorthwest},
		{regionSouth, regionSouthwest}, {regionSouthwest, regionNorthwest},
	} {
		regionNeighbours[p] = true
		regionNeighbours[[2]chinaRegion{p[1], p[0]}] = true
	}
}

// provincePrefix is the two-digit province part of a province, city or
// district code ("310000", "310100", "31"), or "".
func provincePrefix(code string) string {
	if len(code) < 2 {
		return ""
	}
	return code[:2]
}

// Distance is the proximity rank (0 nearest … 3 farthest) of a warehouse
// in province warehouseProvince to a delivery in province shipTo.
func Distance(shipTo, warehouseProvince string) int {
	a, b := provincePrefix(shipTo), provincePrefix(warehouseProvince)
	if a == "" || b == "" {
		return 3
	}
	if a == b {
		return 0
	}
	ra, rb := provinceRegion[a], provinceRegion[b]
	switch {
	case ra == regionUnknown || rb == regionUnknown:
		return 3
	case ra == rb:
		return 1
	case regionNeighbours[[2]chinaRegion{ra, rb}]:
		return 2
	}
	return 3
}
