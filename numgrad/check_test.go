package numgrad_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/numgrad"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

func checkNet(t *testing.T) (*nn.Sequential[float64], *tensor.Tensor[float64], *tensor.Tensor[float64]) {
	t.Helper()
	r := rng.NewNumpy(1)
	net, err := nn.Build[float64](nn.MLP(4, []int{5}, 3, nn.Tanh, nn.MLPOptions{}), nn.Xavier, r)
	if err != nil {
		t.Fatal(err)
	}
	return net, tensor.RandN[float64](r, 1, 6, 4), tensor.FromSlice([]float64{0, 1, 2, 0, 1, 2}, 6)
}

// TestCheckContextProgressAndCancel: CheckContext reports every element
// compared, agrees with CheckSample, and stops when its context is done,
// leaving the parameters as they were.
func TestCheckContextProgressAndCancel(t *testing.T) {
	net, x, y := checkNet(t)
	want := numgrad.CheckSample[float64](net, &loss.SoftmaxCrossEntropy[float64]{}, x, y, true, 1e-5, 3, rng.NewNumpy(2))
	var dones []int
	got, err := numgrad.CheckContext[float64](context.Background(), net, &loss.SoftmaxCrossEntropy[float64]{}, x, y, true, 1e-5,
		numgrad.Options{MaxPerParam: 3, Rand: rng.NewNumpy(2), Progress: func(done, total int) {
			if total != 3+3+3+3 {
				t.Fatalf("total %d, want 12", total)
			}
			dones = append(dones, done)
		}})
	if err != nil || !slices.EqualFunc(got, want, func(a, b numgrad.Result) bool {
		return a.Name == b.Name && a.MaxRelErr == b.MaxRelErr && a.Checked == b.Checked
	}) {
		t.Errorf("CheckContext %+v, %v; CheckSample %+v", got, err, want)
	}
	if len(dones) != 12 || dones[11] != 12 {
		t.Errorf("progress calls %v", dones)
	}
	before := slices.Clone(net.Params()[0].Value.Data)
	ctx, cancel := context.WithCancel(context.Background())
	_, err = numgrad.CheckContext[float64](ctx, net, &loss.SoftmaxCrossEntropy[float64]{}, x, y, true, 1e-5,
		numgrad.Options{Progress: func(done, _ int) {
			if done == 5 {
				cancel()
			}
		}})
	if !errors.Is(err, context.Canceled) || !slices.Equal(before, net.Params()[0].Value.Data) {
		t.Errorf("cancelled check: %v, parameters restored: %v", err, slices.Equal(before, net.Params()[0].Value.Data))
	}
}
