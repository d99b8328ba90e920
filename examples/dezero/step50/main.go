// Step 50 of DeZero: step 49 with data loaders (data.Loader with numpy's
// permutation, as DeZero's DataLoader) and a test set, the training and
// test loss and accuracy printed after each epoch. -epochs shortens the
// run.
//
//	go run ./examples/dezero/step50
package main

import (
	"flag"
	"fmt"

	ag "github.com/kiso-go/kiso/autograd"
	"github.com/kiso-go/kiso/autograd/layers"
	"github.com/kiso-go/kiso/data"
	"github.com/kiso-go/kiso/optim"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

func labels(y *tensor.Tensor[float32]) []int {
	t := make([]int, y.Len())
	for i, v := range y.Data {
		t[i] = int(v)
	}
	return t
}

func main() {
	maxEpoch := flag.Int("epochs", 300, "the number of epochs")
	flag.Parse()
	const batchSize, hidden, lr = 30, 10, 1.0
	r := &rng.MT{}
	trainSet := data.DeZeroSpiral[float32](true, r)
	testSet := data.DeZeroSpiral[float32](false, r) // reseeds, as DeZero's does
	trainLoader := data.NewLoader(trainSet, batchSize, r)
	trainLoader.Numpy = true
	testLoader := data.NewLoader(testSet, batchSize, nil)
	model := layers.NewMLP([]int{hidden, 3}, ag.Sigmoid[float32], true, r)
	opt := layers.Setup[float32](optim.NewSGD[float32](lr), model)
	for epoch := range *maxEpoch {
		sumLoss, sumAcc := 0.0, 0.0
		for x, y := range trainLoader.Epoch() {
			t := labels(y)
			out := model.Forward(ag.Const(x))
			loss := ag.SoftmaxCrossEntropy(out, t)
			acc := ag.Accuracy(out, t)
			layers.ClearGrads(model)
			loss.Backward()
			opt.Update()
			sumLoss += float64(loss.Item()) * float64(len(t))
			sumAcc += float64(acc.Item()) * float64(len(t))
		}
		fmt.Printf("epoch: %d\n", epoch+1)
		fmt.Printf("train loss: %.4f, accuracy: %.4f\n", sumLoss/float64(trainSet.Len()), sumAcc/float64(trainSet.Len()))
		sumLoss, sumAcc = 0, 0
		for x, y := range testLoader.Epoch() {
			t := labels(y)
			out := model.Forward(ag.NoGrad(ag.Const(x)))
			sumLoss += float64(ag.SoftmaxCrossEntropy(out, t).Item()) * float64(len(t))
			sumAcc += float64(ag.Accuracy(out, t).Item()) * float64(len(t))
		}
		fmt.Printf("test loss: %.4f, accuracy: %.4f\n", sumLoss/float64(testSet.Len()), sumAcc/float64(testSet.Len()))
	}
}
