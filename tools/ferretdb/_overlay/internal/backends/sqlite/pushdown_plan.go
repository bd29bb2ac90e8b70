// Latchkey: chooses how a query uses the collection's indexes. Added at build time
// (tools/ferretdb/_overlay); the contract is in docs/MONGODB-PORTABILITY.md.
// The index choice and its probes are in pushdown_index.go.

package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/FerretDB/FerretDB/internal/backends"
	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/handler/sjson"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/fsql"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

// pushPlan is the SQL side of one query.
type pushPlan struct {
	index   string   // SQLite index name forced with INDEXED BY ("" = SQLite chooses)
	where   []string // ANDed
	args    []any
	orderBy []string
	exact   bool // where matches exactly the documents the whole filter matches
	result  backends.PushdownResult
	notes   []string // for explain
}

func (pl *pushPlan) empty() bool {
	return len(pl.where) == 0 && len(pl.orderBy) == 0
}

// sql returns the statement for selectClause (SELECT … FROM "table").
func (pl *pushPlan) sql(selectClause string) string {
	q := selectClause
	if pl.index != "" {
		q += fmt.Sprintf(" INDEXED BY %q", pl.index)
	}

	if len(pl.where) > 0 {
		q += " WHERE " + strings.Join(pl.where, " AND ")
	}

	if len(pl.orderBy) > 0 {
		q += " ORDER BY " + strings.Join(pl.orderBy, ", ")
	}

	return q
}

type sortKey struct {
	field string
	desc  bool
}

// condSQL returns the SQL of c on field, in the typed index's expressions.
func condSQL(field string, c fieldCond) (string, []any) {
	rank := fmt.Sprintf("%s = %d", metadata.TypedRankExpr(field), c.rank)
	value := metadata.TypedValueExpr(field)

	switch c.kind {
	case condEq:
		if c.rank == metadata.RankNull {
			return rank, nil
		}

		return rank + " AND " + value + " = ?", c.args
	case condRange:
		return rank + " AND " + value + " " + c.op + " ?", c.args
	default:
		return rank + " AND " + value + " IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(c.args)), ", ") + ")", c.args
	}
}

// planQuery plans filter and push.Sort against meta's indexes. It runs index probes,
// so its answer holds for the data as it is now.
func planQuery(ctx context.Context, db *fsql.DB, meta *metadata.Collection, filter *types.Document, push backends.Pushdown) (*pushPlan, error) {
	p := parseFilter(filter)
	pl := new(pushPlan)

	var sort []sortKey

	for _, k := range push.Sort.Keys() {
		v, _ := push.Sort.Get(k)
		sort = append(sort, sortKey{field: k, desc: v == int64(-1)})
	}

	if planID(pl, p, len(sort) > 0) {
		return pl, nil
	}

	idx, k, hasRange, eff, mapped := chooseIndex(meta, p, sort)
	if idx == nil {
		pl.exact = p.complete && len(p.conds) == 0
		return pl, nil
	}

	pl.index = meta.TableName + "_" + idx.Name
	field := func(j int) string { return idx.Key[j].Field }

	// Probes: a field used in SQL must not hold an array in any row the earlier
	// conditions select (Mongo matches array elements; the typed columns do not), and
	// the first sort field must hold only types whose SQL order is Mongo's.
	nextProbe := hasRange || mapped > 0
	probes := make([]string, 0, k+1)
	var probeArgs []any

	for j := 0; j < k || (j == k && nextProbe); j++ {
		var terms []string
		var args []any

		for i := 0; i < j; i++ {
			for _, c := range p.conds[field(i)] {
				s, a := condSQL(field(i), c)
				terms, args = append(terms, s), append(args, a...)
			}
		}

		limit := fmt.Sprintf("= %d", metadata.RankArray)
		if j == k && mapped > 0 {
			limit = fmt.Sprintf(">= %d", metadata.RankInexact)
		}

		terms = append(terms, metadata.TypedRankExpr(field(j))+" "+limit)
		probes = append(probes, fmt.Sprintf("EXISTS (SELECT 1 FROM %q INDEXED BY %q WHERE %s)", meta.TableName, pl.index, strings.Join(terms, " AND ")))
		probeArgs = append(probeArgs, args...)
	}

	found, err := runProbes(ctx, db, probes, probeArgs)
	if err != nil {
		return nil, err
	}

	for j, f := range found {
		if !f {
			continue
		}

		pl.notes = append(pl.notes, fmt.Sprintf("%s holds arrays or unsortable types: not pushed", field(j)))

		if j < k {
			k, hasRange, mapped, eff = j, false, 0, nil
		} else {
			hasRange, mapped = false, 0
		}

		break
	}

	pushed := map[string]bool{}

	for j := 0; j < k || (j == k && hasRange); j++ {
		pushed[field(j)] = true

		for _, c := range p.conds[field(j)] {
			s, a := condSQL(field(j), c)
			pl.where, pl.args = append(pl.where, s), append(pl.args, a...)
		}
	}

	pl.exact = p.complete && len(pushed) == len(p.conds)

	if len(sort) > 0 && (mapped > 0 || (eff != nil && len(eff) == 0)) {
		for j, s := range eff[:mapped] {
			dir := " ASC"
			if s.desc {
				dir = " DESC"
			}

			// A range on the first sort field fixes its rank (rank = R); SQLite then only
			// sees that the index gives the order when the rank term is left out.
			if j > 0 || !hasRange {
				pl.orderBy = append(pl.orderBy, metadata.TypedRankExpr(s.field)+dir)
			}

			pl.orderBy = append(pl.orderBy, metadata.TypedValueExpr(s.field)+dir)
		}

		pl.result.Sorted = true
		if len(eff) > 1 {
			pl.result.GroupBy = []string{eff[0].field}
		}
	}

	if pl.empty() {
		pl.index = ""
	}

	return pl, nil
}

// planID uses the stock _id index for {_id: x} and {_id: {$in: [...]}} on strings and
// ObjectIds: the JSON text it holds tells a string from an ObjectId only with the rank
// term, which is evaluated on the few rows found.
func planID(pl *pushPlan, p *parsedFilter, sorted bool) bool {
	for _, c := range p.conds["_id"] {
		if (c.rank != metadata.RankString && c.rank != metadata.RankObjectID) || c.kind == condRange {
			continue
		}

		var marks []string

		for _, v := range c.raw {
			marks = append(marks, "?")
			pl.args = append(pl.args, string(must.NotFail(sjson.MarshalSingleValue(v))))
		}

		pl.where = []string{
			fmt.Sprintf("%s IN (%s)", metadata.IDColumn, strings.Join(marks, ", ")),
			fmt.Sprintf("%s = %d", metadata.TypedRankExpr("_id"), c.rank),
		}
		pl.exact = p.complete && len(p.conds) == 1 && len(p.conds["_id"]) == 1
		// one document at most for an equality; the handler sorts an $in list itself
		pl.result.Sorted = sorted && c.kind == condEq

		return true
	}

	return false
}
