package rng_test

import (
	"fmt"

	"github.com/kiso-go/kiso/rng"
)

// The tutorial seeds numpy for the weights and Python's random module for
// the choice of cases; kiso draws the same numbers.
func Example() {
	weights := rng.NewNumpy(0)                                // np.random.seed(0)
	cases := rng.NewPython(0)                                 // random.seed(0)
	fmt.Printf("%.6f %.6f\n", weights.Norm(), weights.Norm()) // np.random.randn(2)
	fmt.Println(1+cases.Below(4), 1+cases.Below(4))           // random.randrange(1, 5), twice
	// Output:
	// 1.764052 0.400157
	// 4 4
}
