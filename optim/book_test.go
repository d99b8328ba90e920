package optim

import (
	"testing"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/tensor"
)

// TestBookFigurePaths runs the four optimizers of the book's figure 6-8
// (ch06/optimizer_compare_naive.py: 30 steps on f(x, y) = x²/20 + y² from
// (−7, 2)), and Nesterov and RMSprop on the same path, and compares the end
// points with those the book's own common/optimizer.py classes reach, run
// separately under Python 3 and NumPy 1.24 (float64, printed with repr):
// they must agree to the last bit.
func TestBookFigurePaths(t *testing.T) {
	cases := []struct {
		name string
		lr   float64
		x, y float64
	}{
		{"sgd", 0.95, -0.3503929957523197, 0.0847823165504322},
		{"momentum", 0.1, 0.896413858493733, 0.08808560171506971},
		{"adagrad", 1.5, -0.12016232231416045, 2.486389893984459e-17},
		{"adam", 0.3, 0.13600685239498186, 0.31824537553721943},
		{"nesterov", 0.1, 0.5263905077412623, 0.0002258201570808063},
		{"rmsprop", 0.3, -5.351327040428192e-06, 1.5085100037516103e-11},
	}
	for _, c := range cases {
		o, err := New[float64](c.name, c.lr)
		if err != nil {
			t.Fatal(err)
		}
		p := nn.NewParam("xy", tensor.FromSlice([]float64{-7, 2}), false)
		for range 30 {
			x, y := p.Value.Data[0], p.Value.Data[1]
			p.Grad.Data[0], p.Grad.Data[1] = x/10, 2*y
			o.Step([]*nn.Param[float64]{p})
		}
		if x, y := p.Value.Data[0], p.Value.Data[1]; x != c.x || y != c.y {
			t.Errorf("%s ends at (%v, %v), the book's code at (%v, %v)", c.name, x, y, c.x, c.y)
		}
	}
}
