package autograd

import "fmt"

func ExampleDOT() {
	x := Scalar(2.0)
	x.Name = "x"
	y := Tanh(x)
	y.Name = "y"
	fmt.Print(DOT(y, true))
	// Output:
	// digraph g {
	// 1 [label="y: () float64", color=orange, style=filled]
	// 2 [label="Tanh", color=lightblue, style=filled, shape=box]
	// 3 -> 2
	// 2 -> 1
	// 3 [label="x: () float64", color=orange, style=filled]
	// }
}
