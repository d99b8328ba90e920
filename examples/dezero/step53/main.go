// Step 53 of DeZero: step 51's network trained for 3 epochs, its
// parameters saved at the end and loaded at the start when the file
// exists, so that a second run continues the first. DeZero writes
// my_mlp.npz (numpy's save_weights); this program writes my_mlp.safetensors
// with layers.Save (the parameters named by path, "l0.W", as float32) and
// reads it with layers.Load. -epochs shortens the run; -o names the file.
//
// DeZero's step draws from numpy's unseeded generator; this program draws
// from rng.NewNumpy(-seed), and the test seeds numpy with the same number.
//
//	go run ./examples/dezero/step53
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
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
	maxEpoch := flag.Int("epochs", 3, "the number of epochs")
	path := flag.String("o", "my_mlp.safetensors", "the parameters file, read if it exists and written at the end")
	flag.Parse()
	const batchSize = 100
	dir, err := data.FetchMNIST(context.Background(), data.FetchOptions{})
	if err != nil {
		log.Fatal(err)
	}
	trainSet, _, err := data.LoadMNIST[float32](dir, data.MNISTOptions{Flatten: true})
	if err != nil {
		log.Fatal(err)
	}
	r := rng.NewNumpy(uint32(*seed))
	trainLoader := data.NewLoader(trainSet, batchSize, r)
	trainLoader.Numpy = true
	model := layers.NewMLP([]int{1000, 10}, ag.Sigmoid[float32], true, r)
	opt := layers.Setup[float32](optim.NewSGD[float32](0.01), model)
	if err := layers.Load(*path, model); err != nil && !errors.Is(err, fs.ErrNotExist) {
		log.Fatal(err)
	}
	for epoch := range *maxEpoch {
		sumLoss := 0.0
		for x, y := range trainLoader.Epoch() {
			t := labels(y)
			loss := ag.SoftmaxCrossEntropy(model.Forward(ag.Const(x)), t)
			layers.ClearGrads(model)
			loss.Backward()
			opt.Update()
			sumLoss += float64(loss.Item()) * float64(len(t))
		}
		fmt.Printf("epoch: %d, loss: %.4f\n", epoch+1, sumLoss/float64(trainSet.Len()))
	}
	if err := layers.Save(*path, model); err != nil {
		log.Fatal(err)
	}
}
