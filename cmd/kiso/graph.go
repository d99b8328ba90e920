package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	ag "github.com/kiso-go/kiso/autograd"
	"github.com/kiso-go/kiso/autograd/layers"
	"github.com/kiso-go/kiso/model"
	"github.com/kiso-go/kiso/plot"
	"github.com/kiso-go/kiso/tensor"
)

func init() { extraCommands = append(extraCommands, newGraphCmd) }

// The largest --order drawn as text and as a picture. The graph grows about
// 2.5 times an order (tanh: 11 nodes at order 1, 48 at 3, 690 at 6); past
// order 6 Graphviz takes long to lay a picture out, and past 8 the text
// runs to megabytes.
const (
	maxGraphOrderText    = 8
	maxGraphOrderPicture = 6
)

// graphOptions are the flags of kiso graph.
type graphOptions struct {
	Order   int
	At      string
	Out     string
	Model   string
	Verbose bool
	List    bool
}

// builtin is a function kiso graph can draw: its DeZero step, its inputs'
// names and default values, and its formula, written as DeZero's programs
// write it so that the graph has the same nodes in the same order.
type builtin struct {
	name, formula, step string
	inputs              []string
	at                  []float64
	f                   func(x []*ag.Variable[float64]) *ag.Variable[float64]
}

func cst(v float64) *ag.Variable[float64] { return ag.ConstScalar(v) }

var builtins = []builtin{
	{"sphere", "x² + y²", "24", []string{"x", "y"}, []float64{1, 1}, func(v []*ag.Variable[float64]) *ag.Variable[float64] {
		return ag.Add(ag.Pow(v[0], 2), ag.Pow(v[1], 2))
	}},
	{"matyas", "0.26(x² + y²) - 0.48xy", "24", []string{"x", "y"}, []float64{1, 1}, func(v []*ag.Variable[float64]) *ag.Variable[float64] {
		x, y := v[0], v[1]
		return ag.Sub(ag.Mul(ag.Add(ag.Pow(x, 2), ag.Pow(y, 2)), cst(0.26)), ag.Mul(ag.Mul(x, cst(0.48)), y))
	}},
	{"goldstein", "Goldstein-Price", "26", []string{"x", "y"}, []float64{1, 1}, goldstein},
	{"rosenbrock", "100(x1 - x0²)² + (x0 - 1)²", "28", []string{"x0", "x1"}, []float64{0, 2}, func(v []*ag.Variable[float64]) *ag.Variable[float64] {
		x0, x1 := v[0], v[1]
		return ag.Add(ag.Mul(ag.Pow(ag.Sub(x1, ag.Pow(x0, 2)), 2), cst(100)), ag.Pow(ag.Sub(x0, cst(1)), 2))
	}},
	{"quartic", "x⁴ - 2x²", "33", []string{"x"}, []float64{2}, func(v []*ag.Variable[float64]) *ag.Variable[float64] {
		return ag.Sub(ag.Pow(v[0], 4), ag.Mul(ag.Pow(v[0], 2), cst(2)))
	}},
	{"sin", "sin x", "34", []string{"x"}, []float64{1}, func(v []*ag.Variable[float64]) *ag.Variable[float64] { return ag.Sin(v[0]) }},
	{"cos", "cos x", "34", []string{"x"}, []float64{1}, func(v []*ag.Variable[float64]) *ag.Variable[float64] { return ag.Cos(v[0]) }},
	{"tanh", "tanh x", "35", []string{"x"}, []float64{1}, func(v []*ag.Variable[float64]) *ag.Variable[float64] { return ag.Tanh(v[0]) }},
	{"exp", "eˣ", "", []string{"x"}, []float64{1}, func(v []*ag.Variable[float64]) *ag.Variable[float64] { return ag.Exp(v[0]) }},
	{"sigmoid", "1/(1 + e⁻ˣ)", "", []string{"x"}, []float64{1}, func(v []*ag.Variable[float64]) *ag.Variable[float64] { return ag.Sigmoid(v[0]) }},
}

