package cells

import (
	"reflect"

	"github.com/gostream/gostream/kernel"
	"github.com/traefik/yaegi/interp"
)

type interpExports = interp.Exports

func reflectValue(v any) reflect.Value { return reflect.ValueOf(v) }

// Chart is a compiled type offering display methods, as engine types do.
type Chart struct{ Title string }

func (c Chart) String() string { return "chart " + c.Title }
func (c Chart) HTML() string   { return "<h1>" + c.Title + "</h1>" }
func (c Chart) Display() kernel.MIMEBundle {
	return kernel.MIMEBundle{"application/vnd.test": c.Title}
}

var testExports = interp.Exports{
	"gostream/testpkg/testpkg": {
		"Chart": reflect.ValueOf((*Chart)(nil)),
	},
}

// bundlesEqual compares bundles, nil and empty alike.
func bundlesEqual(a, b kernel.MIMEBundle) bool {
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	return reflect.DeepEqual(a, b)
}
