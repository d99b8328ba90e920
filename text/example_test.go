package text_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/text"
)

// A character-level tokenizer, as nanoGPT's: the distinct characters,
// sorted by code point.
func ExampleNewChar() {
	tok, _ := text.NewChar("hello world")
	ids, _ := tok.Encode("low")
	back, _ := tok.Decode(ids)
	fmt.Println(tok.VocabSize(), ids, back)
	_, err := tok.Encode("hello!")
	fmt.Println(err)
	// Output:
	// 8 [4 5 7] low
	// character '!' (U+0021) at byte 5 is not in the tokenizer's vocabulary
}

// Byte-level BPE learns merges by counting pairs; it encodes any bytes.
func ExampleTrainBPE() {
	tok, ids, _ := text.TrainBPE(context.Background(), "low lower lowest", 259, text.BPEOptions{})
	for id := 256; id < tok.VocabSize(); id++ {
		fmt.Printf("%d=%q\n", id, tok.Token(id))
	}
	fmt.Println(len(ids), "tokens for 16 bytes")
	ids, _ = tok.Encode("slow \xff")
	back, _ := tok.Decode(ids)
	fmt.Printf("%v %q\n", ids, back)
	b, _ := text.MarshalTokenizer(tok)
	fmt.Println(string(b))
	// Output:
	// 256="lo"
	// 257="low"
	// 258=" low"
	// 8 tokens for 16 bytes
	// [115 257 32 255] "slow \xff"
	// {"kind":"bpe","version":1,"merges":[[108,111],[256,119],[32,257]]}
}

// Windows of tokens and their targets, drawn as nanoGPT draws a batch.
func ExampleWindows() {
	tok, _ := text.NewChar("abcdefghij")
	ids, _ := tok.Encode("abcdefghijabcdefghij")
	train, val := text.Split(ids)
	w, _ := text.NewWindows(train, 4)
	x, y := make([]int, 2*4), make([]int, 2*4)
	w.Sample(rng.NewPython(1337), x, y)
	fmt.Println(len(train), len(val))
	fmt.Println(x[:4], y[:4])
	fmt.Println(x[4:], y[4:])
	// Output:
	// 18 2
	// [9 0 1 2] [0 1 2 3]
	// [8 9 0 1] [9 0 1 2]
}

// The addition task of the second volume's chapter 7, as seq2seq_data.py
// generates it, read back as the book's load_data reads it.
func ExampleAddition() {
	lines := text.Addition(20, 1984)
	fmt.Printf("%q\n%q\n", lines[0], lines[1])
	var b strings.Builder
	text.WriteLines(&b, lines)
	p, _ := text.ParsePairs(b.String(), 1984)
	fmt.Println(p.Train.Len(), p.Test.Len(), p.QuestionLen, p.AnswerLen, p.Vocab.Len())
	q, _ := p.Question("12+3")
	fmt.Printf("%q\n", p.Decode(q))
	// Output:
	// "3+86   _89  "
	// "5+901  _906 "
	// 18 2 7 5 13
	// "12+3   "
}

// A stream decodes BPE tokens as they are generated, holding back a
// character until its last byte arrives.
func ExampleStream() {
	tok, _ := text.NewBPE([][2]int{{0xe4, 0xb8}}) // the first two bytes of 世
	ids, _ := tok.Encode("a世b")
	s := text.NewStream(tok)
	for _, id := range ids {
		out, _ := s.Add(id)
		fmt.Printf("%d -> %q\n", id, out)
	}
	// Output:
	// 97 -> "a"
	// 256 -> ""
	// 150 -> "世"
	// 98 -> "b"
}
