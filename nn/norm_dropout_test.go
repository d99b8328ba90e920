package nn_test

import (
	"math"
	"testing"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

func TestBatchNormRunningStatistics(t *testing.T) {
	r := rng.NewNumpy(43)
	for _, shape := range [][]int{{6, 3}, {3, 2, 4, 5}} {
		b := nn.NewBatchNorm[float64](shape[1])
		x := tensor.RandN[float64](r, 2, shape...)
		for i := range x.Data {
			x.Data[i] += 1 // a mean away from the initial running mean 0
		}
		b.Forward(x, true)
		c, s := shape[1], x.Len()/shape[0]/shape[1]
		for f := 0; f < c; f++ {
			// The feature's values, gathered the slow way.
			var vals []float64
			for i := 0; i < x.Len(); i++ {
				if i/s%c == f {
					vals = append(vals, x.Data[i])
				}
			}
			var mean, ss float64
			for _, v := range vals {
				mean += v
			}
			mean /= float64(len(vals))
			for _, v := range vals {
				ss += (v - mean) * (v - mean)
			}
			unbiased := ss / float64(len(vals)-1)
			if got, want := b.RunningMean.Value.Data[f], 0.9*0+0.1*mean; math.Abs(got-want) > 1e-12 {
				t.Errorf("%v feature %d: running mean %v, want %v", shape, f, got, want)
			}
			if got, want := b.RunningVar.Value.Data[f], 0.9*1+0.1*unbiased; math.Abs(got-want) > 1e-12 {
				t.Errorf("%v feature %d: running var %v, want %v", shape, f, got, want)
			}
		}

		// Evaluation normalizes with the running statistics, whatever the
		// batch: here they are set by hand.
		tensor.FillNormal(b.RunningMean.Value, r, 0, 1)
		tensor.FillUniform(b.RunningVar.Value, r, 0.5, 3)
		tensor.FillNormal(b.Gamma.Value, r, 1, 0.5)
		tensor.FillNormal(b.Beta.Value, r, 0, 0.5)
		before := b.RunningMean.Value.Clone()
		y := b.Forward(x, false)
		for i, v := range x.Data {
			f := i / s % c
			want := b.Gamma.Value.Data[f]*(v-b.RunningMean.Value.Data[f])/math.Sqrt(b.RunningVar.Value.Data[f]+1e-5) + b.Beta.Value.Data[f]
			if math.Abs(y.Data[i]-want) > 1e-12 {
				t.Fatalf("%v: eval output %d = %v, want %v", shape, i, y.Data[i], want)
			}
		}
		if tensor.MaxAbsDiff(before, b.RunningMean.Value) != 0 {
			t.Errorf("%v: evaluation changed the running mean", shape)
		}
	}
}

func TestBatchNormTrainingNormalizes(t *testing.T) {
	r := rng.NewNumpy(47)
	b := nn.NewBatchNorm[float64](4)
	x := tensor.RandN[float64](r, 3, 50, 4)
	y := b.Forward(x, true)
	for f := 0; f < 4; f++ {
		var mean, sq float64
		for i := 0; i < 50; i++ {
			mean += y.At(i, f) / 50
			sq += y.At(i, f) * y.At(i, f) / 50
		}
		if math.Abs(mean) > 1e-12 || math.Abs(sq-1) > 1e-5 {
			t.Errorf("feature %d: mean %v, mean square %v, want 0 and 1 (less Eps)", f, mean, sq)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("training on a batch of one did not panic")
		}
	}()
	b.Forward(tensor.New[float64](1, 4), true)
}

func TestBuffersOf(t *testing.T) {
	inner := nn.NewSequential[float64](nn.NewLinear[float64](2, 3), nn.NewBatchNorm[float64](3))
	net := nn.NewSequential[float64](nn.NewBatchNorm[float64](2), inner, nn.NewActivation[float64](nn.ReLU))
	var names []string
	for _, b := range nn.BuffersOf[float64](net) {
		names = append(names, b.Name)
	}
	want := []string{"0.running_mean", "0.running_var", "1.1.running_mean", "1.1.running_var"}
	if len(names) != len(want) {
		t.Fatalf("buffers %v, want %v", names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Errorf("buffers %v, want %v", names, want)
			break
		}
	}
	// The buffers share the layers' tensors.
	nn.BuffersOf[float64](net)[2].Value.Data[0] = 7
	if inner.Layers[1].(*nn.BatchNorm[float64]).RunningMean.Value.Data[0] != 7 {
		t.Error("a buffer's Value is not the layer's tensor")
	}
	if nn.BuffersOf[float64](nn.NewLinear[float64](2, 2)) != nil {
		t.Error("Linear has buffers")
	}
}

func TestDropout(t *testing.T) {
	const n = 100000
	x := tensor.New[float64](100, n/100)
	x.Fill(1)
	for _, p := range []float64{0, 0.2, 0.5, 0.9} {
		d := nn.NewDropout[float64](p, rng.NewNumpy(3))
		if y := d.Forward(x, false); tensor.MaxAbsDiff(y, x) != 0 {
			t.Errorf("p=%v: evaluation is not the identity", p)
		}
		y := d.Forward(x, true)
		var zeros int
		var sum float64
		for _, v := range y.Data {
			switch v {
			case 0:
				zeros++
			case 1 / (1 - p):
			default:
				t.Fatalf("p=%v: output %v, want 0 or %v", p, v, 1/(1-p))
			}
			sum += v
		}
		// The kept fraction is binomial: within 5 standard deviations of
		// 1-p, and so is the mean of the outputs around the input's 1.
		sd := math.Sqrt(p * (1 - p) / n)
		if frac := float64(zeros) / n; math.Abs(frac-p) > 5*sd {
			t.Errorf("p=%v: dropped %v of the elements", p, frac)
		}
		if mean := sum / n; math.Abs(mean-1) > 5*sd/(1-p) {
			t.Errorf("p=%v: mean output %v, want 1 in expectation", p, mean)
		}
		dx := d.Backward(x)
		if tensor.MaxAbsDiff(dx, y) != 0 {
			t.Errorf("p=%v: backward of ones is not the mask", p)
		}
	}
}

func TestDropoutFreeze(t *testing.T) {
	r := rng.NewNumpy(53)
	x := tensor.RandN[float64](r, 1, 4, 6)
	d := nn.NewDropout[float64](0.5, rng.NewNumpy(9))
	d.Freeze()
	a := d.Forward(x, true).Clone()
	d.Forward(x, false)
	if b := d.Forward(x, true); tensor.MaxAbsDiff(a, b) != 0 {
		t.Error("a frozen Dropout drew a new mask")
	}
	d.Unfreeze()
	if b := d.Forward(x, true); tensor.MaxAbsDiff(a, b) == 0 {
		t.Error("an unfrozen Dropout kept its mask")
	}
	// A rate of 0 draws nothing from its generator.
	g := rng.NewNumpy(1)
	nn.NewDropout[float64](0, g).Forward(x, true)
	if g.Uint32() != rng.NewNumpy(1).Uint32() {
		t.Error("Dropout(0) consumed random numbers")
	}
	for _, p := range []float64{-0.1, 1, math.NaN()} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Dropout(%v) did not panic", p)
				}
			}()
			nn.NewDropout[float64](p, rng.NewNumpy(1))
		}()
	}
}
