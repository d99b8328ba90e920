// Step 54 of DeZero: dropout in training and in test mode. DeZero switches
// with a global configuration (test_mode); kiso's Dropout takes the mode
// as an argument, so a goroutine predicting never changes another's.
//
// DeZero's step draws the mask from numpy's unseeded generator; this
// program draws from rng.NewNumpy(-seed), and the test seeds numpy with
// the same number.
//
//	go run ./examples/dezero/step54
package main

import (
	"flag"
	"fmt"

	ag "github.com/kiso-go/kiso/autograd"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

func main() {
	seed := flag.Uint("seed", 0, "the seed of numpy's generator")
	flag.Parse()
	r := rng.NewNumpy(uint32(*seed))
	x := tensor.New[float64](5)
	x.Fill(1)
	fmt.Println(tensor.FormatNumpy(x))

	// When training
	y := ag.Dropout(ag.Const(x), 0.5, true, r)
	fmt.Println(y)

	// When testing (predicting)
	y = ag.Dropout(ag.Const(x), 0.5, false, r)
	fmt.Println(y)
}