// goldstein is the Goldstein-Price function as DeZero's step 24 writes it:
// (1 + (x + y + 1)²(19 - 14x + 3x² - 14y + 6xy + 3y²)) ·
// (30 + (2x - 3y)²(18 - 32x + 12x² + 48y - 36xy + 27y²)). A Python literal
// on the left (2*x, 1 + a) is the right operand of DeZero's function, as
// its __rmul__ and __radd__ make it; 19 - a is Sub(19, a), as __rsub__.
func goldstein(v []*ag.Variable[float64]) *ag.Variable[float64] {
	x, y := v[0], v[1]
	k := func(c float64, a *ag.Variable[float64]) *ag.Variable[float64] { return ag.Mul(a, cst(c)) }
	sq := func(a *ag.Variable[float64]) *ag.Variable[float64] { return ag.Pow(a, 2) }
	a := sq(ag.Add(ag.Add(x, y), cst(1)))
	b := ag.Sub(cst(19), k(14, x))
	b = ag.Add(b, k(3, sq(x)))
	b = ag.Sub(b, k(14, y))
	b = ag.Add(b, ag.Mul(k(6, x), y))
	b = ag.Add(b, k(3, sq(y)))
	left := ag.Add(ag.Mul(a, b), cst(1))
	c := sq(ag.Sub(k(2, x), k(3, y)))
	d := ag.Sub(cst(18), k(32, x))
	d = ag.Add(d, k(12, sq(x)))
	d = ag.Add(d, k(48, y))
	d = ag.Sub(d, ag.Mul(k(36, x), y))
	d = ag.Add(d, k(27, sq(y)))
	right := ag.Add(ag.Mul(c, d), cst(30))
	return ag.Mul(left, right)
}

func findBuiltin(name string) *builtin {
	for i := range builtins {
		if builtins[i].name == name {
			return &builtins[i]
		}
	}
	return nil
}

func builtinNames() string {
	names := make([]string, len(builtins))
	for i, b := range builtins {
		names[i] = b.name
	}
	return strings.Join(names, ", ")
}

