package store

import (
	"database/sql"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var retries = promauto.NewCounter(prometheus.CounterOpts{
	Name: "storeops_db_tx_retries_total",
	Help: "Transactions retried after a busy or serialization failure.",
})

// PoolCollector exports database/sql pool statistics for /metrics.
type PoolCollector struct {
	db                           *DB
	open, inUse, idle, waitCount *prometheus.Desc
}

// NewPoolCollector describes db's pools; register it once per process.
func NewPoolCollector(db *DB) *PoolCollector {
	l := []string{"pool"}
	return &PoolCollector{
		db:        db,
		open:      prometheus.NewDesc("storeops_db_connections_open", "Open connections.", l, nil),
		inUse:     prometheus.NewDesc("storeops_db_connections_in_use", "Connections in use.", l, nil),
		idle:      prometheus.NewDesc("storeops_db_connections_idle", "Idle connections.", l, nil),
		waitCount: prometheus.NewDesc("storeops_db_wait_total", "Times a caller waited for a connection.", l, nil),
	}
}

func (c *PoolCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.open
	ch <- c.inUse
	ch <- c.idle
	ch <- c.waitCount
}

func (c *PoolCollector) Collect(ch chan<- prometheus.Metric) {
	emit := func(name string, s sql.DBStats) {
		ch <- prometheus.MustNewConstMetric(c.open, prometheus.GaugeValue, float64(s.OpenConnections), name)
		ch <- prometheus.MustNewConstMetric(c.inUse, prometheus.GaugeValue, float64(s.InUse), name)
		ch <- prometheus.MustNewConstMetric(c.idle, prometheus.GaugeValue, float64(s.Idle), name)
		ch <- prometheus.MustNewConstMetric(c.waitCount, prometheus.CounterValue, float64(s.WaitCount), name)
	}
	emit("writer", c.db.W.Stats())
	if c.db.R != c.db.W {
		emit("reader", c.db.R.Stats())
	}
}
