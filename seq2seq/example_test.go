package seq2seq_test

import (
	"fmt"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/seq2seq"
	"github.com/kiso-go/kiso/tensor"
)

func ExampleClipGradNorm() {
	p := nn.NewParam("w", tensor.New[float64](2), true)
	p.Grad.Data[0], p.Grad.Data[1] = 30, 40 // norm 50
	norm := seq2seq.ClipGradNorm([]*nn.Param[float64]{p}, 5)
	fmt.Printf("norm %.0f, clipped to %.4f %.4f\n", norm, p.Grad.Data[0], p.Grad.Data[1])
	// Output: norm 50, clipped to 3.0000 4.0000
}

func ExampleConfig_Validate() {
	err := seq2seq.Config{Vocab: 13, Embed: 16, Hidden: 128, Peeky: true, Attention: true}.Validate()
	fmt.Println(err)
	// Output: peeky and attention together: choose one (the book does not join them)
}
