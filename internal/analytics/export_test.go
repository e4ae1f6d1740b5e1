package analytics

// CountedSQL exposes the counted-order filter to the external tests, which
// compare it with package order (an internal test importing order would
// be an import cycle once order calls MarkDirty).
const CountedSQL = countedSQL
