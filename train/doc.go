// Package train drives the training loop: shuffled minibatches through a
// network, a loss and an optimizer, epoch after epoch; evaluation on the
// training and held-out sets; the History of losses and accuracies;
// observers for progress, early stopping and checkpoints; and the State
// that resumes an interrupted run bit for bit.
//
// A Trainer is built from an nn.Layer, a loss.Loss and an optim.Optimizer
// and a Config; Fit runs it:
//
//	tr := train.New(net, &loss.SoftmaxCrossEntropy[float64]{}, optim.NewSGD[float64](0.1),
//		train.Config{Epochs: 20, BatchSize: 100, Seed: 1})
//	hist, err := tr.Fit(ctx, trainSet, testSet)
//
// Each step runs Forward (train = true), the loss, Backward and
// Optimizer.Step; the optimizer owns the learning rate and weight decay.
// The same Config, seed, network and data give the same bits every run.
//
// The package never prints: progress reaches the caller through Observer.
// Diverging training (a NaN or infinite loss) is reported as an error
// wrapping ErrDiverged; a cancelled context stops the loop before the next
// step and Fit returns ctx.Err().
//
// Classification is recognised from the data: a Set with Classes > 0 holds
// class indices, and accuracy counts the cases whose predicted class (see
// Classify) equals the index. For regression (Classes == 0) only the loss
// is reported and accuracies are NaN.
package train
