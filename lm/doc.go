// Package lm trains and samples language models over streams of token ids:
// a GPT (nn.GPT) or any model that maps [batch, T] ids to [batch, T, vocab]
// logits (Model), such as a recurrent language model that carries its state
// from one batch to the next (Stateful).
//
// The pieces, as nanoGPT's train.py and sample.py and the second volume's
// RnnlmTrainer have them:
//
//   - Batches: Windows draws random windows of a token stream (nanoGPT's
//     get_batch); Stream cuts it into contiguous rows for truncated
//     backpropagation through time (the book's BPTT batches).
//   - Loss: the mean cross-entropy of the logits against the next tokens,
//     and its gradient.
//   - Trainer: a context-aware loop of steps (forward, loss, backward,
//     gradient clipping, an optimizer step at the learning rate a schedule
//     gives), periodic estimates of the training and validation loss on
//     fixed batches, and FullLoss over every window of a split.
//   - Generate: sampling with a temperature and top-k, token by token,
//     through a key/value cache when the model has one (Decoder).
//
// The package never prints; its long loops take a context.Context.
package lm
