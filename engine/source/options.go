package source

import (
	"fmt"
	"strconv"
	"strings"
)

// Options are the string options of a source or sink. Keys are
// case-insensitive, as in Spark: NewOptions lower-cases them.
type Options map[string]string

// NewOptions copies m with lower-cased keys.
func NewOptions(m map[string]string) Options {
	o := make(Options, len(m))
	for k, v := range m {
		o[strings.ToLower(k)] = v
	}
	return o
}

// Get returns the value of key, ignoring case.
func (o Options) Get(key string) (string, bool) {
	v, ok := o[strings.ToLower(key)]
	return v, ok
}

// Int returns key as an integer, def when absent.
func (o Options) Int(key string, def int64) (int64, error) {
	v, ok := o.Get(key)
	if !ok {
		return def, nil
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("Invalid value '%s' for option '%s', must be an integer", v, key)
	}
	return n, nil
}

// Bool returns key as a boolean ("true"/"false", any case), def when
// absent.
func (o Options) Bool(key string, def bool) (bool, error) {
	v, ok := o.Get(key)
	if !ok {
		return def, nil
	}
	b, err := strconv.ParseBool(strings.ToLower(strings.TrimSpace(v)))
	if err != nil {
		return false, fmt.Errorf("Invalid value '%s' for option '%s', must be true or false", v, key)
	}
	return b, nil
}
