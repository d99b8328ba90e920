// Package autograd is define-by-run automatic differentiation over kiso's
// tensors, as the third book of the series builds it (DeZero) and micrograd
// keeps it: a Variable holds a tensor, its gradient and the function that
// created it; every operation records itself while it runs, and Backward
// walks the recorded graph from the last variable back to the first, in
// generation order, calling each function's backward.
//
// Each family of operations lives in one short file with its forward and
// its backward side by side: arith.go (+ - * / and powers with numpy
// broadcasting), math.go (exp, log, sin, cos, tanh, clip), activation.go
// (sigmoid, ReLU, softmax, log-softmax), shape.go (reshape, transpose,
// broadcast, sum-to), reduce.go (sum, mean, max, min), matmul.go (matrix
// products and Linear), index.go (rows, ranges, fancy indexing and
// concatenation), loss.go (mean squared error, softmax cross-entropy,
// accuracy), dropout.go, conv.go (im2col, col2im, Conv2D, pooling) and
// embedding.go.
//
// Backward functions are written with the same operations as forward ones,
// so a gradient is itself a Variable: with the CreateGraph option, Backward
// records the graph of the gradient and it can be differentiated again
// (higher-order derivatives, Newton's method, gradient penalties).
//
// # Recording, constants and no-grad
//
// An operation records its function (the output gets a creator) when one of
// its inputs wants a gradient. Leaves made with New or Scalar want one;
// leaves made with Const or ConstScalar do not, and operations on constants
// only are constants themselves, so data fed to a model costs no gradient.
//
// NoGrad(v) returns v marked as "no-grad": nothing computed from it records
// anything, whatever the other inputs are. It is the goroutine-safe form of
// DeZero's "with no_grad():": the mode travels with the values instead of
// living in a global switch, so one goroutine running inference never turns
// off recording in another that trains. Backward without CreateGraph marks
// the gradients it makes the same way, which is what DeZero's
// using_config('enable_backprop', create_graph) does.
//
// A graph (its variables and functions) belongs to one goroutine at a time:
// Backward writes the gradients of every variable it reaches. Separate
// graphs may be built and differentiated concurrently, even when they read
// the same leaves' data, as long as those leaves' gradients are not
// accumulated from two goroutines at once.
//
// Misuse (shapes that do not fit an operation) panics with a message that
// starts with "autograd:", names the operation and gives the shapes.
package autograd
