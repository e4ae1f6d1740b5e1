// Package demokit is what the demo shop's steps share: the Shop they fill
// in for each other (categories, SKUs, customers), deterministic random
// streams and ids, the order plan with its seasonality, and the drawn
// product images. Domain packages import it for their demo steps; it
// imports no domain.
package demokit

import (
	"hash/fnv"
	"math/rand/v2"
	"sort"
	"time"

	"storeops/internal/platform"
)

// Shop is the demo shop under construction. Steps run in order and each
// reads what earlier ones left here: the catalog step fills Categories,
// Products and SKUs; the customer step fills Customers; the order and
// traffic steps walk the same Plan.
type Shop struct {
	Seed  int64
	Scale float64
	// Start is the first day (midnight, shop zone), 25 months before the
	// as-of day; End is midnight after the as-of day, the shop's "now".
	Start, End time.Time
	// Orders is the planned number of orders.
	Orders int
	// TrafficDays is how many days before End get visit sessions and
	// events (older traffic would live in rollups, not raw events).
	TrafficDays int

	Categories []Category
	Products   []Product
	SKUs       []SKU
	Warehouses []Warehouse
	Customers  []Customer

	// Progress reports work done; never nil.
	Progress Progress

	base   time.Time // id base instant
	skuCum []float64 // cumulative SKU demand
}

// Progress receives a step's progress (a bar on a terminal).
type Progress interface {
	Start(step string, total int64)
	Add(n int64)
}

type noProgress struct{}

func (noProgress) Start(string, int64) {}
func (noProgress) Add(int64)           {}

// Months is the length of the order history.
const Months = 25

// NewShop prepares an empty shop for seed, scale and the as-of day (its
// date in the shop zone counts; the time of day is ignored).
func NewShop(seed int64, scale float64, asOf time.Time) *Shop {
	y, m, d := asOf.In(platform.ShopZone).Date()
	end := time.Date(y, m, d+1, 0, 0, 0, 0, platform.ShopZone)
	start := time.Date(y, m-Months, d+1, 0, 0, 0, 0, platform.ShopZone)
	s := &Shop{Seed: seed, Scale: scale, Start: start, End: end, Progress: noProgress{}, TrafficDays: 14}
	s.Orders = int(50_400*scale + 0.5)
	s.base = start.UTC()
	if epoch := time.Date(2025, 1, 1, 0, 0, 1, 0, time.UTC); s.base.Before(epoch) {
		s.base = epoch
	}
	return s
}

// Rand is the random stream named stream for item k: the same seed gives
// the same numbers whatever else ran before.
func (s *Shop) Rand(stream string, k int64) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(stream))
	return rand.New(rand.NewPCG(uint64(s.Seed)*0x9E3779B97F4A7C15^h.Sum64(), uint64(k)))
}

// Space is a table's id space: the demo's ids are composed, not drawn from
// the clock, so the same seed gives the same ids.
type Space int

// The id spaces, one per table.
const (
	SpaceCategory Space = iota
	SpaceBrand
	SpaceProduct
	SpaceSKU
	SpaceImage
	SpaceWarehouse
	SpaceCustomer
	SpaceOrder
	SpaceLine
	SpacePayment
	SpaceRefund
	SpaceTransition
	SpaceSession
	SpaceEvent
	SpaceAddress
	SpaceVisit // sessions that buy nothing (SpaceSession holds converting ones)
)

// ConvertingSession is the id of the visit session in which order k (its
// index in the plan) was placed.
func (s *Shop) ConvertingSession(k int64) int64 { return s.ID(SpaceSession, k) }

// DemoNode is the id node number of demo rows: live nodes lease numbers
// from 0 up, so demo ids never collide with ids the running shop makes.
const DemoNode = platform.MaxNode

// spaceMS is how many milliseconds of id time each space spans: 2^22 ms
// (70 minutes) × 4096 ids per ms is 17 billion ids per table.
const spaceMS = 1 << 22

// ID is the k-th id (k from 0) of a space. Ids grow with k.
func (s *Shop) ID(space Space, k int64) int64 {
	ms := int64(space)*spaceMS + k>>12
	return int64(platform.IDAt(s.base.Add(time.Duration(ms)*time.Millisecond), DemoNode, int(k&4095)))
}

// Category is a sub-category products are listed under.
type Category struct {
	ID      int64
	Top     int // index of its top category in TopNames
	Name    string
	Storage string // ambient, chilled, frozen
	// Weight is the category's share of demand.
	Weight float64
}

// Product is a listed product with its SKUs.
type Product struct {
	ID       int64
	Category int // index into Categories
	Title    string
	SKUs     []int // indices into SKUs
	Listed   time.Time
}

// SKU is one sellable variant with the snapshot an order line keeps.
type SKU struct {
	ID         int64
	ProductID  int64
	Product    int // index into Products
	CategoryID int64
	Title      string
	SpecText   string
	Price      int64 // fen
	Cost       int64
	// Weight is the SKU's share of its category's demand.
	Weight float64
}

// Warehouse is a stock location.
type Warehouse struct {
	ID        int64
	Code      string
	ColdChain bool
}

// Segment is a customer's buying habit.
type Segment uint8

// Segments.
const (
	OneTime Segment = iota // buys once, if at all
	Repeat                 // buys now and then
	Loyal                  // the core that buys often
	Churned                // bought, then stopped at ChurnAt
)

// Customer is a shopper as later steps need them.
type Customer struct {
	ID           int64
	CreatedAt    time.Time
	ProvinceCode string
	Province     string
	City         string
	Source       uint8 // index into Channels
	Segment      Segment
	ChurnAt      time.Time // Churned only
	Remote       bool      // far provinces pay more shipping
}

// Channels are the traffic sources (traffic.Sources without "other").
var Channels = []string{"search", "douyin_live", "short_video", "xiaohongshu", "wechat", "ads", "direct"}

// PickSKU draws a SKU index in proportion to demand.
func (s *Shop) PickSKU(r *rand.Rand) int {
	if len(s.skuCum) != len(s.SKUs) {
		s.skuCum = make([]float64, len(s.SKUs))
		total := 0.0
		for i, k := range s.SKUs {
			total += k.Weight
			s.skuCum[i] = total
		}
	}
	x := r.Float64() * s.skuCum[len(s.skuCum)-1]
	return min(sort.SearchFloat64s(s.skuCum, x), len(s.skuCum)-1)
}

// LeadSKU is the first SKU in order k's basket: the product the shopper
// came for, which the traffic step shows them viewing.
func (s *Shop) LeadSKU(k int64) int { return s.PickSKU(s.Rand("lead", k)) }
