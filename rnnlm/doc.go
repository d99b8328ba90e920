// Package rnnlm trains recurrent language models as the second volume's
// chapter 6 does (Deep Learning from Scratch 2, its RnnlmTrainer and
// eval_perplexity): the corpus is read as Batch rows side by side, each
// from its own offset, T tokens a step, so that a model carrying its state
// from step to step ([nn.LSTMLM]) sees every row as one long text
// (truncated backpropagation through time); plain SGD with the gradients'
// global norm clipped; perplexity, the exponential of the mean
// cross-entropy, on training (per epoch) and on held-out text.
//
// [Loss] is the softmax cross-entropy of the next token, computed row by
// row on tensor.Parallel. [Generate] samples text from a model as the
// book's chapter 7 does. [Save] and [Load] keep a model in a .kiso file
// with its vocabulary.
//
// The package lm (the GPT's training loop) has a Model interface that
// nn.LSTMLM also satisfies; this package keeps the book's epoch-based
// loop, whose figures the anchor ../shared/anchors/text/lstm_lm_torch.py
// reports. Nothing here prints; long loops take a context.
package rnnlm
