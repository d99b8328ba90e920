package nn_test

import (
	"encoding/json"
	"fmt"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// A Spec is the architecture as data: Validate follows the shapes through it
// and Build makes the network.
func ExampleBuild() {
	s := nn.SimpleConvNet()
	out, err := s.Validate(nil)
	if err != nil {
		panic(err)
	}
	fmt.Println("input", s.Input, "output", out)

	net, err := nn.Build[float32](s, nn.He, rng.NewNumpy(0))
	if err != nil {
		panic(err)
	}
	for _, p := range net.Params() {
		fmt.Println(p.Name, p.Value.Shape())
	}
	x := tensor.New[float32](2, 1, 28, 28) // a batch of two images
	fmt.Println("scores", net.Forward(x, false).Shape())
	// Output:
	// input [1 28 28] output [10]
	// 0.weight [30 1 5 5]
	// 0.bias [30]
	// 4.weight [4320 100]
	// 4.bias [100]
	// 6.weight [100 10]
	// 6.bias [10]
	// scores [2 10]
}

// Specs are stored as JSON in model files.
func ExampleSpec() {
	s := nn.MLP(784, []int{100}, 10, nn.ReLU, nn.MLPOptions{BatchNorm: true, Dropout: 0.2})
	b, _ := json.Marshal(s)
	fmt.Println(string(b))
	// Output:
	// {"input":[784],"layers":[{"type":"linear","in":784,"out":100},{"type":"batchnorm","features":100},{"type":"relu"},{"type":"dropout","p":0.2},{"type":"linear","in":100,"out":10}]}
}

// Layers with state that is not trained, such as BatchNorm's running
// statistics, expose it as buffers named like PyTorch's state_dict.
func ExampleBuffersOf() {
	net, _ := nn.Build[float64](nn.MLP(4, []int{3}, 2, nn.Tanh, nn.MLPOptions{BatchNorm: true}), nn.Xavier, rng.NewNumpy(0))
	for _, b := range nn.BuffersOf[float64](net) {
		fmt.Println(b.Name, b.Value)
	}
	// Output:
	// 1.running_mean [0 0 0]
	// 1.running_var [1 1 1]
}
