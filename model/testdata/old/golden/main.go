// Command golden writes the outputs the kiso of this tree gives for the
// fixtures: run from the old tree, it records what new versions must still
// compute.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/model"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

type golden struct {
	Shape  []int     `json:"shape"`
	X      []float64 `json:"x,omitempty"`
	Logits []float64 `json:"logits"`
}

func main() {
	dir := os.Args[1]
	out := map[string]golden{}

	// spiral_mlp.kiso (float32): the 80 points kiso train held out.
	all, err := data.Toy[float32]("spiral", 400, 0.1, rng.NewNumpy(1))
	check(err)
	_, test := data.Split(all, 0.2, rng.NewNumpy(2))
	m32, err := model.Load[float32](dir + "/spiral_mlp.kiso")
	check(err)
	y := m32.Net.Forward(test.X, false)
	out["spiral_mlp.kiso"] = golden{Shape: test.X.Shape(), X: f64(test.X.Data), Logits: f64(y.Data)}

	// mnist_conv.kiso (float64): 5 images of uniform [0, 1) pixels drawn
	// from rng.NewNumpy(7), row by row.
	r := rng.NewNumpy(7)
	x := tensor.New[float64](5, 1, 28, 28)
	for i := range x.Data {
		x.Data[i] = r.Uniform(0, 1)
	}
	m64, err := model.Load[float64](dir + "/mnist_conv.kiso")
	check(err)
	y64 := m64.Net.Forward(x, false)
	out["mnist_conv.kiso"] = golden{Shape: x.Shape(), Logits: f64(y64.Data)}

	b, err := json.MarshalIndent(out, "", " ")
	check(err)
	fmt.Println(string(b))
}

func f64[T float32 | float64](v []T) []float64 {
	o := make([]float64, len(v))
	for i, x := range v {
		o[i] = float64(x)
	}
	return o
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
