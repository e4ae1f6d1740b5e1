// Package bench holds the project's benchmarks. Each benchmark has a
// sub-benchmark named "baseline" that does the nearest raw equivalent of the
// work; bench/run reports every sibling of a baseline as a ratio to it,
// measured in the same round, because absolute times on shared machines are
// not stable. See docs/benchmarks.md.
package bench
