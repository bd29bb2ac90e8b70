// Latchkey: Collection.Query and Collection.Explain through pushPlan. Hooked into
// collection.go at build time (tools/ferretdb/patches.json); capped collections keep
// FerretDB's own code.

package sqlite

import (
	"context"
	"fmt"

	"github.com/FerretDB/FerretDB/internal/backends"
	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/fsql"
	"github.com/FerretDB/FerretDB/internal/util/lazyerrors"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

// pushdownQuery answers params when it can; ok is false when FerretDB's own code should.
func (c *collection) pushdownQuery(ctx context.Context, db *fsql.DB, meta *metadata.Collection, params *backends.QueryParams) (*backends.QueryResult, bool, error) {
	if meta.Capped() || params.OnlyRecordIDs || params.Sort.Len() != 0 {
		return nil, false, nil
	}

	pl, err := planQuery(ctx, db, meta, params.Filter, params.Push)
	if err != nil {
		return nil, false, err
	}

	if params.Push.CountOnly && params.Push.FilterWhole && pl.exact {
		var n int64

		q := pl.sql(fmt.Sprintf(`SELECT COUNT(*) FROM %q`, meta.TableName))
		if err = db.QueryRowContext(ctx, q, pl.args...).Scan(&n); err != nil {
			return nil, false, lazyerrors.Error(err)
		}

		return &backends.QueryResult{
			Iter: newQueryIterator(ctx, nil, false),
			Push: backends.PushdownResult{Counted: true, Count: n},
		}, true, nil
	}

	if pl.empty() && !pl.result.Sorted {
		return nil, false, nil
	}

	q := pl.sql(prepareSelectClause(meta.TableName, params.Comment, false, false))
	args := pl.args

	if params.Limit != 0 {
		q += ` LIMIT ?`
		args = append(args, params.Limit)
	}

	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, false, lazyerrors.Error(err)
	}

	return &backends.QueryResult{
		Iter: newQueryIterator(ctx, rows, false),
		Push: pl.result,
	}, true, nil
}

// pushdownExplain explains what pushdownQuery does; ok is false for capped collections.
func (c *collection) pushdownExplain(ctx context.Context, db *fsql.DB, meta *metadata.Collection, params *backends.ExplainParams) (*backends.ExplainResult, bool, error) {
	if meta.Capped() || params.Sort.Len() != 0 {
		return nil, false, nil
	}

	pl, err := planQuery(ctx, db, meta, params.Filter, params.Push)
	if err != nil {
		return nil, false, err
	}

	counted := params.Push.CountOnly && params.Push.FilterWhole && pl.exact

	sel := prepareSelectClause(meta.TableName, "", false, false)
	if counted {
		sel = fmt.Sprintf(`SELECT COUNT(*) FROM %q`, meta.TableName)
	}

	stmt := pl.sql(sel)
	q := `EXPLAIN QUERY PLAN ` + stmt
	args := pl.args

	var limitPushdown bool

	if params.Limit != 0 && !counted {
		q += ` LIMIT ?`
		args = append(args, params.Limit)
		limitPushdown = true
	}

	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, false, lazyerrors.Error(err)
	}

	defer rows.Close()

	queryPlan := types.MakeArray(0)

	for rows.Next() {
		var id, parent, notused int32
		var detail string

		if err = rows.Scan(&id, &parent, &notused, &detail); err != nil {
			return nil, false, lazyerrors.Error(err)
		}

		queryPlan.Append(fmt.Sprintf("id=%d parent=%d notused=%d detail=%s", id, parent, notused, detail))
	}

	if err = rows.Err(); err != nil {
		return nil, false, lazyerrors.Error(err)
	}

	groupBy := types.MakeArray(len(pl.result.GroupBy))
	for _, f := range pl.result.GroupBy {
		groupBy.Append(f)
	}

	notes := types.MakeArray(len(pl.notes))
	for _, n := range pl.notes {
		notes.Append(n)
	}

	pushdown := must.NotFail(types.NewDocument(
		"index", pl.index,
		"exactFilter", pl.exact,
		"sorted", pl.result.Sorted,
		"groupBy", groupBy,
		"countPushdown", counted,
		"notes", notes,
		"sql", stmt,
	))

	return &backends.ExplainResult{
		QueryPlanner:   must.NotFail(types.NewDocument("Plan", queryPlan, "pushdown", pushdown)),
		FilterPushdown: len(pl.where) > 0,
		SortPushdown:   pl.result.Sorted,
		LimitPushdown:  limitPushdown,
	}, true, nil
}
