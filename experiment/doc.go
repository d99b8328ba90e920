// Package experiment reproduces the comparisons of chapters 6 and 7 of the
// book "Deep Learning from Scratch" (Saito): each experiment trains what the
// book's script trains, writes its numbers to CSV files and its figures to
// PNG (or SVG) files in a folder, and returns a small result to print.
//
//	Optimizers  SGD, Momentum, AdaGrad and Adam on f(x, y) = x²/20 + y², and
//	            their MNIST loss curves (ch06/optimizer_compare_*.py)
//	Init        weight std 0.01, Xavier and He: activation histograms and MNIST
//	            loss curves (ch06/weight_init_*.py)
//	BatchNorm   with and without batch normalization over 16 weight scales
//	            (ch06/batch_norm_test.py)
//	Overfit     300 images, a deep network, weight decay and dropout
//	            (ch06/overfit_*.py)
//	Search      random search of learning rate and weight decay on a
//	            validation split (ch06/hyperparameter_optimization.py)
//	Filters     the first-layer filters of SimpleConvNet before and after
//	            training (ch07/visualize_filter.py)
//	Mistakes    the test digits a trained network gets wrong
//
// Every experiment takes an options struct whose Default... constructor
// gives the book's settings, and Common options: the output folder, the
// image formats, the seed, the MNIST folder and a progress callback. The same
// options and seed give the same files, bit for bit. MNIST networks are
// trained in float32, which halves the memory traffic of the matrix products
// and changes none of the lessons; the optimizer paths and the activation
// histograms, which are about exact numbers, are computed in float64.
//
// Comparisons are controlled: the runs of one experiment that differ in the
// thing compared (the optimizer, the initializer, batch norm) share
// everything else, the same batches in the same order and, where the
// network is the same, the same initial weights. The book's scripts draw
// each run's weights and batches afresh; the curves tell the same story with
// less noise between them.
//
// The package never prints: progress reaches the caller through
// Common.Progress. Independent runs (the optimizers, the weight scales, the
// search's trials) train side by side on all cores.
package experiment