func newGraphCmd(stdout, stderr io.Writer) *cobra.Command {
	o := &graphOptions{}
	cmd := &cobra.Command{
		Use:   "graph [FUNCTION | --model FILE] [--order N] [--out FILE]",
		Short: "Draw the computational graph of a function, of its derivatives or of a model",
		Long: `Draw the graph that kiso's autograd records while it computes a function,
as DeZero draws it (steps 26 and 35 of "Deep Learning from Scratch 3"):
variables in orange ellipses, functions in blue boxes.

FUNCTION is one of kiso's built-in functions (kiso graph --list shows them
with their formulas; the default is tanh). --order N draws the graph of the
N-th derivative with respect to the first input, made by differentiating
the recorded graph of the one before (backward with create_graph): the
graph of a derivative is itself a graph of functions. --at sets the point
(the defaults are the book's). --model FILE draws the forward graph of a
kiso model file for one input case, each layer one function whose inputs
are the data and the layer's parameters, named by path.

Without --out the DOT text goes to standard output and a summary line (the
value and the size of the graph) to standard error. --out FILE writes .dot
or .gv text, or a .svg, .png or .pdf picture through Graphviz's dot, which
must be installed (apt-get install graphviz). Orders up to 8 are drawn as
text and up to 6 as pictures (tanh's 6th derivative has 690 nodes).`,
		Example: `  kiso graph tanh --order 3 --out tanh.svg
  kiso graph goldstein --out goldstein.png
  kiso graph sin --order 2 | dot -Tpng > sin.png
  kiso graph --model mnist.kiso --out model.svg
  kiso graph --list`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runGraph(cmd.Context(), o, args, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.Order, "order", 0, "draw the graph of the N-th derivative (0: the function itself)")
	f.StringVar(&o.At, "at", "", "the point, comma-separated (default: the book's, 1 for tanh)")
	f.StringVar(&o.Out, "out", "", "write to this file (.dot, .gv, .svg, .png or .pdf) instead of printing DOT")
	f.StringVar(&o.Model, "model", "", "draw the forward graph of this kiso model file")
	f.BoolVar(&o.Verbose, "verbose", false, "label variables with their shapes and types")
	f.BoolVar(&o.List, "list", false, "list the built-in functions")
	return cmd
}

func runGraph(ctx context.Context, o *graphOptions, args []string, stdout, stderr io.Writer) error {
	if o.List {
		if len(args) > 0 || o.Model != "" {
			return usagef("--list takes no function or --model")
		}
		for _, b := range builtins {
			at := make([]string, len(b.at))
			for i, v := range b.at {
				at[i] = b.inputs[i] + "=" + strconv.FormatFloat(v, 'g', -1, 64)
			}
			step := ""
			if b.step != "" {
				step = " (DeZero step " + b.step + ")"
			}
			fmt.Fprintf(stdout, "%-10s %s at %s%s\n", b.name, b.formula, strings.Join(at, ", "), step)
		}
		return nil
	}
	if len(args) > 1 {
		return usagef("kiso graph takes one function, got %q", args)
	}
	limit := maxGraphOrderText
	picture := false
	if o.Out != "" {
		switch strings.ToLower(filepath.Ext(o.Out)) {
		case ".dot", ".gv":
		case ".svg", ".png", ".pdf":
			limit, picture = maxGraphOrderPicture, true
		default:
			return usagef("--out %s: want a .dot, .gv, .svg, .png or .pdf file", o.Out)
		}
	}
	switch {
	case o.Order < 0:
		return usagef("--order %d: want 0 or more", o.Order)
	case o.Order > limit && picture:
		return usagef("--order %d: pictures are drawn up to order %d (tanh's 6th derivative has 690 nodes); write .dot text for up to %d", o.Order, limit, maxGraphOrderText)
	case o.Order > limit:
		return usagef("--order %d: want at most %d (the graph grows about 2.5 times an order)", o.Order, limit)
	}
	var src, summary string
	if o.Model != "" {
		if len(args) > 0 {
			return usagef("give a function or --model, not both")
		}
		if o.Order != 0 || o.At != "" {
			return usagef("--order and --at are for built-in functions: a model's layers have hand-written backward passes, whose graphs are not recorded")
		}
		var err error
		if src, summary, err = modelGraph(o.Model, o.Verbose); err != nil {
			return err
		}
	} else {
		name := "tanh"
		if len(args) == 1 {
			name = args[0]
		}
		b := findBuiltin(name)
		if b == nil {
			return usagef("unknown function %q: want one of %s (or --model FILE)", name, builtinNames())
		}
		at := b.at
		if o.At != "" {
			var err error
			if at, err = parsePoint(o.At, len(b.inputs)); err != nil {
				return usagef("--at %q: %v", o.At, err)
			}
		}
		out, value := derivativeGraph(b, at, o.Order)
		src = ag.DOT(out, o.Verbose)
		summary = fmt.Sprintf("%s at %s: %s = %s", b.name, pointString(b.inputs, at), derivativeName(b, o.Order), strconv.FormatFloat(value, 'g', -1, 64))
	}
	nodes, edges := dotSize(src)
	summary += fmt.Sprintf(" (graph: %d nodes, %d edges)", nodes, edges)
	if o.Out == "" {
		if _, err := io.WriteString(stdout, src); err != nil {
			return err
		}
		fmt.Fprintln(stderr, summary)
		return nil
	}
	if err := plot.DOT(ctx, o.Out, src); err != nil {
		if errors.Is(err, plot.ErrNoGraphviz) {
			return fmt.Errorf("%s: Graphviz's dot is not installed (apt-get install graphviz); --out with .dot writes the text", o.Out)
		}
		return err
	}
	fmt.Fprintf(stdout, "%s; wrote %s\n", summary, o.Out)
	return nil
}

// derivativeGraph computes b at the point and differentiates it order
// times with respect to its first input, recording each derivative's
// graph, and returns the last variable (the value or the derivative) and
// its value.
func derivativeGraph(b *builtin, at []float64, order int) (*ag.Variable[float64], float64) {
	xs := make([]*ag.Variable[float64], len(at))
	for i, v := range at {
		xs[i] = ag.Scalar(v)
		xs[i].Name = b.inputs[i]
	}
	y := b.f(xs)
	y.Name = "y"
	if len(xs) == 2 {
		y.Name = "z"
	}
	out := y
	for i := 1; i <= order; i++ {
		for _, x := range xs {
			x.ClearGrad()
		}
		out.Backward(ag.CreateGraph)
		out = xs[0].Grad
		if out == nil {
			// The derivative is zero and recorded nothing (x⁴'s 5th).
			out = ag.ConstScalar(0.0)
			break
		}
		out.Name = "g" + b.inputs[0] + strconv.Itoa(i)
	}
	return out, out.Item()
}

// derivativeName writes the n-th derivative of b's output with respect to
// its first input: y, dy/dx, d²y/dx², ∂z/∂x.
func derivativeName(b *builtin, n int) string {
	y, d := "y", "d"
	if len(b.inputs) == 2 {
		y, d = "z", "∂"
	}
	switch n {
	case 0:
		return y
	case 1:
		return d + y + "/" + d + b.inputs[0]
	}
	p := strconv.Itoa(n)
	return d + "^" + p + y + "/" + d + b.inputs[0] + "^" + p
}

func parsePoint(s string, n int) ([]float64, error) {
	parts := strings.Split(s, ",")
	if len(parts) != n {
		return nil, fmt.Errorf("the function takes %d value(s), got %d", n, len(parts))
	}
	at := make([]float64, n)
	for i, p := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%q is not a finite number", p)
		}
		at[i] = v
	}
	return at, nil
}

