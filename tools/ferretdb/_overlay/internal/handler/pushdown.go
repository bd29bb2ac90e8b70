// Latchkey: hands sorts and counts to the backend (backends.Pushdown) and uses what it
// did: no in-memory sort of every match when rows already come sorted, no decoding of
// every match when the backend counted them. Hooked into msg_find.go, msg_count.go,
// msg_aggregate.go and msg_explain.go at build time (tools/ferretdb/patches.json).

package handler

import (
	"context"
	"math"
	"slices"
	"strings"

	"github.com/FerretDB/FerretDB/internal/backends"
	"github.com/FerretDB/FerretDB/internal/handler/common"
	"github.com/FerretDB/FerretDB/internal/handler/common/aggregations"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/iterator"
	"github.com/FerretDB/FerretDB/internal/util/lazyerrors"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

// fieldSort returns sort when it is on fields (not $natural).
func fieldSort(sort *types.Document) *types.Document {
	if sort.Len() == 0 || sort.Keys()[0] == "$natural" {
		return nil
	}

	return sort
}

// latchkeyFindPush sets the pushdown hints of a find.
func (h *Handler) latchkeyFindPush(params *common.FindParams, cInfo *backends.CollectionInfo, qp *backends.QueryParams) {
	if h.DisablePushdown || cInfo.Capped() {
		return
	}

	qp.Push.Sort = fieldSort(params.Sort)
	qp.Push.FilterWhole = qp.Filter.Len() == params.Filter.Len()
}

// latchkeyFindIter is makeFindIter for a result that may already be sorted.
func (h *Handler) latchkeyFindIter(
	res *backends.QueryResult, closer *iterator.MultiCloser, params *common.FindParams,
) (types.DocumentsIterator, error) {
	if !res.Push.Sorted {
		return h.makeFindIter(res.Iter, closer, params)
	}

	iter := res.Iter
	closer.Add(iter)

	iter = common.FilterIterator(iter, closer, params.Filter)

	if len(res.Push.GroupBy) > 0 {
		iter = common.GroupSortIterator(iter, closer, params.Sort, res.Push.GroupBy)
	}

	iter = common.SkipIterator(iter, closer, params.Skip)
	iter = common.LimitIterator(iter, closer, params.Limit)

	iter, err := common.ProjectionIterator(iter, closer, params.Projection, params.Filter)
	if err != nil {
		closer.Close()
		return nil, lazyerrors.Error(err)
	}

	return iterator.WithClose(iter, closer.Close), nil
}

// latchkeyCountPush sets the pushdown hints of a count command.
func (h *Handler) latchkeyCountPush(params *common.CountParams, qp *backends.QueryParams) {
	if h.DisablePushdown || params.Skip != 0 || params.Limit != 0 {
		return
	}

	qp.Push = backends.Pushdown{CountOnly: true, FilterWhole: true}
}

// latchkeyStages is processStagesDocuments with the pushdown: the pipeline's leading
// $sort (as aggregations.GetPushdownQuery found it) is dropped when the backend sorted,
// and a leading [$match,] $count or {$group: {_id: <constant>, n: {$sum: 1}}} is
// answered from the backend's count.
func (h *Handler) latchkeyStages(
	ctx context.Context, closer *iterator.MultiCloser, c backends.Collection, qp *backends.QueryParams,
	filter, sort *types.Document, raw []any, stages []aggregations.Stage,
) (types.DocumentsIterator, error) {
	if h.DisablePushdown || len(raw) != len(stages) {
		return processStagesDocuments(ctx, closer, &stagesDocumentsParams{c, qp, stages})
	}

	name := func(i int) string {
		if d, ok := raw[i].(*types.Document); ok {
			return d.Command()
		}

		return ""
	}

	matchIdx, sortIdx := -1, -1

	for i := 0; i < 2 && i < len(raw); i++ {
		n := name(i)
		if n == "$match" && matchIdx < 0 {
			matchIdx = i
			continue
		}

		if n == "$sort" && sortIdx < 0 {
			sortIdx = i
			continue
		}

		break
	}

	qp.Push.Sort = fieldSort(sort)
	qp.Push.FilterWhole = qp.Filter.Len() == filter.Len()

	countIdx := matchIdx + 1
	if sortIdx >= 0 || matchIdx > 0 || countIdx >= len(raw) || countOutput(raw[countIdx].(*types.Document), 1) == nil {
		countIdx = -1
	}

	qp.Push.CountOnly = countIdx >= 0

	res, err := c.Query(ctx, qp)
	if err != nil {
		closer.Close()
		return nil, lazyerrors.Error(err)
	}

	closer.Add(res.Iter)

	iter := res.Iter
	rest := stages

	switch {
	case res.Push.Counted:
		var docs []*types.Document
		if res.Push.Count > 0 {
			docs = append(docs, countOutput(raw[countIdx].(*types.Document), res.Push.Count))
		}

		iter = iterator.Values(iterator.ForSlice(docs))
		closer.Add(iter)
		rest = stages[countIdx+1:]
	case res.Push.Sorted && sortIdx >= 0:
		rest = append(append([]aggregations.Stage{}, stages[:sortIdx]...), stages[sortIdx+1:]...)

		if len(res.Push.GroupBy) > 0 {
			// the $match before the dropped $sort only removes documents
			iter = common.GroupSortIterator(iter, closer, sort, res.Push.GroupBy)
		}
	}

	for _, s := range rest {
		if iter, err = s.Process(ctx, iter, closer); err != nil {
			return nil, err
		}
	}

	return iter, nil
}

// countOutput returns what stage outputs for n > 0 input documents, or nil when stage
// is not a counting stage whose output depends on n alone.
func countOutput(stage *types.Document, n int64) *types.Document {
	var count any = int32(n)
	if n > math.MaxInt32 {
		count = n
	}

	if stage.Len() != 1 {
		return nil
	}

	switch stage.Command() {
	case "$count":
		if field, ok := must.NotFail(stage.Get("$count")).(string); ok {
			return must.NotFail(types.NewDocument(field, count))
		}
	case "$group":
		g, ok := must.NotFail(stage.Get("$group")).(*types.Document)
		if !ok || g.Len() != 2 || g.Keys()[0] != "_id" || g.Keys()[1] == "_id" {
			return nil
		}

		id := must.NotFail(g.Get("_id"))

		switch id := id.(type) {
		case int32, int64, float64, bool, types.NullType:
		case string:
			if strings.HasPrefix(id, "$") {
				return nil
			}
		default:
			return nil
		}

		field := g.Keys()[1]

		acc, ok := must.NotFail(g.Get(field)).(*types.Document)
		if !ok || acc.Len() != 1 || acc.Keys()[0] != "$sum" || must.NotFail(acc.Get("$sum")) != int32(1) {
			return nil
		}

		return must.NotFail(types.NewDocument("_id", id, field, count))
	}

	return nil
}

// latchkeyExplainPush sets the pushdown hints of an explained find, count or aggregate.
func (h *Handler) latchkeyExplainPush(params *common.ExplainParams, cInfo *backends.CollectionInfo, qp *backends.ExplainParams) {
	if h.DisablePushdown || cInfo.Capped() {
		return
	}

	qp.Push.Sort = fieldSort(params.Sort)
	qp.Push.FilterWhole = qp.Filter.Len() == params.Filter.Len()

	switch {
	case params.Command.Command() == "count":
		qp.Push.CountOnly = params.Skip == 0 && params.Limit == 0
	case params.Aggregate:
		var raw []any

		for _, s := range params.StagesDocs {
			raw = append(raw, s)
		}

		i := 0
		if len(raw) > 0 && raw[0].(*types.Document).Command() == "$match" {
			i = 1
		}

		qp.Push.CountOnly = i < len(raw) && countOutput(raw[i].(*types.Document), 1) != nil
	}
}

// latchkeyWithIdentical returns toCreate plus the requested indexes that already exist
// with the same name and key: FerretDB's handler drops those, but the SQLite backend
// rebuilds one as a typed index when a build without typed indexes created it
// (metadata/typed.go, typedUpgrade), and ignores it otherwise.
func latchkeyWithIdentical(toCreate, requested, existing []backends.IndexInfo) []backends.IndexInfo {
	res := slices.Clone(toCreate)

	for _, r := range requested {
		if r.Name == backends.DefaultIndexName || slices.ContainsFunc(res, func(i backends.IndexInfo) bool { return i.Name == r.Name }) {
			continue
		}

		if slices.ContainsFunc(existing, func(e backends.IndexInfo) bool { return e.Name == r.Name && slices.Equal(e.Key, r.Key) }) {
			res = append(res, r)
		}
	}

	return res
}
