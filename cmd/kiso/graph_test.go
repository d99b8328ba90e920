package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/internal/tools"
	"github.com/kiso-go/kiso/model"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
)

func TestGraphTanhOrder3(t *testing.T) {
	stdout, stderr, code := runCLI(t, "graph", "tanh", "--order", "3")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// tanh''' = -2(1 - tanh²)(1 - 3tanh²): at 1, 0.62162668... DeZero's
	// step 35 (iters = 2) prints the same value and writes the same text:
	// 61 node lines naming 48 nodes, and 60 edges.
	want := "tanh at x=1: d^3y/dx^3 = 0.6216266807712962 (graph: 48 nodes, 60 edges)\n"
	if stderr != want {
		t.Fatalf("summary %q, want %q", stderr, want)
	}
	if !strings.HasPrefix(stdout, "digraph g {\n1 [label=\"gx3\"") || strings.Count(stdout, "[label") != 61 {
		t.Fatalf("DOT text:\n%s", stdout)
	}
}

func TestGraphDefaultsAndList(t *testing.T) {
	stdout, stderr, code := runCLI(t, "graph")
	if code != 0 || stderr != "tanh at x=1: y = 0.7615941559557649 (graph: 3 nodes, 2 edges)\n" || !strings.Contains(stdout, `label="Tanh"`) {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	stdout, _, code = runCLI(t, "graph", "--list")
	if code != 0 || strings.Count(stdout, "\n") != len(builtins) || !strings.Contains(stdout, "quartic    x⁴ - 2x² at x=2 (DeZero step 33)") {
		t.Fatalf("exit %d\n%s", code, stdout)
	}
}

// The step 33 figures: y = x⁴ - 2x² at 2 gives 8, 24, 44 (and 48, 24, 0).
func TestGraphQuarticDerivatives(t *testing.T) {
	for order, want := range []string{"8", "24", "44", "48", "24", "0"} {
		_, stderr, code := runCLI(t, "graph", "quartic", "--order", fmt.Sprint(order))
		if code != 0 || !strings.Contains(stderr, " = "+want+" (") {
			t.Errorf("order %d: exit %d, %s (want %s)", order, code, stderr, want)
		}
	}
	_, stderr, _ := runCLI(t, "graph", "sphere", "--order", "1", "--at", "3,-1")
	if !strings.HasPrefix(stderr, "sphere at x=3, y=-1: ∂z/∂x = 6 (") {
		t.Errorf("sphere: %s", stderr)
	}
}

func TestGraphUsageErrors(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"graph", "tan"},
		{"graph", "tanh", "sin"},
		{"graph", "--order", "-1"},
		{"graph", "--order", "9"},
		{"graph", "--order", "7", "--out", filepath.Join(dir, "t.png")},
		{"graph", "--out", filepath.Join(dir, "t.txt")},
		{"graph", "sphere", "--at", "1"},
		{"graph", "tanh", "--at", "nan"},
		{"graph", "--model", "m.kiso", "--order", "1"},
		{"graph", "tanh", "--model", "m.kiso"},
	} {
		_, stderr, code := runCLI(t, args...)
		if code != 2 || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%q: exit %d, %q", args, code, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "t.png")); err == nil {
		t.Error("a refused command wrote a file")
	}
}

