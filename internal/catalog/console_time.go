package catalog

import (
	"time"

	"storeops/internal/platform"
	"storeops/internal/web"
)

// formTime is the datetime-local form of a time in the shop's zone.
const formTime = "2006-01-02T15:04"

func shopTime(t time.Time) string { return t.In(platform.ShopZone).Format("2006-01-02 15:04") }

func timeCell(t *time.Time) web.Cell {
	if t == nil {
		return web.NullCell
	}
	return web.TextCell(shopTime(*t))
}

// formTimeOf writes t for a datetime-local input ("" for nil).
func formTimeOf(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(platform.ShopZone).Format(formTime)
}
