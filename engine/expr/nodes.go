package expr

// Every node type implements Expr with pointer receivers: trees are built
// from &ColumnRef{...}, &Binary{...}, &Call{...} and so on.

// Invalid stands for an expression that could not be built, such as a Cast
// to an unknown type name or an Expr string that does not parse. Building a
// Column never panics: the error is kept in the tree and reported by Bind.
type Invalid struct {
	Err error
}

// GetField extracts the field Name of the struct Child (Column.getField).
// ColumnRef already covers paths written as "a.b"; GetField is for a field
// of a computed struct, such as from_json(...).getField("a").
type GetField struct {
	Child Expr
	Name  string
}

// GetItem is Child[Key]: an array element by 0-based index or a map value by
// key (Column.getItem, SQL a[0] and m['k']). A missing element is null.
type GetItem struct {
	Child, Key Expr
}
