package model_test

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/kiso-go/kiso/model"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
)

// WriteTorchScript writes the Python that rebuilds a network in PyTorch,
// layer for layer, so that the state_dict of WriteTorchState loads into
// it; ExportTorch writes both files. (ExportONNX and WriteONNX write an
// ONNX model instead.)
func ExampleWriteTorchScript() {
	spec := nn.Spec{Input: []int{1, 28, 28}, Layers: nn.LayerSpecs{
		nn.Conv2DSpec{In: 1, Out: 4, Kernel: 3, Pad: 1},
		nn.BatchNormSpec{Features: 4},
		nn.ActivationSpec{Func: nn.ReLU},
		nn.MaxPool2DSpec{Kernel: 2},
		nn.FlattenSpec{},
		nn.DropoutSpec{P: 0.5},
		nn.LinearSpec{In: 4 * 14 * 14, Out: 10},
	}}
	net, err := nn.Build[float32](spec, nn.He, rng.NewNumpy(0))
	if err != nil {
		panic(err)
	}
	var b bytes.Buffer
	if err := model.WriteTorchScript(&b, net, model.Info{}, "cnn.safetensors", model.TorchOptions{}); err != nil {
		panic(err)
	}
	script := b.String()
	start := strings.Index(script, "    return nn.Sequential(")
	end := strings.Index(script[start:], "\n    )\n")
	fmt.Println(script[start : start+end])
	// Output:
	//     return nn.Sequential(
	//         nn.Conv2d(1, 4, (3, 3), stride=1, padding=1),    # 0: [batch, 4, 28, 28]
	//         nn.BatchNorm2d(4, eps=1e-05),                    # 1: [batch, 4, 28, 28]
	//         nn.ReLU(),                                       # 2: [batch, 4, 28, 28]
	//         nn.MaxPool2d((2, 2), stride=2, padding=0),       # 3: [batch, 4, 14, 14]
	//         nn.Flatten(),                                    # 4: [batch, 784]
	//         nn.Dropout(0.5),                                 # 5: [batch, 784]
	//         nn.Linear(784, 10),                              # 6: [batch, 10]
}
