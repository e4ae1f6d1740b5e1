package jobs

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river/rivertype"
)

type metrics struct {
	duration *prometheus.HistogramVec
}

func newMetrics() *metrics {
	return &metrics{duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "storeops_job_duration_seconds",
		Help:    "Time jobs spent working, by kind and outcome (ok or error).",
		Buckets: prometheus.ExponentialBuckets(0.005, 4, 9),
	}, []string{"kind", "outcome"})}
}

// observe is River worker middleware timing each attempt.
func (m *metrics) observe(ctx context.Context, job *rivertype.JobRow, doInner func(ctx context.Context) error) error {
	start := time.Now()
	err := doInner(ctx)
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	m.duration.WithLabelValues(job.Kind, outcome).Observe(time.Since(start).Seconds())
	return err
}

// Collector exports the queue for /metrics: storeops_jobs{state} (jobs by
// state, read at scrape time), storeops_jobs_oldest_available_seconds and
// the storeops_job_duration_seconds{kind,outcome} histogram of jobs worked
// in this process.
type Collector struct {
	q              *Queue
	depth, waiting *prometheus.Desc
}

// Collector describes q; register it once per process.
func (q *Queue) Collector() *Collector {
	return &Collector{
		q:       q,
		depth:   prometheus.NewDesc("storeops_jobs", "Jobs in the queue by state.", []string{"state"}, nil),
		waiting: prometheus.NewDesc("storeops_jobs_oldest_available_seconds", "Age of the oldest job ready to run.", nil, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.depth
	ch <- c.waiting
	c.q.metrics.duration.Describe(ch)
}

// Collect implements prometheus.Collector.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s, err := c.q.Stats(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.depth, err)
	} else {
		for _, st := range States {
			ch <- prometheus.MustNewConstMetric(c.depth, prometheus.GaugeValue, float64(s.Count(st)), string(st))
		}
		ch <- prometheus.MustNewConstMetric(c.waiting, prometheus.GaugeValue, s.OldestAvailable.Seconds())
	}
	c.q.metrics.duration.Collect(ch)
}
