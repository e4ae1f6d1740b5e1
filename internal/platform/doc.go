// Package platform is the shared kernel every domain stands on: money in
// integer fen, sortable ids, the injectable clock, the one application error
// type with its zh-CN/en messages, and cursor pagination. It imports nothing
// of the project, so any package may import it.
package platform
