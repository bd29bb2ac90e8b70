// Latchkey: "typed" SQLite expression indexes, so the SQLite backend can push filters,
// sorts and counts down to them (internal/backends/sqlite/pushdown_*.go).
// Added at build time (tools/ferretdb/_overlay); see docs/MONGODB-PORTABILITY.md.
//
// Stock FerretDB indexes a field as _ferretdb_sjson->"f": the field's JSON text. Text
// order is not Mongo's order ("10" < "9", "ab c" < "ab") and the text does not tell a
// date from a number or an ObjectId from a string. A typed index stores two columns per
// field instead:
//
//	rank:  the Mongo type class from the document's sjson schema ($s.p.<f>.t), numbered
//	       in Mongo's sort order (null/missing 1, numbers 2, strings 3, ObjectIds 7,
//	       booleans 8, dates 9); types whose SQL order is not Mongo's get 100 and up.
//	value: the field's SQL value (->>): numbers compare numerically, strings bytewise
//	       like Mongo, dates are epoch milliseconds, ObjectIds lowercase hex, booleans 0/1;
//	       an explicit null is the text 'null' (so a unique index still refuses two nulls).
//
// Within ranks below 100, (rank, value) in SQLite order is Mongo's order, and equal
// pairs are Mongo-equal values (5 and 5.0 included).

package metadata

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/FerretDB/FerretDB/internal/backends"
	"github.com/FerretDB/FerretDB/internal/util/fsql"
)

// Type ranks of typed index columns.
const (
	RankNull     = 1
	RankNumber   = 2
	RankString   = 3
	RankObjectID = 7
	RankBool     = 8
	RankDate     = 9

	// RankInexact and above: objects, arrays, binData, timestamps, regexes; their SQL
	// value does not sort like Mongo.
	RankInexact = 100
	RankArray   = 105
)

// typedSegment is what a field name must look like to be indexed typed: it is written
// inside SQL string literals and JSON paths, so nothing there may need quoting.
var typedSegment = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// TypedEligible reports whether an index on key can be created typed.
func TypedEligible(key []IndexKeyPair) bool {
	if len(key) == 0 {
		return false
	}

	for _, k := range key {
		if !TypedField(k.Field) {
			return false
		}
	}

	return true
}

// TypedField reports whether a (possibly dotted) field path can be a typed index column.
func TypedField(field string) bool {
	for _, s := range strings.Split(field, ".") {
		if !typedSegment.MatchString(s) {
			return false
		}
	}

	return true
}

// TypedRankExpr returns the rank expression of field, exactly as indexes store it.
func TypedRankExpr(field string) string {
	path := "$"
	for _, s := range strings.Split(field, ".") {
		path += `."$s".p."` + s + `"`
	}

	return fmt.Sprintf(
		`(CASE COALESCE(json_extract(%s, '%s.t'), '') WHEN '' THEN 1 WHEN 'null' THEN 1 `+
			`WHEN 'double' THEN 2 WHEN 'int' THEN 2 WHEN 'long' THEN 2 WHEN 'string' THEN 3 `+
			`WHEN 'objectId' THEN 7 WHEN 'bool' THEN 8 WHEN 'date' THEN 9 WHEN 'object' THEN 104 `+
			`WHEN 'array' THEN 105 WHEN 'binData' THEN 106 WHEN 'timestamp' THEN 110 WHEN 'regex' THEN 111 ELSE 120 END)`,
		DefaultColumn, path,
	)
}

// TypedValueExpr returns the value expression of field, exactly as indexes store it.
func TypedValueExpr(field string) string {
	path := "$"
	for _, s := range strings.Split(field, ".") {
		path += `."` + s + `"`
	}

	return fmt.Sprintf(`IFNULL(%[1]s->>'%[2]s', %[1]s->'%[2]s')`, DefaultColumn, path)
}

// IndexColumns returns the column list of the SQLite index for index.
func IndexColumns(index IndexInfo) []string {
	var columns []string

	for _, key := range index.Key {
		dir := ""
		if key.Descending {
			dir = " DESC"
		}

		if index.Typed {
			columns = append(columns, TypedRankExpr(key.Field)+dir, TypedValueExpr(key.Field)+dir)
			continue
		}

		// stock FerretDB v1.24.2 expression
		fields := strings.Split(key.Field, ".")
		for j, f := range fields {
			fields[j] = fmt.Sprintf("%q", f)
		}

		columns = append(columns, fmt.Sprintf("%s->%s", DefaultColumn, strings.Join(fields, "->"))+dir)
	}

	return columns
}

// createIndexSQL returns the CREATE INDEX statement for index of table.
func createIndexSQL(table string, index IndexInfo) string {
	q := "CREATE "
	if index.Unique {
		q += "UNIQUE "
	}

	return q + fmt.Sprintf("INDEX %q ON %q (%s)", table+"_"+index.Name, table, strings.Join(IndexColumns(index), ", "))
}

// typedUpgrade is called when createIndexes names an index that already exists. If it
// was created by a build without typed indexes and has the requested key and uniqueness,
// it is rebuilt typed in one transaction, so data directories made before this patch get
// the pushdown on the next start (the app creates its indexes at boot). On any error
// the old index stays, and queries simply do not push down through it.
func (r *Registry) typedUpgrade(ctx context.Context, db *fsql.DB, c *Collection, index IndexInfo) {
	i := slices.IndexFunc(c.Settings.Indexes, func(e IndexInfo) bool { return e.Name == index.Name })
	if i < 0 {
		return
	}

	old := c.Settings.Indexes[i]
	if old.Typed || old.Name == backends.DefaultIndexName || !TypedEligible(old.Key) ||
		old.Unique != index.Unique || !slices.Equal(old.Key, index.Key) {
		return
	}

	upgraded := old
	upgraded.Typed = true

	err := db.InTransaction(ctx, func(tx *fsql.Tx) error {
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("DROP INDEX %q", c.TableName+"_"+old.Name)); err != nil {
			return err
		}

		_, err := tx.ExecContext(ctx, createIndexSQL(c.TableName, upgraded))

		return err
	})
	if err != nil {
		r.l.WarnContext(ctx, "typed index upgrade failed; keeping the stock index", "index", old.Name, "error", err)
		return
	}

	c.Settings.Indexes[i].Typed = true
}
