package model

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/template"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// WriteTorchScript writes to w the Python source of a module that rebuilds
// net, which spec must describe, in PyTorch and loads the weights that
// WriteTorchState writes, from the file called weights beside the script.
// It needs only torch (a small safetensors reader is part of the script)
// and defines
//
//	build()          the torch.nn.Sequential, untrained: layer i is kiso's
//	                 layer i, so state_dict names match ("0.weight")
//	load(path)       build() in opts.DType with the weights, in eval mode
//	INPUT_SHAPE      one case's shape, without the batch dimension
//	CLASSES          the class names, when info has them
//	MEAN, STD        the standardization to apply to inputs, when info has it
//
// Layers map one to one: Linear to nn.Linear (to a FlattenLinear defined
// in the script when its input is not a vector, since kiso's Linear
// flattens), Conv2D to nn.Conv2d, MaxPool2D to nn.MaxPool2d, BatchNorm to
// nn.BatchNorm1d or, over channels of images, nn.BatchNorm2d, Dropout to
// nn.Dropout, Flatten to nn.Flatten, the activations to nn.ReLU,
// nn.Sigmoid, nn.Tanh, nn.LeakyReLU(0.01), nn.Identity and, for step, a
// Step module defined in the script. Run as a program, it prints the
// loaded model.
//
// It returns an error, writing nothing, if spec does not describe net or
// opts.DType is not F32 or F64.
func WriteTorchScript[T tensor.Float](w io.Writer, net *nn.Sequential[T], spec nn.Spec, info Info, weights string, opts TorchOptions) error {
	dtype, err := exportDType(opts.DType)
	if err != nil {
		return err
	}
	plan, err := exportPlan(net, spec)
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
	for _, l := range plan {
		code := torchLayer(l)
		s.Step = s.Step || strings.HasPrefix(code, "Step(")
		s.FlattenLinear = s.FlattenLinear || strings.HasPrefix(code, "FlattenLinear(")
		s.Layers = append(s.Layers, fmt.Sprintf("%-48s # %d: %s", code+",", l.index, shapeString(l.out)))
	}
	var b strings.Builder
	if err := torchTemplate.Execute(&b, s); err != nil {
		return err
	}
	_, err = io.WriteString(w, b.String())
	return err
}

// torchLayer returns the Python expression that builds the PyTorch module
// of one layer.
func torchLayer[T tensor.Float](l exportLayer[T]) string {
	switch x := l.layer.(type) {
	case *nn.Linear[T]:
		if len(l.in) != 1 {
			return fmt.Sprintf("FlattenLinear(%d, %d)", x.In(), x.Out())
		}
		return fmt.Sprintf("nn.Linear(%d, %d)", x.In(), x.Out())
	case *nn.Conv2D[T]:
		g := x.Window()
		bias := ""
		if x.B == nil {
			bias = ", bias=False"
		}
		return fmt.Sprintf("nn.Conv2d(%d, %d, (%d, %d), stride=%d, padding=%d%s)", x.In(), x.Out(), g.H, g.W, g.Stride, g.Pad, bias)
	case *nn.MaxPool2D[T]:
		g := x.Window()
		return fmt.Sprintf("nn.MaxPool2d((%d, %d), stride=%d, padding=%d)", g.H, g.W, g.Stride, g.Pad)
	case *nn.BatchNorm[T]:
		kind := "nn.BatchNorm1d" // [batch, features] or [batch, channels, length]
		if len(l.in) == 3 {
			kind = "nn.BatchNorm2d"
		}
		return fmt.Sprintf("%s(%d, eps=%s)", kind, x.Features(), pyFloat(x.Eps))
	case *nn.Dropout[T]:
		return fmt.Sprintf("nn.Dropout(%s)", pyFloat(x.P()))
	case *nn.Flatten[T]:
		return "nn.Flatten()"
	case *nn.Activation[T]:
		switch x.Func {
		case nn.ReLU:
			return "nn.ReLU()"
		case nn.Sigmoid:
			return "nn.Sigmoid()"
		case nn.Tanh:
			return "nn.Tanh()"
		case nn.LeakyReLU:
			return fmt.Sprintf("nn.LeakyReLU(%s)", pyFloat(nn.LeakySlope))
		case nn.Step:
			return "Step()"
		}
	}
	return "nn.Identity()"
}

// pyFloat formats a float as Python reads it back exactly: 0.5, 1.0,
// 1e-05, float("nan").
func pyFloat(v float64) string {
	s := strconv.FormatFloat(v, 'g', -1, 64)
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return `float("` + s + `")`
	case !strings.ContainsAny(s, ".e"):
		s += ".0"
	}
	return s
}

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
	Step, FlattenLinear           bool
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
{{- if .Step}}


class Step(nn.Module):
    """kiso's step activation: 1 where x > 0, else 0."""

    def forward(self, x):
        return (x > 0).to(x.dtype)
{{- end}}
{{- if .FlattenLinear}}


class FlattenLinear(nn.Linear):
    """nn.Linear that flattens each case first, as kiso's Linear does."""

    def forward(self, x):
        return super().forward(x.flatten(1))
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
