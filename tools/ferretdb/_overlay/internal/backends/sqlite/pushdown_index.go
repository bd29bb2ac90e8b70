// Latchkey: the index side of the planner (pushdown_plan.go): which typed index a query
// uses, and the EXISTS probes that check it may. Added at build time
// (tools/ferretdb/_overlay).

package sqlite

import (
	"context"
	"strings"

	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/util/fsql"
	"github.com/FerretDB/FerretDB/internal/util/lazyerrors"
)

// chooseIndex returns the typed index with the longest equality prefix k; among those,
// one that serves the sort, then one with a range on field k, then the shortest. eff is
// the sort without fields the prefix fixes, mapped how many of them the index orders.
func chooseIndex(meta *metadata.Collection, p *parsedFilter, sort []sortKey) (*metadata.IndexInfo, int, bool, []sortKey, int) {
	var best *metadata.IndexInfo
	var bk, bm int
	var br bool
	var beff []sortKey
	var bscore [4]int

	for i := range meta.Settings.Indexes {
		idx := &meta.Settings.Indexes[i]
		if !idx.Typed {
			continue
		}

		k := 0
		for k < len(idx.Key) && !strings.Contains(idx.Key[k].Field, ".") && hasKind(p.conds[idx.Key[k].Field], condEq) {
			k++
		}

		hasRange := k < len(idx.Key) && !strings.Contains(idx.Key[k].Field, ".") &&
			(hasKind(p.conds[idx.Key[k].Field], condRange) || hasKind(p.conds[idx.Key[k].Field], condIn))

		fixed := map[string]bool{}
		for _, key := range idx.Key[:k] {
			fixed[key.Field] = true
		}

		eff := []sortKey{}
		for _, s := range sort {
			if !fixed[s.field] {
				eff = append(eff, s)
			}
		}

		mapped := 0
		var reverse bool

		for j, s := range eff {
			pos := k + j
			if pos >= len(idx.Key) || idx.Key[pos].Field != s.field || strings.Contains(s.field, ".") {
				break
			}

			rev := s.desc != idx.Key[pos].Descending
			if j > 0 && rev != reverse {
				break
			}

			reverse = rev
			mapped++
		}

		sortOK := len(sort) > 0 && (mapped > 0 || len(eff) == 0)
		if k == 0 && !hasRange && !sortOK {
			continue
		}

		score := [4]int{k, b2i(sortOK), b2i(hasRange), -len(idx.Key)}
		if best == nil || less(bscore, score) {
			best, bk, br, beff, bm, bscore = idx, k, hasRange, eff, mapped, score
		}
	}

	return best, bk, br, beff, bm
}

func hasKind(conds []fieldCond, kind condKind) bool {
	for _, c := range conds {
		if c.kind == kind {
			return true
		}
	}

	return false
}

func b2i(b bool) int {
	if b {
		return 1
	}

	return 0
}

func less(a, b [4]int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}

	return false
}

// runProbes evaluates the EXISTS probes in one statement.
func runProbes(ctx context.Context, db *fsql.DB, probes []string, args []any) ([]bool, error) {
	if len(probes) == 0 {
		return nil, nil
	}

	rows, err := db.QueryContext(ctx, "SELECT "+strings.Join(probes, ", "), args...)
	if err != nil {
		return nil, lazyerrors.Error(err)
	}

	defer rows.Close()

	vals := make([]int64, len(probes))
	dest := make([]any, len(probes))

	for i := range vals {
		dest[i] = &vals[i]
	}

	if !rows.Next() {
		return nil, lazyerrors.Errorf("probe returned no row: %v", rows.Err())
	}

	if err = rows.Scan(dest...); err != nil {
		return nil, lazyerrors.Error(err)
	}

	res := make([]bool, len(vals))
	for i, v := range vals {
		res[i] = v != 0
	}

	return res, nil
}