func TestGraphOrder7AsText(t *testing.T) {
	out := filepath.Join(t.TempDir(), "t.dot")
	stdout, stderr, code := runCLI(t, "graph", "tanh", "--order", "7", "--out", out)
	if code != 0 || !strings.Contains(stdout, "(graph: 1856 nodes, 2704 edges); wrote") {
		t.Fatalf("exit %d: %s%s", code, stdout, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil || !strings.HasPrefix(string(b), "digraph g {") {
		t.Fatalf("%v: %.40q", err, b)
	}
}

func TestGraphModel(t *testing.T) {
	dir := t.TempDir()
	spec := nn.Spec{Input: []int{4}, Layers: nn.LayerSpecs{
		nn.LinearSpec{In: 4, Out: 3}, nn.ActivationSpec{Func: nn.ReLU}, nn.LinearSpec{In: 3, Out: 2},
	}}
	net, err := nn.Build[float64](spec, nn.Normal(0.1), rng.NewNumpy(1))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "m.kiso")
	if err := model.Save(path, net, model.Info{}); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := runCLI(t, "graph", "--model", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// x, three layers and their outputs, four parameters.
	if !strings.HasSuffix(stderr, ": 3 layers, input [4], output [2] (graph: 11 nodes, 10 edges)\n") {
		t.Fatalf("summary %q", stderr)
	}
	for _, label := range []string{`"nn.Linear"`, `"nn.Activation"`, `"0.weight"`, `"2.bias"`, `"x"`, `"y"`} {
		if !strings.Contains(stdout, "[label="+label) {
			t.Errorf("no node %s in\n%s", label, stdout)
		}
	}
	_, stderr, code = runCLI(t, "graph", "--model", filepath.Join(dir, "none.kiso"))
	if code != 1 || !strings.HasPrefix(stderr, "kiso: load ") {
		t.Errorf("a missing file: exit %d, %q", code, stderr)
	}
}

func TestGraphPicture(t *testing.T) {
	if _, err := exec.LookPath("dot"); err != nil {
		tools.Missing(t, "Graphviz's dot", "apt-get install graphviz")
	}
	dir := t.TempDir()
	for _, name := range []string{"t.svg", "t.png"} {
		out := filepath.Join(dir, name)
		stdout, stderr, code := runCLI(t, "graph", "tanh", "--order", "2", "--out", out)
		if code != 0 || !strings.HasSuffix(stdout, "wrote "+out+"\n") {
			t.Fatalf("exit %d: %s%s", code, stdout, stderr)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if name == "t.svg" && !strings.Contains(string(b), "<svg") || name == "t.png" && !strings.HasPrefix(string(b), "\x89PNG") {
			t.Errorf("%s: not a picture: %.40q", name, b)
		}
	}
}

// dezeroBuiltins are the built-ins as DeZero's programs write them.
const dezeroBuiltins = `
import sys, numpy as np
sys.path.insert(0, sys.argv[1])
from dezero import Variable
from dezero.utils import get_dot_graph
import dezero.functions as F
fs = {
 'sphere': lambda x, y: x**2 + y**2,
 'matyas': lambda x, y: 0.26 * (x ** 2 + y ** 2) - 0.48 * x * y,
 'goldstein': lambda x, y: (1 + (x + y + 1)**2 * (19 - 14*x + 3*x**2 - 14*y + 6*x*y + 3*y**2)) * (30 + (2*x - 3*y)**2 * (18 - 32*x + 12*x**2 + 48*y - 36*x*y + 27*y**2)),
 'rosenbrock': lambda x0, x1: 100 * (x1 - x0 ** 2) ** 2 + (x0 - 1) ** 2,
 'quartic': lambda x: x ** 4 - 2 * x ** 2,
 'sin': F.sin, 'cos': F.cos, 'tanh': F.tanh, 'exp': F.exp, 'sigmoid': F.sigmoid,
}
for case in sys.argv[2:]:
    name, order, at = case.split(':')
    order, at = int(order), [float(a) for a in at.split(',')]
    names = {1: ['x'], 2: ['x', 'y']}[len(at)]
    if name == 'rosenbrock': names = ['x0', 'x1']
    xs = [Variable(np.array(a)) for a in at]
    for x, n in zip(xs, names): x.name = n
    out = fs[name](*xs)
    out.name = 'z' if len(xs) == 2 else 'y'
    for i in range(1, order + 1):
        for x in xs: x.cleargrad()
        out.backward(create_graph=True)
        out = xs[0].grad
        out.name = 'g' + names[0] + str(i)
    sys.stdout.write(get_dot_graph(out, verbose=False) + '=====\n')
`

var graphNodeID = regexp.MustCompile(`(?m)(^|-> )(\d+)`)

// renumberDOT names DOT's nodes n0, n1, ... in order of appearance, so
// that DeZero's text (numbered by Python's id) compares with kiso's.
func renumberDOT(dot string) string {
	ids := map[string]string{}
	return strings.TrimSpace(graphNodeID.ReplaceAllStringFunc(dot, func(m string) string {
		sub := graphNodeID.FindStringSubmatch(m)
		if _, ok := ids[sub[2]]; !ok {
			ids[sub[2]] = fmt.Sprint("n", len(ids))
		}
		return sub[1] + ids[sub[2]]
	}))
}

// TestGraphMatchesDeZero draws every built-in and its first two
// derivatives on both sides: the same DOT text, node for node.
func TestGraphMatchesDeZero(t *testing.T) {
	// The anchors sit beside the repository (../shared from its root), or
	// beside the folder of worktrees a checkout may be in.
	home := os.Getenv("KISO_ANCHORS")
	if home == "" {
		home = "../../../shared/anchors"
		if _, err := os.Stat(home); err != nil {
			home = "../../../../shared/anchors"
		}
	}
	home = filepath.Join(home, "dezero")
	if _, err := os.Stat(filepath.Join(home, "dezero", "utils.py")); err != nil {
		tools.Missing(t, "DeZero (shared/anchors/dezero)", "set KISO_ANCHORS to the anchors folder")
	}
	py := tools.Python(t, "numpy")
	script := filepath.Join(t.TempDir(), "graph.py")
	if err := os.WriteFile(script, []byte(dezeroBuiltins), 0o644); err != nil {
		t.Fatal(err)
	}
	var cases []string
	for _, b := range builtins {
		at := strings.Trim(strings.ReplaceAll(fmt.Sprint(b.at), " ", ","), "[]")
		for order := range 3 {
			cases = append(cases, fmt.Sprintf("%s:%d:%s", b.name, order, at))
		}
	}
	cmd := exec.Command(py, append([]string{script, home}, cases...)...)
	cmd.Env = append(os.Environ(), "MPLBACKEND=Agg")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	wants := strings.Split(string(out), "=====\n")
	if len(wants) != len(cases)+1 {
		t.Fatalf("DeZero drew %d graphs for %d cases", len(wants)-1, len(cases))
	}
	for i, c := range cases {
		parts := strings.Split(c, ":")
		got, stderr, code := runCLI(t, "graph", parts[0], "--order", parts[1])
		if code != 0 {
			t.Fatalf("%s: %s", c, stderr)
		}
		if w, g := renumberDOT(wants[i]), renumberDOT(got); w != g {
			t.Errorf("%s (name:order:point): graphs differ\nDeZero:\n%s\nkiso:\n%s", c, w, g)
		}
	}
}
