// Package kiso is a neural-network toolkit built from first principles
// (kiso, 基礎, is "the basics"). This package holds no code: it is the map.
//
// Data flows one way: a dataset yields batches of tensors; a model's layers
// carry them forward and their gradients backward; a loss turns outputs into
// a number and a first gradient; an optimizer updates parameters; a trainer
// drives the loop and reports to whoever listens. Each package imports only
// those above it in this list:
//
//	rng        the Mersenne Twister, seeded as numpy and Python seed it
//	tensor     Tensor[T] for float32 and float64: shapes, matrix products, elementwise ops, Parallel
//	nn         Layer (Forward, Backward, Params), Linear, activations, GELU, Dropout, BatchNorm,
//	           LayerNorm, Conv2D, MaxPool2D, Flatten, Embedding, attention, GPT, RNN, LSTM, GRU;
//	           layer kinds that register themselves (config, shapes, build, export, one file
//	           each), Sequential and composite modules (ResidualMLP), named architectures,
//	           initializers
//	autograd   define-by-run automatic differentiation (the third book's DeZero): Variable,
//	           operations with forward and backward side by side, higher-order derivatives
//	loss       softmax with cross-entropy, sigmoid with binary cross-entropy, MSE
//	numgrad    central-difference gradients and the gradient check
//	optim      SGD, Momentum, Nesterov, AdaGrad, RMSprop, Adam, AdamW, weight decay, schedules,
//	           gradient clipping
//	data       datasets and batching: XOR, toy 2-D sets, CSV, MNIST and Fashion-MNIST
//	text       corpora (Opticks, Go's source, any UTF-8 file, Moby-Dick), character
//	           and byte-level BPE tokenizers, windows of tokens for language models;
//	           word corpora (Brown, PTB), the toy sequence tasks (addition, dates)
//	tutorial   the tutorial's TwoLayerNet, reproduced exactly
//	train      the training loop, evaluation, history, observers, checkpoints
//	lm         language models over token streams: random-window and BPTT batches, the GPT's
//	           training loop, full validation loss, sampling with a key/value cache
//	model      .kiso model files (safetensors); ONNX and PyTorch export, each layer writing itself
//	autograd/layers  autograd's modules (lazily shaped Linear, MLP), trained with optim, saved through model
//	word2vec   CBOW and skip-gram with negative sampling; neighbours, analogies, projections
//	seq2seq    LSTM encoder-decoders (reversed input, peeky, attention) for the toy sequence tasks
//	rnnlm      the book's training of recurrent language models (nn.LSTMLM): BPTT streams, perplexity, sampling
//	plot       loss curves, decision boundaries and other figures (gonum/plot)
//	experiment the curriculum's comparison experiments
//	playground the live training page served by kiso serve
//	cmd/kiso   the command line, one file per subcommand
//
// rng and tutorial are rooms the design map did not have: every package
// that draws random numbers shares rng's generator (so that checkpoints can
// save it and runs match numpy's), and tutorial keeps the program kiso grew
// from readable on its own. Below everything, internal/crmath holds the
// correctly rounded exp and log that rng and the layers share, and
// internal/atomicfile the atomic writes of every file a user keeps;
// internal/binenc encodes saved states and internal/kisofile reads the
// text models' files for rnnlm, seq2seq and word2vec; internal/cputime
// reads the process's CPU time for the command line and the benchmarks.
package kiso
