// Latchkey: what the handler tells a backend beyond FerretDB's own QueryParams, so the
// SQLite backend can answer filtered, sorted and counted queries through its indexes.
// Added at build time (tools/ferretdb/_overlay); see docs/MONGODB-PORTABILITY.md.

package backends

import "github.com/FerretDB/FerretDB/internal/types"

// Pushdown holds the optional hints of Collection.Query and Collection.Explain.
// A backend may ignore all of them; the zero value asks for nothing.
type Pushdown struct {
	// Sort is the query's validated sort on field paths (never $natural).
	// The backend may return rows in that order and say so in PushdownResult.
	Sort *types.Document

	// FilterWhole is true when QueryParams.Filter is the query's whole filter
	// (no keys were removed), so a filter the backend applies exactly is the answer.
	FilterWhole bool

	// CountOnly is true when the caller only needs the number of matching documents.
	CountOnly bool
}

// PushdownResult says what the backend did with Pushdown.
type PushdownResult struct {
	// Sorted is true when rows come in the Mongo order of Pushdown.Sort, except that
	// rows with equal values of GroupBy (the first sort field, when the sort has more
	// than one field left) still have to be sorted among themselves by the whole sort.
	Sorted  bool
	GroupBy []string

	// Counted is true when Count is the exact number of documents matching the whole
	// filter; Iter is then empty.
	Counted bool
	Count   int64
}
