package fileindex

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// CleanMode says what the file source does with a file once the batch that
// read it has committed (option cleanSource).
type CleanMode int

const (
	// CleanOff leaves completed files where they are (the default).
	CleanOff CleanMode = iota
	// CleanDelete deletes completed files.
	CleanDelete
	// CleanArchive moves completed files under SourceArchiveDir.
	CleanArchive
)

func (m CleanMode) String() string {
	switch m {
	case CleanDelete:
		return "delete"
	case CleanArchive:
		return "archive"
	default:
		return "off"
	}
}

// DefaultMaxFileAge is Spark's default maxFileAge (7d).
const DefaultMaxFileAge = 7 * 24 * time.Hour

// Options are the file source's options. The zero value is not the default:
// start from [DefaultOptions] or [ParseOptions].
type Options struct {
	// MaxFilesPerTrigger caps the files of one batch; 0 means no cap. A
	// batch with new files always takes at least one.
	MaxFilesPerTrigger int
	// MaxBytesPerTrigger caps the total size of one batch's files; 0 means
	// no cap. The first file is always taken, however large.
	MaxBytesPerTrigger int64
	// LatestFirst processes the newest files first.
	LatestFirst bool
	// FileNameOnly treats files with the same name in different
	// directories as the same file.
	FileNameOnly bool
	// MaxFileAge: files older than the newest file seen minus MaxFileAge
	// are ignored (not the wall clock, as Spark). Ignored when LatestFirst
	// and a per-trigger cap are both set.
	MaxFileAge time.Duration
	// CleanSource and SourceArchiveDir: see [CleanMode].
	CleanSource      CleanMode
	SourceArchiveDir string
}

// DefaultOptions returns Spark's defaults.
func DefaultOptions() Options {
	return Options{MaxFileAge: DefaultMaxFileAge}
}

// ParseOptions reads the file source's options from string options as a
// user gives them (keys case-insensitive). Keys it does not know (format
// options such as "header") are ignored. Error texts are Spark's.
func ParseOptions(opts map[string]string) (Options, error) {
	o := DefaultOptions()
	get := func(key string) (string, bool) {
		for k, v := range opts {
			if strings.EqualFold(k, key) {
				return v, true
			}
		}
		return "", false
	}
	if v, ok := get("maxFilesPerTrigger"); ok {
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 32)
		if err != nil || n <= 0 {
			return Options{}, fmt.Errorf("Invalid value '%s' for option 'maxFilesPerTrigger', must be a positive integer", v)
		}
		o.MaxFilesPerTrigger = int(n)
	}
	if v, ok := get("maxBytesPerTrigger"); ok {
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || n <= 0 {
			return Options{}, fmt.Errorf("Invalid value '%s' for option 'maxBytesPerTrigger', must be a positive integer", v)
		}
		if o.MaxFilesPerTrigger > 0 {
			return Options{}, fmt.Errorf("Options 'maxFilesPerTrigger' and 'maxBytesPerTrigger' can't be both set at the same time")
		}
		o.MaxBytesPerTrigger = n
	}
	for _, b := range []struct {
		key string
		dst *bool
	}{{"latestFirst", &o.LatestFirst}, {"fileNameOnly", &o.FileNameOnly}} {
		if v, ok := get(b.key); ok {
			switch strings.ToLower(strings.TrimSpace(v)) {
			case "true":
				*b.dst = true
			case "false":
				*b.dst = false
			default:
				return Options{}, fmt.Errorf("Invalid value '%s' for option '%s', must be 'true' or 'false'", v, b.key)
			}
		}
	}
	if v, ok := get("maxFileAge"); ok {
		d, err := ParseTimeString(v)
		if err != nil {
			return Options{}, fmt.Errorf("Invalid value '%s' for option 'maxFileAge': %w", v, err)
		}
		if d < 0 {
			return Options{}, fmt.Errorf("Invalid value '%s' for option 'maxFileAge': must not be negative", v)
		}
		o.MaxFileAge = d
	}
	if v, ok := get("cleanSource"); ok {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "off":
			o.CleanSource = CleanOff
		case "delete":
			o.CleanSource = CleanDelete
		case "archive":
			o.CleanSource = CleanArchive
		default:
			return Options{}, fmt.Errorf("Invalid mode for clean source option %s. Must be one of ARCHIVE,DELETE,OFF", v)
		}
	}
	o.SourceArchiveDir, _ = get("sourceArchiveDir")
	if err := o.validate(); err != nil {
		return Options{}, err
	}
	return o, nil
}

func (o Options) validate() error {
	switch {
	case o.MaxFilesPerTrigger < 0:
		return fmt.Errorf("Invalid value '%d' for option 'maxFilesPerTrigger', must be a positive integer", o.MaxFilesPerTrigger)
	case o.MaxBytesPerTrigger < 0:
		return fmt.Errorf("Invalid value '%d' for option 'maxBytesPerTrigger', must be a positive integer", o.MaxBytesPerTrigger)
	case o.MaxFilesPerTrigger > 0 && o.MaxBytesPerTrigger > 0:
		return fmt.Errorf("Options 'maxFilesPerTrigger' and 'maxBytesPerTrigger' can't be both set at the same time")
	case o.MaxFileAge < 0:
		return fmt.Errorf("Invalid value '%s' for option 'maxFileAge': must not be negative", o.MaxFileAge)
	case o.CleanSource == CleanArchive && o.SourceArchiveDir == "":
		return fmt.Errorf("Archive mode must be used with 'sourceArchiveDir' option.")
	}
	return nil
}

// maxFileAgeMs is the age limit in force: none when latestFirst is combined
// with a per-trigger cap (SPARK-19813: old unread files would be dropped).
func (o Options) maxFileAgeMs() int64 {
	if o.LatestFirst && (o.MaxFilesPerTrigger > 0 || o.MaxBytesPerTrigger > 0) {
		return math.MaxInt64
	}
	return o.MaxFileAge.Milliseconds()
}

var timeString = regexp.MustCompile(`^(-?[0-9]+)([a-z]+)?$`)

var timeUnits = map[string]time.Duration{
	"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second,
	"m": time.Minute, "min": time.Minute, "h": time.Hour, "d": 24 * time.Hour,
}

// ParseTimeString parses a duration the way Spark's configuration does
// ("50s", "100ms", "7d"; a bare number is milliseconds).
func ParseTimeString(s string) (time.Duration, error) {
	m := timeString.FindStringSubmatch(strings.ToLower(strings.TrimSpace(s)))
	if m == nil {
		return 0, fmt.Errorf("Time must be specified as seconds (s), milliseconds (ms), microseconds (us), minutes (m or min), hour (h), or day (d). E.g. 50s, 100ms, or 250us.")
	}
	unit := time.Millisecond
	if m[2] != "" {
		u, ok := timeUnits[m[2]]
		if !ok {
			return 0, fmt.Errorf("Invalid suffix: %q", m[2])
		}
		unit = u
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil || n > math.MaxInt64/int64(unit) || n < math.MinInt64/int64(unit) {
		return 0, fmt.Errorf("%q is out of range", s)
	}
	return time.Duration(n) * unit, nil
}
