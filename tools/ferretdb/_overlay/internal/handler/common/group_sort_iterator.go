// Latchkey: finishes a sort the backend did for the first sort field only. Added at
// build time (tools/ferretdb/_overlay).

package common

import (
	"errors"
	"sync"

	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/iterator"
	"github.com/FerretDB/FerretDB/internal/util/lazyerrors"
)

// GroupSortIterator returns an iterator over iter's documents in the order of sort, given
// that iter already returns them in that order except among documents with equal
// groupBy values (Mongo equality, null and missing alike): each such run is read whole,
// sorted with SortDocuments and returned. It reads only one document past the run it
// returns, so a limit after it stops reading early.
//
// It will be added to the given closer.
func GroupSortIterator(iter types.DocumentsIterator, closer *iterator.MultiCloser, sort *types.Document, groupBy []string) types.DocumentsIterator {
	res := &groupSortIterator{iter: iter, sort: sort}

	for _, f := range groupBy {
		p, err := types.NewPathFromString(f)
		if err != nil {
			res.err = lazyerrors.Error(err)
		}

		res.paths = append(res.paths, p)
	}

	closer.Add(res)

	return res
}

type groupSortIterator struct {
	m     sync.Mutex
	iter  types.DocumentsIterator
	sort  *types.Document
	paths []types.Path
	buf   []*types.Document
	next  *types.Document // first document of the next run
	done  bool
	err   error
}

func (g *groupSortIterator) key(doc *types.Document, i int) any {
	v, err := doc.GetByPath(g.paths[i])
	if err != nil {
		return types.Null
	}

	return v
}

func (g *groupSortIterator) sameGroup(a, b *types.Document) bool {
	for i := range g.paths {
		if types.CompareOrderForSort(g.key(a, i), g.key(b, i), types.Ascending) != types.Equal {
			return false
		}
	}

	return true
}

// Next implements iterator.Interface.
func (g *groupSortIterator) Next() (struct{}, *types.Document, error) {
	g.m.Lock()
	defer g.m.Unlock()

	var unused struct{}

	if g.err != nil {
		return unused, nil, g.err
	}

	if len(g.buf) == 0 {
		if err := g.fill(); err != nil {
			g.err = err
			return unused, nil, err
		}
	}

	if len(g.buf) == 0 {
		return unused, nil, iterator.ErrIteratorDone
	}

	doc := g.buf[0]
	g.buf = g.buf[1:]

	return unused, doc, nil
}

// fill reads the next run of equal groupBy values into buf and sorts it.
func (g *groupSortIterator) fill() error {
	run := g.buf[:0]

	if g.next != nil {
		run = append(run, g.next)
		g.next = nil
	}

	for !g.done {
		_, doc, err := g.iter.Next()
		if errors.Is(err, iterator.ErrIteratorDone) {
			g.done = true
			break
		}

		if err != nil {
			return lazyerrors.Error(err)
		}

		if len(run) > 0 && !g.sameGroup(run[0], doc) {
			g.next = doc
			break
		}

		run = append(run, doc)
	}

	if len(run) > 1 {
		if err := SortDocuments(run, g.sort); err != nil {
			return lazyerrors.Error(err)
		}
	}

	g.buf = run

	return nil
}

// Close implements iterator.Interface.
func (g *groupSortIterator) Close() {
	g.m.Lock()
	defer g.m.Unlock()

	g.iter.Close()
}

// check interfaces
var (
	_ types.DocumentsIterator = (*groupSortIterator)(nil)
)
