package cells

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/gostream/gostream/kernel"
)

// builtinMagics are the magics every executor has.
var builtinMagics = map[string]string{
	"help":    "show how cells work and list the magics",
	"lsmagic": "list the magics",
}

// runCell runs a cell: its leading %magic lines in order, then its Go code.
func (e *Executor) runCell(c *cell, hardCtx context.Context, src string) (kernel.MIMEBundle, *kernel.ErrorContent) {
	magics, code := splitMagics(src)
	var last kernel.MIMEBundle
	for _, m := range magics {
		if last != nil {
			c.out.Display(last, nil, "")
		}
		b, ec := e.runMagic(c, m)
		if ec != nil {
			return nil, ec
		}
		last = b
	}
	if strings.TrimSpace(code) == "" {
		return last, nil
	}
	if last != nil {
		c.out.Display(last, nil, "")
	}
	return e.runCode(c, hardCtx, code)
}

// splitMagics returns the leading %magic lines of a cell (trimmed, without
// their %) and its Go code, in which they are blanked so that positions
// stay right.
func splitMagics(src string) (magics []string, code string) {
	lines := strings.Split(src, "\n")
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		if !strings.HasPrefix(t, "%") {
			break
		}
		magics = append(magics, t[1:])
		lines[i] = ""
	}
	return magics, strings.Join(lines, "\n")
}

// runMagic runs one magic line (without its %).
func (e *Executor) runMagic(c *cell, line string) (kernel.MIMEBundle, *kernel.ErrorContent) {
	name, args, _ := strings.Cut(line, " ")
	args = strings.TrimSpace(args)
	switch name {
	case "lsmagic":
		return kernel.MIMEBundle{"text/plain": e.magicList()}, nil
	case "help":
		return kernel.MIMEBundle{"text/plain": helpText + "\nMagics:\n" + e.magicList()}, nil
	}
	f, ok := e.opts.Magics[name]
	if !ok {
		msg := fmt.Sprintf("unknown magic %%%s; %%lsmagic lists the available ones", name)
		return nil, &kernel.ErrorContent{EName: "UsageError", EValue: msg, Traceback: []string{"UsageError: " + msg}}
	}
	b, err := f(c.ctx, args, c.out)
	if err != nil {
		msg := fmt.Sprintf("%%%s: %v", name, err)
		return nil, &kernel.ErrorContent{EName: "MagicError", EValue: msg, Traceback: []string{"MagicError: " + msg}}
	}
	return b, nil
}

// magicList lists every magic, one per line.
func (e *Executor) magicList() string {
	var names []string
	for n := range builtinMagics {
		names = append(names, n)
	}
	for n := range e.opts.Magics {
		if _, ok := builtinMagics[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		if d, ok := builtinMagics[n]; ok {
			fmt.Fprintf(&b, "%%%-10s %s\n", n, d)
		} else {
			fmt.Fprintf(&b, "%%%s\n", n)
		}
	}
	return b.String()
}

const helpText = `Cells are Go. A cell may mix imports, declarations and statements; names
defined at the top level of a cell (x := 1, var, func, type) stay defined for
later cells and can be redefined. The value of a last expression is shown.
Input(prompt) reads a line from the user; fmt.Scan* and os.Stdin read too.
Interrupt stops a running cell. A line starting with % runs a magic.
`
