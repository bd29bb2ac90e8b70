// Latchkey: the $or part of the filter parser (pushdown_filter.go): a necessary bound
// on one field that every branch of an $or implies. Added at build time
// (tools/ferretdb/_overlay).

package sqlite

import (
	"math/big"
	"strings"

	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

// addOr finds a field that every branch bounds on the same side, in one type class, and
// adds the loosest of those bounds: a necessary condition of the whole $or. The keyset
// cursor {$or: [{a: {$lt: x}}, {a: x, b: {$lt: y}}]} becomes a <= x.
func (p *parsedFilter) addOr(v any) {
	arr, ok := v.(*types.Array)
	if !ok || arr.Len() == 0 {
		return
	}

	branches := make([]*parsedFilter, arr.Len())

	for i := range branches {
		d, ok := must.NotFail(arr.Get(i)).(*types.Document)
		if !ok {
			return
		}

		branches[i] = parseFilter(d)
	}

	for _, field := range branches[0].order {
		for _, upper := range []bool{true, false} {
			if c, ok := orBound(branches, field, upper); ok {
				p.push(field, c)
				return
			}
		}
	}
}

// orBound returns the loosest of the branches' tightest bounds on field, if every branch has one.
func orBound(branches []*parsedFilter, field string, upper bool) (fieldCond, bool) {
	var res fieldCond

	for i, b := range branches {
		var tight *fieldCond

		for _, c := range b.conds[field] {
			if c.rank == metadata.RankNull || c.kind == condIn || (c.kind == condRange && strings.HasPrefix(c.op, "<") != upper) {
				continue
			}

			bound := fieldCond{kind: condRange, rank: c.rank, op: "<=", args: c.args, raw: c.raw}
			if !upper {
				bound.op = ">="
			}

			if c.kind == condRange {
				bound.op = c.op
			}

			if tight == nil || tighter(bound, *tight, upper) {
				tight = &bound
			}
		}

		if tight == nil || (i > 0 && tight.rank != res.rank) {
			return fieldCond{}, false
		}

		if i == 0 || tighter(res, *tight, upper) {
			res = *tight
		}
	}

	return res, true
}

// tighter reports whether bound a admits less than bound b (same rank and side).
func tighter(a, b fieldCond, upper bool) bool {
	c := compareSQL(a.args[0], b.args[0])
	if c == 0 {
		return len(a.op) < len(b.op) // strict beats inclusive
	}

	return (c < 0) == upper
}

// compareSQL compares two SQL arguments of one rank the way SQLite does (exactly, also
// between integers and floats).
func compareSQL(a, b any) int {
	if a, ok := a.(string); ok {
		return strings.Compare(a, b.(string))
	}

	return toBig(a).Cmp(toBig(b))
}

func toBig(v any) *big.Float {
	if i, ok := v.(int64); ok {
		return new(big.Float).SetInt64(i)
	}

	return big.NewFloat(v.(float64))
}
