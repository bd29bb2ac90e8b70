// Latchkey: parses a Mongo filter into conditions on typed index columns
// (metadata/typed.go). Added at build time (tools/ferretdb/_overlay).
//
// Every condition is necessary for a document to match, provided the field is not an
// array in it (the planner proves that with index probes before using a condition):
// a SQL filter built from them is a superset of Mongo's answer, and the handler still
// applies the whole filter. When every key of the filter became conditions that hold
// exactly (complete), the SQL filter is the answer, which is what lets counts run in SQL.
// The bound an $or implies is in pushdown_filter_or.go.

package sqlite

import (
	"encoding/hex"
	"math"
	"strings"
	"time"

	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

type condKind int

const (
	condEq    condKind = iota // rank = R AND value = arg (no value term for null: rank 1 is null or missing)
	condRange                 // rank = R AND value <op> arg
	condIn                    // rank = R AND value IN (args)
)

// fieldCond is one condition on a top-level field.
type fieldCond struct {
	kind condKind
	rank int
	op   string // condRange: <, <=, >, >=
	args []any  // SQL arguments
	raw  []any  // the filter's own values (for the stock _id index)
}

// parsedFilter is a filter as conditions on top-level fields.
type parsedFilter struct {
	conds    map[string][]fieldCond
	order    []string // fields in the order they appeared
	complete bool     // conds are the whole filter, exactly
}

func parseFilter(filter *types.Document) *parsedFilter {
	p := &parsedFilter{conds: map[string][]fieldCond{}, complete: true}
	p.add(filter)

	return p
}

func (p *parsedFilter) push(field string, c fieldCond) {
	if _, ok := p.conds[field]; !ok {
		p.order = append(p.order, field)
	}

	p.conds[field] = append(p.conds[field], c)
}

// fieldsOf returns d's keys and values; ok is false when a key repeats.
func fieldsOf(d *types.Document) ([]string, []any, bool) {
	keys := d.Keys()
	seen := make(map[string]struct{}, len(keys))

	for _, k := range keys {
		if _, dup := seen[k]; dup {
			return nil, nil, false
		}

		seen[k] = struct{}{}
	}

	return keys, d.Values(), true
}

func (p *parsedFilter) add(filter *types.Document) {
	keys, values, ok := fieldsOf(filter)
	if !ok {
		p.complete = false
		return
	}

	for i, k := range keys {
		v := values[i]

		switch {
		case k == "$comment":
			// does not take part in matching
		case k == "$and":
			arr, ok := v.(*types.Array)
			if !ok {
				p.complete = false
				continue
			}

			for i := 0; i < arr.Len(); i++ {
				if d, ok := must.NotFail(arr.Get(i)).(*types.Document); ok {
					p.add(d)
				} else {
					p.complete = false
				}
			}
		case k == "$or":
			p.complete = false
			p.addOr(v)
		case strings.HasPrefix(k, "$") || strings.Contains(k, ".") || !metadata.TypedField(k):
			p.complete = false
		default:
			p.addField(k, v)
		}
	}
}

// addField adds the conditions of `k: v`; what it cannot express stays for the handler.
func (p *parsedFilter) addField(k string, v any) {
	d, isDoc := v.(*types.Document)
	if !isDoc || d.Len() == 0 || !strings.HasPrefix(d.Keys()[0], "$") {
		if c, ok := eqCond(v); ok {
			p.push(k, c)
		} else {
			p.complete = false
		}

		return
	}

	ops := map[string]string{"$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="}

	keys, values, ok := fieldsOf(d)
	if !ok {
		p.complete = false
		return
	}

	for i, op := range keys {
		arg := values[i]

		switch op {
		case "$eq":
			if c, ok := eqCond(arg); ok {
				p.push(k, c)
				continue
			}
		case "$gt", "$gte", "$lt", "$lte":
			// Mongo compares within a type class only ("type bracketing"), as rank = R does.
			if rank, a, ok := scalarArg(arg); ok && rank != metadata.RankNull {
				p.push(k, fieldCond{kind: condRange, rank: rank, op: ops[op], args: []any{a}, raw: []any{arg}})
				continue
			}
		case "$in":
			if c, ok := inCond(arg); ok {
				p.push(k, c)
				continue
			}
		}

		p.complete = false
	}
}

func eqCond(v any) (fieldCond, bool) {
	rank, a, ok := scalarArg(v)
	if !ok {
		return fieldCond{}, false
	}

	if rank == metadata.RankNull {
		return fieldCond{kind: condEq, rank: rank}, true
	}

	return fieldCond{kind: condEq, rank: rank, args: []any{a}, raw: []any{v}}, true
}

// inCond handles $in over non-null scalars of one type class.
func inCond(v any) (fieldCond, bool) {
	arr, ok := v.(*types.Array)
	if !ok || arr.Len() == 0 {
		return fieldCond{}, false
	}

	c := fieldCond{kind: condIn}

	for i := 0; i < arr.Len(); i++ {
		e := must.NotFail(arr.Get(i))

		rank, a, ok := scalarArg(e)
		if !ok || rank == metadata.RankNull || (i > 0 && rank != c.rank) {
			return fieldCond{}, false
		}

		c.rank = rank
		c.args = append(c.args, a)
		c.raw = append(c.raw, e)
	}

	return c, true
}

// scalarArg returns the type rank and SQL argument of a filter value typed indexes can compare.
func scalarArg(v any) (int, any, bool) {
	switch v := v.(type) {
	case types.NullType:
		return metadata.RankNull, nil, true
	case float64:
		if math.IsNaN(v) {
			return 0, nil, false
		}

		return metadata.RankNumber, v, true
	case int32:
		return metadata.RankNumber, int64(v), true
	case int64:
		return metadata.RankNumber, v, true
	case string:
		return metadata.RankString, v, true
	case types.ObjectID:
		return metadata.RankObjectID, hex.EncodeToString(v[:]), true
	case bool:
		if v {
			return metadata.RankBool, int64(1), true
		}

		return metadata.RankBool, int64(0), true
	case time.Time:
		return metadata.RankDate, v.UnixMilli(), true
	default:
		return 0, nil, false
	}
}
