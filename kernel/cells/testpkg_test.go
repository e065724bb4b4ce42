package cells

import (
	"fmt"
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

// Failure is a compiled error type that names itself, as the notebook
// API's *Exception does.
type Failure struct{ Class, Msg string }

func (f *Failure) Error() string         { return f.Msg }
func (f *Failure) ExceptionName() string { return f.Class }

// Fail panics with a *Failure, as notebook API calls raise exceptions.
func Fail(class, msg string) { panic(&Failure{class, msg}) }

// Check returns n, or a *Failure wrapped with context when n is negative.
func Check(n int) (int, error) {
	if n < 0 {
		return 0, fmt.Errorf("check %d: %w", n, &Failure{"AnalysisException", "negative"})
	}
	return n, nil
}

// Must returns n, and panics with a *Failure when n is negative: a compiled
// call that raises from inside an argument list.
func Must(n int) int {
	if n < 0 {
		panic(&Failure{"AnalysisException", fmt.Sprintf("negative: %d", n)})
	}
	return n
}

// Each calls f with each of xs: compiled code calling back into cells.
func Each(xs []int, f func(int)) {
	for _, x := range xs {
		f(x)
	}
}

// Store writes into the map m, which panics in compiled code when m is nil.
func Store(m map[string]int, k string) { m[k] = len(k) }

var testExports = interp.Exports{
	"gostream/testpkg/testpkg": {
		"Chart":      reflect.ValueOf((*Chart)(nil)),
		"Failure":    reflect.ValueOf((*Failure)(nil)),
		"Fail":       reflect.ValueOf(Fail),
		"Check":      reflect.ValueOf(Check),
		"Each":       reflect.ValueOf(Each),
		"Must":       reflect.ValueOf(Must),
		"Store":      reflect.ValueOf(Store),
		"NewFailure": reflect.ValueOf(func(class, msg string) error { return &Failure{class, msg} }),
	},
}

// bundlesEqual compares bundles, nil and empty alike.
func bundlesEqual(a, b kernel.MIMEBundle) bool {
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	return reflect.DeepEqual(a, b)
}
