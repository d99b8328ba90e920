package nn

import (
	"errors"
	"fmt"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// Spec describes a network as data: a chain of layers that Build turns into
// a Sequential. It is what a model file stores as its architecture, as
// JSON, so that a network can be rebuilt without Go code describing it.
type Spec struct {
	// Input is the shape of one case, without the batch dimension: [784]
	// for flat vectors, [1, 28, 28] for an image. It is optional; when it
	// is set, Build checks every layer's sizes against it.
	Input  []int       `json:"input,omitempty"`
	Layers []LayerSpec `json:"layers"`
}

// LayerSpec describes one layer. Type selects it; each type reads only the
// fields listed for it:
//
//	linear                 In, Out: features (Linear)
//	identity, step, sigmoid,
//	relu, tanh, leakyrelu  none (Activation)
//	dropout                P: drop probability in [0, 1) (Dropout)
//	batchnorm              Features: features or channels (BatchNorm)
//	conv2d                 In, Out: channels; Kernel (and KernelW), Stride, Pad, NoBias (Conv2D)
//	maxpool2d              Kernel (and KernelW), Stride, Pad (MaxPool2D)
//	flatten                none (Flatten)
//
// Kernels are Kernel×Kernel unless KernelW sets a different width. A zero
// Stride means 1 for conv2d and the kernel height for maxpool2d (PyTorch's
// defaults). Init, for linear and conv2d, names the layer's initializer as
// ParseInit reads it ("he", "xavier", "0.01"), overriding Build's default.
type LayerSpec struct {
	Type     string  `json:"type"`
	In       int     `json:"in,omitempty"`
	Out      int     `json:"out,omitempty"`
	Features int     `json:"features,omitempty"`
	Kernel   int     `json:"kernel,omitempty"`
	KernelW  int     `json:"kernel_w,omitempty"`
	Stride   int     `json:"stride,omitempty"`
	Pad      int     `json:"pad,omitempty"`
	NoBias   bool    `json:"no_bias,omitempty"`
	P        float64 `json:"p,omitempty"`
	Init     string  `json:"init,omitempty"`
}

// window returns the kernel geometry of a conv2d or maxpool2d spec, with the
// defaults filled in.
func (l LayerSpec) window() Window {
	g := Window{H: l.Kernel, W: l.KernelW, Stride: l.Stride, Pad: l.Pad}
	if g.W == 0 {
		g.W = g.H
	}
	if g.Stride == 0 {
		g.Stride = 1
		if l.Type == "maxpool2d" {
			g.Stride = g.H
		}
	}
	return g
}

// Validate checks the spec for one case of shape input (without the batch
// dimension; nil or empty means s.Input) and returns the shape of one output case.
// It reports unknown types, sizes that are not positive, bad rates and
// windows, and sizes that do not match the shape arriving at a layer.
// Without an input shape, only what does not depend on it is checked:
// dimensions that cannot be known are -1 in the result (nil if even the rank
// is unknown), and consecutive sizes are compared where both are known, such
// as Linear(…, 100) then BatchNorm(100) then Linear(100, …).
func (s Spec) Validate(input []int) ([]int, error) {
	if len(input) == 0 {
		input = s.Input
	}
	if len(s.Layers) == 0 {
		return nil, errors.New("spec has no layers")
	}
	for _, d := range input {
		if d < 1 {
			return nil, fmt.Errorf("input shape %v: dimensions must be positive", input)
		}
	}
	var shape []int // nil while the rank is unknown
	if len(input) > 0 {
		shape = append(shape, input...)
	}
	for i, l := range s.Layers {
		var err error
		if shape, err = l.outShape(shape); err != nil {
			return nil, fmt.Errorf("layer %d (%s): %w", i, l.Type, err)
		}
	}
	return shape, nil
}

// outShape checks the layer for one input case of shape in (nil: unknown
// rank; -1: unknown dimension) and returns the output case's shape.
func (l LayerSpec) outShape(in []int) ([]int, error) {
	switch l.Type {
	case "linear":
		if l.In < 1 || l.Out < 1 {
			return nil, fmt.Errorf("in %d and out %d must be positive", l.In, l.Out)
		}
		if n := numel(in); n > 0 && n != l.In {
			return nil, fmt.Errorf("input %v has %d features, layer expects %d", in, n, l.In)
		}
		return []int{l.Out}, nil
	case "dropout":
		if !(l.P >= 0 && l.P < 1) {
			return nil, fmt.Errorf("rate %v must be in [0, 1)", l.P)
		}
		return in, nil
	case "batchnorm":
		if l.Features < 1 {
			return nil, fmt.Errorf("features %d must be positive", l.Features)
		}
		if in != nil && (len(in) < 1 || len(in) > 3) {
			return nil, fmt.Errorf("input %v: want [features] or [channels, ...] of rank at most 3", in)
		}
		if in != nil && in[0] >= 0 && in[0] != l.Features {
			return nil, fmt.Errorf("input %v has %d features, layer expects %d", in, in[0], l.Features)
		}
		return in, nil
	case "conv2d":
		if l.In < 1 || l.Out < 1 {
			return nil, fmt.Errorf("in %d and out %d channels must be positive", l.In, l.Out)
		}
		if in != nil && len(in) == 3 && in[0] >= 0 && in[0] != l.In {
			return nil, fmt.Errorf("input %v has %d channels, layer expects %d", in, in[0], l.In)
		}
		return l.slide(in, l.Out)
	case "maxpool2d":
		out, err := l.slide(in, -1)
		if err == nil && 2*l.Pad > min(l.window().H, l.window().W) {
			err = fmt.Errorf("padding %d exceeds half the kernel", l.Pad)
		}
		return out, err
	case "flatten":
		if in == nil {
			return []int{-1}, nil
		}
		if n := numel(in); n > 0 {
			return []int{n}, nil
		}
		return []int{-1}, nil
	}
	if _, err := ParseFunc(l.Type); err != nil {
		return nil, fmt.Errorf("unknown layer type %q", l.Type)
	}
	return in, nil
}

// slide returns the output shape [channels, oh, ow] of a window sliding
// over an input case [c, h, w]; channels -1 keeps c.
func (l LayerSpec) slide(in []int, channels int) ([]int, error) {
	g := l.window()
	if l.Kernel < 1 || l.KernelW < 0 || l.Stride < 0 {
		return nil, fmt.Errorf("kernel %d×%d and stride %d must be positive", l.Kernel, l.KernelW, l.Stride)
	}
	if msg := g.valid(); msg != "" {
		return nil, errors.New(msg)
	}
	if in == nil {
		return []int{channels, -1, -1}, nil
	}
	if len(in) != 3 {
		return nil, fmt.Errorf("input %v: want [channels, height, width]", in)
	}
	if channels < 0 {
		channels = in[0]
	}
	if in[1] < 0 || in[2] < 0 {
		return []int{channels, -1, -1}, nil
	}
	oh, ow, ok := g.Out(in[1], in[2])
	if !ok {
		return nil, fmt.Errorf("kernel %v does not fit input %v", g, in)
	}
	return []int{channels, oh, ow}, nil
}

// numel returns the number of elements of a case of the given shape, or -1
// if it is not known.
func numel(shape []int) int {
	if shape == nil {
		return -1
	}
	n := 1
	for _, d := range shape {
		if d < 0 {
			return -1
		}
		n *= d
	}
	return n
}

// Build returns the network that s describes, after checking it with
// Validate(s.Input). Linear and Conv2D weights are drawn from r with init,
// or with the layer's own Init, in layer order; biases start at zero,
// BatchNorm at gamma 1 and beta 0. Each Dropout gets its own generator,
// seeded with the next 32 bits of r, so the same r gives the same network
// and the same masks.
func Build[T tensor.Float](s Spec, init Init, r *rng.MT) (*Sequential[T], error) {
	if _, err := s.Validate(s.Input); err != nil {
		return nil, err
	}
	layers := make([]Layer[T], len(s.Layers))
	for i, l := range s.Layers {
		li := init
		if l.Init != "" {
			var err error
			if li, err = ParseInit(l.Init); err != nil {
				return nil, fmt.Errorf("layer %d (%s): %w", i, l.Type, err)
			}
		}
		switch l.Type {
		case "linear":
			lin := NewLinear[T](l.In, l.Out)
			lin.Reset(li, r)
			layers[i] = lin
		case "conv2d":
			c := NewConv2D[T](l.In, l.Out, l.window(), !l.NoBias)
			c.Reset(li, r)
			layers[i] = c
		case "dropout":
			layers[i] = NewDropout[T](l.P, rng.NewNumpy(r.Uint32()))
		case "batchnorm":
			layers[i] = NewBatchNorm[T](l.Features)
		case "maxpool2d":
			layers[i] = NewMaxPool2D[T](l.window())
		case "flatten":
			layers[i] = NewFlatten[T]()
		default:
			f, _ := ParseFunc(l.Type) // Validate accepted the name
			layers[i] = NewActivation[T](f)
		}
	}
	return NewSequential(layers...), nil
}
