package optim_test

import (
	"fmt"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/tensor"
)

// The Adam path of the book's figure 6-8: 30 steps (η = 0.3) on
// f(x, y) = x²/20 + y² from (−7, 2), as in its
// ch06/optimizer_compare_naive.py. The point is one parameter of two
// elements; its gradient is (x/10, 2y). The book's code, run under NumPy,
// ends at the same point, to the last bit.
func Example() {
	p := nn.NewParam("xy", tensor.FromSlice([]float64{-7, 2}), false)
	params := []*nn.Param[float64]{p}
	opt := optim.NewAdam[float64](0.3, optim.DefaultBeta1, optim.DefaultBeta2)
	for range 30 {
		x, y := p.Value.Data[0], p.Value.Data[1]
		p.Grad.Data[0], p.Grad.Data[1] = x/10, 2*y
		opt.Step(params)
	}
	fmt.Printf("(%.4f, %.4f)\n", p.Value.Data[0], p.Value.Data[1])
	// Output:
	// (0.1360, 0.3182)
}

// The four paths of the book's figure 6-8, each from (−7, 2) for 30 steps
// with the book's learning rates; New builds each optimizer by name with
// the book's default momentum and betas.
func ExampleNew() {
	for _, c := range []struct {
		name string
		lr   float64
	}{{"SGD", 0.95}, {"Momentum", 0.1}, {"AdaGrad", 1.5}, {"Adam", 0.3}} {
		opt, err := optim.New[float64](c.name, c.lr)
		if err != nil {
			fmt.Println(err)
			return
		}
		p := nn.NewParam("xy", tensor.FromSlice([]float64{-7, 2}), false)
		for range 30 {
			x, y := p.Value.Data[0], p.Value.Data[1]
			p.Grad.Data[0], p.Grad.Data[1] = x/10, 2*y
			opt.Step([]*nn.Param[float64]{p})
		}
		fmt.Printf("%-8s (%.4f, %.4f)\n", c.name, p.Value.Data[0], p.Value.Data[1])
	}
	// Output:
	// SGD      (-0.3504, 0.0848)
	// Momentum (0.8964, 0.0881)
	// AdaGrad  (-0.1202, 0.0000)
	// Adam     (0.1360, 0.3182)
}

// A trainer's checkpoint: the optimizer's State as bytes, and a new
// optimizer that resumes from them.
func ExampleState() {
	p := nn.NewParam("w", tensor.FromSlice([]float32{1, -1}), true)
	opt := optim.NewMomentum[float32](0.1, optim.DefaultMomentum)
	opt.SetWeightDecay(1e-4)
	p.Grad.Fill(0.5)
	opt.Step([]*nn.Param[float32]{p})

	blob, _ := opt.State().MarshalBinary()
	var st optim.State
	if err := st.UnmarshalBinary(blob); err != nil {
		fmt.Println(err)
		return
	}
	resumed, err := optim.FromState[float32](st)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: step %d, lr %g, weight decay %g, velocity %.5f\n",
		resumed.Name(), resumed.Steps(), resumed.LR(), resumed.WeightDecay(), st.Slots["v"][0])
	// Output:
	// momentum: step 1, lr 0.1, weight decay 0.0001, velocity [-0.05001 -0.04999]
}

// A learning rate annealed by a cosine schedule over 100 epochs.
func ExampleCosine() {
	opt := optim.NewSGD[float32](0.1)
	sched := optim.Cosine{Base: 0.1, Min: 0.001, Total: 100}
	for _, epoch := range []int{0, 50, 100} {
		fmt.Printf("epoch %3d: lr %.4f\n", epoch, optim.ApplySchedule(opt, sched, epoch))
	}
	// Output:
	// epoch   0: lr 0.1000
	// epoch  50: lr 0.0505
	// epoch 100: lr 0.0010
}
