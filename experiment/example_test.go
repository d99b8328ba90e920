package experiment_test

import (
	"fmt"

	"github.com/kiso-go/kiso/experiment"
)

// The paths of the book's figure 6-8: where each optimizer stands after 30
// updates on f(x, y) = x²/20 + y² from (-7, 2).
func ExampleOptimizerPaths() {
	for _, p := range experiment.OptimizerPaths(30) {
		x, y, f := p.End()
		fmt.Printf("%-8s lr %-4g ends at (%7.4f, %7.4f), f = %.4f\n", p.Name, p.LR, x, y, f)
	}
	// Output:
	// SGD      lr 0.95 ends at (-0.3504,  0.0848), f = 0.0133
	// Momentum lr 0.1  ends at ( 0.8964,  0.0881), f = 0.0479
	// AdaGrad  lr 1.5  ends at (-0.1202,  0.0000), f = 0.0007
	// Adam     lr 0.3  ends at ( 0.1360,  0.3182), f = 0.1022
}
