package nn

import (
	"math"
	"runtime"
	"testing"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// TestSequentialNoInputGrad checks that NoInputGrad leaves the parameter
// gradients' bits unchanged and makes Backward return nil, for an MLP and
// a small convolutional network.
func TestSequentialNoInputGrad(t *testing.T) {
	for _, tc := range []struct {
		name  string
		spec  Spec
		input []int
	}{
		{"mlp", MLP(12, []int{7}, 3, ReLU, MLPOptions{}), []int{5, 12}},
		{"conv", Spec{Input: []int{1, 6, 6}, Layers: LayerSpecs{
			Conv2DSpec{In: 1, Out: 2, Kernel: 3}, ActivationSpec{Func: ReLU}, MaxPool2DSpec{Kernel: 2, Stride: 2},
			FlattenSpec{}, LinearSpec{In: 8, Out: 3}}}, []int{4, 1, 6, 6}},
		{"flatten first", Spec{Input: []int{2, 3}, Layers: LayerSpecs{
			FlattenSpec{}, LinearSpec{In: 6, Out: 2}}}, []int{3, 2, 3}},
	} {
		net, err := Build[float64](tc.spec, He, rng.NewNumpy(1))
		if err != nil {
			t.Fatal(err)
		}
		r := rng.NewNumpy(2)
		x := tensor.RandN[float64](r, 1, tc.input...)
		dy := tensor.RandN[float64](r, 1, net.Forward(x, true).Shape()...)
		if net.Backward(dy) == nil {
			t.Fatalf("%s: Backward returned nil without NoInputGrad", tc.name)
		}
		var want [][]float64
		for _, p := range net.Params() {
			want = append(want, append([]float64(nil), p.Grad.Data...))
			p.Grad.Zero()
		}
		net.NoInputGrad = true
		if dx := net.Backward(dy); dx != nil {
			t.Errorf("%s: Backward with NoInputGrad returned %v, want nil", tc.name, dx.Shape())
		}
		for i, p := range net.Params() {
			for j, v := range p.Grad.Data {
				if math.Float64bits(v) != math.Float64bits(want[i][j]) {
					t.Fatalf("%s: %s[%d] = %v with NoInputGrad, %v without", tc.name, p.Name, j, v, want[i][j])
				}
			}
		}
	}
}

// TestSimpleConvNetStepAllocatesNothing runs forward and backward passes of
// SimpleConvNet on a batch large enough for its layers to split their work
// between two goroutines, and on one goroutine: neither allocates once the
// buffers exist.
func TestSimpleConvNetStepAllocatesNothing(t *testing.T) {
	net, err := Build[float32](SimpleConvNet(), He, rng.NewNumpy(1))
	if err != nil {
		t.Fatal(err)
	}
	r := rng.NewNumpy(2)
	x := tensor.RandN[float32](r, 1, 8, 1, 28, 28)
	dy := tensor.RandN[float32](r, 1, 8, 10)
	for _, procs := range []int{1, 2} {
		for _, skip := range []bool{false, true} {
			func() {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
				net.NoInputGrad = skip
				step := func() { net.Forward(x, true); net.Backward(dy) }
				step()
				if n := testing.AllocsPerRun(10, step); n != 0 && !RaceEnabled {
					t.Errorf("GOMAXPROCS=%d NoInputGrad=%v: %v allocations per step", procs, skip, n)
				}
			}()
		}
	}
}

// TestSimpleConvNetFloat32MatchesFloat64 runs SimpleConvNet in float32 and
// float64 with the same weights and input, through the float32 fast paths
// (SIMD products, the ReLU kernels, the branch-free pooling) and a backward
// pass without the input gradient, and compares the outputs and every
// parameter gradient. Tolerance: the rounding errors of a float32 sum of k
// terms grow like √k·2⁻²⁴ relative to the sum of magnitudes (about 4e-6 for
// the k = 4320 of the widest product; 4e-7 is seen here), so differences
// are allowed up to 2e-5 of the largest magnitude of each tensor, while a
// bug (a wrong element, a dropped term, a misrouted gradient) shows as an
// error of order 1e-2 or more.
func TestSimpleConvNetFloat32MatchesFloat64(t *testing.T) {
	n64, err := Build[float64](SimpleConvNet(), He, rng.NewNumpy(1))
	if err != nil {
		t.Fatal(err)
	}
	n32, _ := Build[float32](SimpleConvNet(), He, rng.NewNumpy(1))
	for i, p := range n64.Params() {
		copy(n32.Params()[i].Value.Data, tensor.Convert[float32](p.Value).Data)
	}
	r := rng.NewNumpy(2)
	x := tensor.RandN[float64](r, 1, 6, 1, 28, 28)
	dy := tensor.RandN[float64](r, 1, 6, 10)
	n64.NoInputGrad, n32.NoInputGrad = true, true
	near := func(name string, got *tensor.Tensor[float32], want *tensor.Tensor[float64]) {
		scale := 0.0
		for _, v := range want.Data {
			scale = max(scale, math.Abs(v))
		}
		d := tensor.MaxAbsDiff(tensor.Convert[float64](got), want)
		t.Logf("%s: difference %.3g of largest magnitude %.3g", name, d/scale, scale)
		if d > 2e-5*scale {
			t.Errorf("%s: float32 and float64 differ by %.3g (largest magnitude %.3g)", name, d, scale)
		}
	}
	near("output", n32.Forward(tensor.Convert[float32](x), true), n64.Forward(x, true))
	n64.Backward(dy)
	n32.Backward(tensor.Convert[float32](dy))
	for i, p := range n64.Params() {
		near(p.Name+" gradient", n32.Params()[i].Grad, p.Grad)
	}
}
