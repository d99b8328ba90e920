// Package seq2seq holds the encoder-decoder models of the second volume's
// chapters 7 and 8 (Deep Learning from Scratch 2): a sequence of ids is read
// by an LSTM encoder, and an LSTM decoder, started from the encoder's last
// hidden state, writes the answer one id at a time.
//
// [Model] is the book's Seq2seq with its improvements as options: Reverse
// feeds the question backwards (Sutskever et al., 2014), Peeky gives the
// encoder's last state to every step of the decoder, both to its LSTM and
// to its output layer (the book's PeekyDecoder), and Attention lets every
// decoder step look at all the encoder's states (the book's
// AttentionSeq2seq: dot-product scores, a softmax over the question's
// positions, the context vector joined to the decoder's state before the
// output layer; Bahdanau et al., 2015, Luong et al., 2015).
//
// Training is teacher-forced: the decoder reads the answer's ids but the
// last and learns to predict each next one, with the softmax cross-entropy
// averaged over every position ([Model.Loss] computes it and every
// gradient). [Model.Generate] decodes greedily. [Trainer] runs the book's
// loop: a new order of the examples each epoch, Adam, the gradients'
// global norm clipped, exact-match accuracy on the test part after each
// epoch.
//
// The layers are nn's LSTM and the package's embedding tables; parameters
// are named as PyTorch's state_dict names those of the anchors
// (../shared/anchors/text/peeky_torch.py, attention_torch.py):
// enc_embed.weight, enc_lstm.weight_ih_l0, ..., affine.bias. [Save] and
// [Load] keep a model in a .kiso file (safetensors) with its vocabulary.
//
// Nothing here prints; training takes a context.
package seq2seq
