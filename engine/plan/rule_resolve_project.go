package plan

import (
	"strings"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/expr"
)

// resolveProject binds every expression of a projection against the
// child's schema to learn the output columns. A plain column reference,
// aliased or not, keeps its field metadata (the watermark marker among it).
type resolveProject struct{}

func (resolveProject) Name() string { return "ResolveProject" }

func (resolveProject) Apply(n Node) (Node, error) {
	p, ok := n.(*Project)
	if !ok || p.Out != nil {
		return n, nil
	}
	in := p.Child.Schema()
	fields := make([]arrow.Field, len(p.Exprs))
	for i, e := range p.Exprs {
		b, err := expr.Bind(e, in)
		if err != nil {
			return nil, err
		}
		fields[i] = arrow.Field{Name: b.Name(), Type: b.Type(), Nullable: b.Nullable(), Metadata: refMetadata(e, in)}
	}
	cp := *p
	cp.Out = arrow.NewSchema(fields, nil)
	return &cp, nil
}

// refMetadata returns the metadata of the top-level column e refers to,
// looking through aliases and window(); none for other expressions.
func refMetadata(e expr.Expr, in *arrow.Schema) arrow.Metadata {
	for {
		switch x := e.(type) {
		case *expr.Alias:
			e = x.Child
			continue
		case *expr.Call:
			// window(ts, ...) carries the watermark of ts, as Spark's
			// TimeWindowing gives the window column ts's metadata.
			if strings.EqualFold(x.Name, "window") && len(x.Args) > 0 {
				e = x.Args[0]
				continue
			}
		case *expr.ColumnRef:
			if len(x.Parts) != 1 {
				return arrow.Metadata{}
			}
			for _, f := range in.Fields() {
				if strings.EqualFold(f.Name, x.Parts[0]) {
					return f.Metadata
				}
			}
		}
		return arrow.Metadata{}
	}
}
