package model_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/kiso-go/kiso/model"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// A model file holds the architecture with the weights: Load rebuilds the
// network without any Go code describing it.
func Example() {
	spec := nn.MLP(2, []int{8}, 3, nn.ReLU, nn.MLPOptions{})
	net, err := nn.Build[float64](spec, nn.He, rng.NewNumpy(0))
	if err != nil {
		panic(err)
	}
	dir, err := os.MkdirTemp("", "kiso-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "net.kiso")
	if err := model.Save(path, net, model.Info{Dataset: "spiral", Classes: 3, Epochs: 10}); err != nil {
		panic(err)
	}

	m, err := model.Load[float64](path)
	if err != nil {
		panic(err)
	}
	for i, l := range m.Spec.Layers {
		fmt.Printf("%d %-6s %T\n", i, l.Type(), m.Net.Layers[i])
	}
	fmt.Println("trained on", m.Info.Dataset, "for", m.Info.Epochs, "epochs; stored as", m.DType)

	x := tensor.FromRows([][]float64{{0.5, -1}})
	before, after := net.Forward(x, false), m.Net.Forward(x, false)
	fmt.Println("class", tensor.ArgmaxRows(after)[0], "same scores:", tensor.MaxAbsDiff(before, after) == 0)
	// Output:
	// 0 linear *nn.Linear[float64]
	// 1 relu   *nn.Activation[float64]
	// 2 linear *nn.Linear[float64]
	// trained on spiral for 10 epochs; stored as F64
	// class 0 same scores: true
}

// WriteSafetensors and ReadSafetensors handle the container on its own: any
// named tensors with string metadata, laid out as Python's safetensors does.
func ExampleWriteSafetensors() {
	w := tensor.FromRows([][]float32{{1, 2, 3}, {4, 5, 6}})
	var buf bytes.Buffer
	err := model.WriteSafetensors(&buf, []model.Named{model.FromTensor("w", w)}, map[string]string{"author": "me"})
	if err != nil {
		panic(err)
	}
	f, err := model.ReadSafetensors(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		panic(err)
	}
	for _, t := range f.Tensors {
		v, _ := model.ToTensor[float64](t)
		fmt.Println(t.Name, t.DType, t.Shape, v.Data)
	}
	// 8 bytes of header length, an 88-byte header, 6 float32s.
	fmt.Println(f.Metadata, buf.Len(), "bytes")
	// Output:
	// w F32 [2 3] [1 2 3 4 5 6]
	// map[author:me] 120 bytes
}
