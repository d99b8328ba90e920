package train_test

import (
	"context"
	"fmt"
	"math"
	"os"

	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/train"
)

// A 2-8-2 network learns XOR: the four cases, shuffled each epoch, in
// minibatches of two.
func ExampleTrainer() {
	r := rng.NewNumpy(0)
	hidden, out := nn.NewLinear[float64](2, 8), nn.NewLinear[float64](8, 2)
	hidden.Reset(nn.Xavier, r)
	out.Reset(nn.Xavier, r)
	net := nn.NewSequential[float64](hidden, nn.NewActivation[float64](nn.Tanh), out)

	xor := data.XOR[float64]()
	trainer := train.New[float64](net, &loss.SoftmaxCrossEntropy[float64]{}, optim.NewAdam[float64](0.05, 0.9, 0.999),
		train.Config{Epochs: 300, BatchSize: 2, Seed: 1})
	hist, err := trainer.Fit(context.Background(), xor, xor)
	if err != nil {
		fmt.Println(err)
		return
	}
	last := hist.Last()
	fmt.Println("epochs:", last.Epoch)
	fmt.Println("test accuracy is 1:", last.TestAcc == 1)
	fmt.Println("test loss below 0.05:", last.TestLoss < 0.05)
	// Output:
	// epochs: 300
	// test accuracy is 1: true
	// test loss below 0.05: true
}

func ExampleHistory_WriteCSV() {
	h := &train.History{Epochs: []train.EpochStats{
		{Epoch: 1, TrainLoss: 0.69, TrainAcc: 0.5, TestLoss: 0.7, TestAcc: 0.5, Seconds: 0.25, LR: 0.1},
		// A regression run has no accuracies: NaN, written as empty fields.
		{Epoch: 2, TrainLoss: 0.35, TrainAcc: math.NaN(), TestLoss: 0.4, TestAcc: math.NaN(), Seconds: 0.25, LR: 0.05},
	}}
	h.WriteCSV(os.Stdout)
	// Output:
	// epoch,train_loss,train_acc,test_loss,test_acc,seconds,lr
	// 1,0.69,0.5,0.7,0.5,0.25,0.1
	// 2,0.35,,0.4,,0.25,0.05
}
