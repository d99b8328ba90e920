// Package word2vec learns word vectors from running text, as the second
// volume's chapters 3 and 4 teach (Deep Learning from Scratch 2): CBOW,
// which predicts a word from the mean of its context's vectors, and
// skip-gram, which predicts each context word from the word's vector, both
// trained with negative sampling (Mikolov et al. 2013).
//
// A [Model] holds two matrices of shape [V, Dim]: In, the words' vectors
// (the book's W_in, an Embedding), and Out, their output vectors (W_out, the
// book's EmbeddingDot). For one example, h is In's row of the word
// (skip-gram) or the mean of the rows of its 2·Window context words (CBOW);
// the loss is
//
//	-log σ(h·Out[target]) - Σₖ log σ(-h·Out[negₖ])
//
// summed over the example's targets (one for CBOW, each of the 2·Window
// context words for skip-gram), where the Negatives negₖ of each target
// are distinct words other than the target, drawn from the unigram
// distribution raised to the power 0.75 ([Sampler]), as the book's
// UnigramSampler draws them.
//
// [Trainer] runs it as the book does, over the running corpus with windows
// crossing sentence ends, examples in a new random order each epoch, in
// mini-batches; but with plain SGD whose rate falls linearly to nothing
// (word2vec's own schedule) rather than Adam, so that a step touches only
// the rows its batch uses: a batch's gradients are computed in parallel
// from the parameters as they were before it, then added row by row in
// the examples' order, so that the same seed gives the same bits on any
// number of cores.
//
// [Vectors] answers queries on trained vectors: nearest neighbours by
// cosine, analogies (b - a + c, the three words excluded), an analogy
// test's accuracy ([Analogies], [DefaultAnalogies]) and a 2-D projection
// (PCA) for a plot. [Save] and [Load] keep a model in a .kiso file
// (safetensors), the vocabulary in its metadata.
//
// Nothing here prints; training takes a context.
package word2vec
