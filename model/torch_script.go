package model

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/template"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// WriteTorchScript writes to w the Python source of a module that rebuilds
// net in PyTorch and loads the weights that WriteTorchState writes, from
// the file called weights beside the script. It needs only torch (a small
// safetensors reader is part of the script) and defines
//
//	build()          the torch.nn.Sequential, untrained: layer i is kiso's
//	                 layer i, so state_dict names match ("0.weight")
//	load(path)       build() in opts.DType with the weights, in eval mode
//	INPUT_SHAPE      one case's shape, without the batch dimension
//	CLASSES          the class names, when info has them
//	MEAN, STD        the standardization to apply to inputs, when info has it
//
// Every layer writes its own module (nn.TorchExporter): Linear becomes
// nn.Linear (a FlattenLinear defined in the script when its input is not a
// vector, since kiso's Linear flattens), Conv2D nn.Conv2d, MaxPool2D
// nn.MaxPool2d, BatchNorm nn.BatchNorm1d or, over channels of images,
// nn.BatchNorm2d, Dropout nn.Dropout, Flatten nn.Flatten, the activations
// nn.ReLU, nn.Sigmoid, nn.Tanh, nn.LeakyReLU(0.01), nn.Identity and, for
// step, a Step module defined in the script. Run as a program, it prints
// the loaded model.
//
// It returns an error, writing nothing, if a layer cannot describe itself
// or has no PyTorch exporter (naming the layer and its index), or
// opts.DType is not F32 or F64.
func WriteTorchScript[T tensor.Float](w io.Writer, net *nn.Sequential[T], info Info, weights string, opts TorchOptions) error {
	dtype, err := exportDType(opts.DType)
	if err != nil {
		return err
	}
	_, plan, err := exportPlan(net)
	if err != nil {
		return err
	}
	s := scriptData{
		Module:  pyModule(weights),
		Weights: strconv.Quote(weights),
		DType:   map[string]string{"F32": "torch.float32", "F64": "torch.float64"}[dtype],
		Input:   pyTuple(plan[0].in),
		Output:  shapeString(plan[len(plan)-1].out),
	}
	if len(info.ClassNames) > 0 {
		s.Classes = pyList(info.ClassNames, strconv.Quote)
	}
	if len(info.Mean) > 0 && len(info.Std) > 0 {
		s.Mean, s.Std = pyList(info.Mean, pyFloat), pyList(info.Std, pyFloat)
	}
	g := &torchGraph{defined: map[string]bool{}}
	for _, l := range plan {
		code, err := g.Sub(l.layer, l.in)
		if err != nil {
			return fmt.Errorf("layer %d (%s): %w", l.index, l.typ, err)
		}
		s.Layers = append(s.Layers, fmt.Sprintf("%-48s # %d: %s", code+",", l.index, shapeString(l.out)))
	}
	s.Defs = g.defs
	var b strings.Builder
	if err := torchTemplate.Execute(&b, s); err != nil {
		return err
	}
	_, err = io.WriteString(w, b.String())
	return err
}

// torchGraph is the script as layers see it (nn.TorchGraph): the input
// shape of the layer being written, and the definitions made so far.
type torchGraph struct {
	in      []int
	defs    []string
	defined map[string]bool
}

func (g *torchGraph) InShape() []int { return slices.Clone(g.in) }

func (g *torchGraph) Define(name, code string) {
	if !g.defined[name] {
		g.defined[name] = true
		g.defs = append(g.defs, code)
	}
}

func (g *torchGraph) Sub(layer any, in []int) (string, error) {
	e, ok := layer.(nn.TorchExporter)
	if !ok {
		return "", fmt.Errorf("%T cannot be exported to PyTorch: it has no TorchModule method (nn.TorchExporter)", layer)
	}
	saved := g.in
	defer func() { g.in = saved }()
	g.in = in
	return e.TorchModule(g)
}

// pyFloat formats a float as Python reads it back exactly (nn.PyFloat).
func pyFloat(v float64) string { return nn.PyFloat(v) }

// pyModule returns the module name under which Python imports the script
// beside weights ("mnist" for "mnist.safetensors"), or "" if that is no
// Python identifier.
func pyModule(weights string) string {
	name, _, _ := strings.Cut(weights, ".")
	for i, r := range name {
		if !(r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || i > 0 && '0' <= r && r <= '9') {
			return ""
		}
	}
	return name
}

// pyTuple formats a shape as a Python tuple: (1, 28, 28), (784,).
func pyTuple(shape []int) string {
	parts := make([]string, len(shape))
	for i, d := range shape {
		parts[i] = strconv.Itoa(d)
	}
	if len(parts) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// pyList formats a Python list of values, each formatted by f.
func pyList[E any](v []E, f func(E) string) string {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = f(x)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// scriptData is what torchTemplate fills in.
type scriptData struct {
	Module                        string
	Weights, DType, Input, Output string
	Classes, Mean, Std            string
	Defs                          []string // classes the layers use
	Layers                        []string
}

var torchTemplate = template.Must(template.New("torch").Parse(`"""A kiso network in PyTorch, written by kiso export.

build() makes the torch.nn.Sequential with kiso's layers, numbered as in
kiso, and load() fills it with the weights in the file WEIGHTS names,
beside this one, and puts it in evaluation mode:
{{if .Module}}
    import torch
    from {{.Module}} import load, INPUT_SHAPE   # this file's folder on sys.path
    model = load()
{{- else}}
    import importlib.util, torch
    spec = importlib.util.spec_from_file_location("net", "path/to/this.py")
    net = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(net)
    model, INPUT_SHAPE = net.load(), net.INPUT_SHAPE
{{- end}}
    x = torch.zeros(1, *INPUT_SHAPE, dtype={{.DType}})   # a batch of one
    with torch.no_grad():
        logits = model(x)

Output: logits {{.Output}}. Running this file prints the loaded model.
"""
import json
import os
import struct

import torch
from torch import nn

WEIGHTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), {{.Weights}})
DTYPE = {{.DType}}
INPUT_SHAPE = {{.Input}}  # one case, without the batch dimension
{{- if .Classes}}
CLASSES = {{.Classes}}
{{- end}}
{{- if .Mean}}
# The network was trained on standardized inputs: give it (x - MEAN) / STD.
MEAN = {{.Mean}}
STD = {{.Std}}
{{- end}}
{{- range .Defs}}


{{.}}
{{- end}}


def build():
    """Returns the network, untrained; the comments give each layer's output."""
    return nn.Sequential(
{{- range .Layers}}
        {{.}}
{{- end}}
    )


def read_safetensors(path):
    """Returns the tensors of a safetensors file by name: an 8-byte
    little-endian header length, a JSON header, then the data."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    header.pop("__metadata__", None)
    dtypes = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64}
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        buf = bytearray(data[8 + n + begin:8 + n + end])
        tensors[name] = torch.frombuffer(buf, dtype=dtypes[info["dtype"]]).reshape(info["shape"])
    return tensors


def load(path=WEIGHTS):
    """Returns the network with the exported weights, in evaluation mode."""
    model = build().to(DTYPE)
    model.load_state_dict(read_safetensors(path))
    return model.eval()


if __name__ == "__main__":
    print(load())
`))
