package engine

import (
	"context"
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/gostream/gostream/engine/nexmark"
	"github.com/gostream/gostream/engine/plan"
	"github.com/gostream/gostream/engine/source"
)

// nexmarkStream is format("nexmark"): one table (person, auction or bid)
// of the Nexmark benchmark's generated auction events. See
// nexmark.ParseSourceOptions for the options.
type nexmarkStream struct {
	cfg  nexmark.SourceConfig
	opts source.Options
}

// nexmarkRelation validates the options of format("nexmark") and returns
// its source and schema.
func nexmarkRelation(schema *arrow.Schema, opts source.Options) (plan.Source, *arrow.Schema, error) {
	if schema != nil {
		return nil, nil, fmt.Errorf("The nexmark source does not support a user-specified schema.")
	}
	cfg, err := nexmark.ParseSourceOptions(opts)
	if err != nil {
		return nil, nil, err
	}
	return nexmarkStream{cfg: cfg, opts: opts}, nexmark.SchemaOf(cfg.Table), nil
}

func (n nexmarkStream) String() string { return "NexmarkSource" + optionList(n.opts) }

func (n nexmarkStream) open(context.Context, string) (source.Source, error) {
	return nexmark.NewSource(n.cfg, nil)
}
