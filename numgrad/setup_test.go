package numgrad_test

import (
	"testing"

	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/numgrad"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// TestPrepare checks that a network with ReLU, batch norm and dropout,
// readied by Prepare, passes the gradient check within 1e-6 (kiso
// gradcheck's default tolerance), that the Linear biases are no longer
// zero, that the batch has the asked shape and classes, and that the
// dropout masks are held: two forward passes give the same bits.
func TestPrepare(t *testing.T) {
	r := rng.NewNumpy(1)
	net, err := nn.Build[float64](nn.MLP(6, []int{5, 4}, 3, nn.ReLU, nn.MLPOptions{BatchNorm: true, Dropout: 0.3}), nn.He, r)
	if err != nil {
		t.Fatal(err)
	}
	x, y := numgrad.Prepare(net, []int{6}, 8, 3, r)
	if !tensor.EqualShape(x.Shape(), []int{8, 6}) || !tensor.EqualShape(y.Shape(), []int{8}) {
		t.Fatalf("batch of shapes %v, %v, want [8 6], [8]", x.Shape(), y.Shape())
	}
	for _, v := range y.Data {
		if v != float64(int(v)) || v < 0 || v >= 3 {
			t.Fatalf("target %v is not a class index below 3", v)
		}
	}
	for _, l := range net.Layers {
		if lin, ok := l.(*nn.Linear[float64]); ok && tensor.Max(lin.B.Value) == 0 && tensor.Sum(lin.B.Value) == 0 {
			t.Errorf("a Linear bias is still zero: %v", lin.B.Value.Data)
		}
	}
	a := net.Forward(x, true).Clone()
	if b := net.Forward(x, true); !tensor.SameBits(a.Data, b.Data) {
		t.Error("two forward passes differ: the dropout masks are not held")
	}
	res := numgrad.Check[float64](net, &loss.SoftmaxCrossEntropy[float64]{}, x, y, true, 1e-5)
	numgrad.FileShapes(net.Params(), res)
	if e := numgrad.MaxRelErr(res); e > 1e-6 {
		t.Errorf("largest relative error %.3g, want at most 1e-6", e)
	}
	if res[0].Shape[0] != 5 || res[0].Shape[1] != 6 {
		t.Errorf("first weight shape %v, want [5 6] as model files give it", res[0].Shape)
	}
}