func pointString(names []string, at []float64) string {
	parts := make([]string, len(at))
	for i, v := range at {
		parts[i] = names[i] + "=" + strconv.FormatFloat(v, 'g', -1, 64)
	}
	return strings.Join(parts, ", ")
}

// modelGraph returns the DOT text of the forward graph of the model file at
// path on one case of zeros, and a summary line.
func modelGraph(path string, verbose bool) (string, string, error) {
	m, err := model.Load[float64](path)
	if err != nil {
		return "", "", err
	}
	in := m.Net.Input
	if len(in) == 0 {
		return "", "", fmt.Errorf("%s: the model does not record its input shape", path)
	}
	x := ag.Named("x", tensor.New[float64](append([]int{1}, in...)...))
	y := x
	for i, l := range m.Net.Layers {
		f := layers.FromNN(l)
		f.Train = false
		for _, p := range layers.NamedParams[float64](f) {
			p.V.Name = strconv.Itoa(i) + "." + p.Path
		}
		y = f.Forward(y)
	}
	if y == x {
		return "", "", fmt.Errorf("%s: the model has no layers", path)
	}
	y.Name = "y"
	return ag.DOT(y, verbose), fmt.Sprintf("%s: %d layers, input %v, output %v", path, len(m.Net.Layers), slices.Clone(in), y.Shape()[1:]), nil
}

var dotNode = regexp.MustCompile(`(?m)^(\d+) \[label`)

// dotSize counts the distinct nodes and the edges of DOT text as DOT writes it.
func dotSize(src string) (nodes, edges int) {
	seen := map[string]bool{}
	for _, m := range dotNode.FindAllStringSubmatch(src, -1) {
		seen[m[1]] = true
	}
	return len(seen), strings.Count(src, " -> ")
}
