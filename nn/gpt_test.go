package nn_test

import (
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/loss"
	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/numgrad"
	"github.com/kiso-go/kiso/rng"
	"github.com/kiso-go/kiso/tensor"
)

// flatLogits views a GPT's logits [B, T, V] as [B·T, V] rows for a
// cross-entropy against B·T class indices.
type flatLogits struct{ *nn.GPT[float64] }

func (f flatLogits) Forward(x *tensor.Tensor[float64], train bool) *tensor.Tensor[float64] {
	y := f.GPT.Forward(x, train)
	return y.Reshape(y.Dim(0)*y.Dim(1), y.Dim(2))
}

func (f flatLogits) Backward(dy *tensor.Tensor[float64]) *tensor.Tensor[float64] {
	c := f.Config()
	return f.GPT.Backward(dy.Reshape(dy.Len()/c.Vocab/c.Block, c.Block, c.Vocab))
}

// tinyGPT returns a GPT of 2 blocks over windows of 5 with weights drawn
// with std 0.3 (not nanoGPT's 0.02, so that the attention is far from
// uniform and every nonlinearity matters) and LayerNorm weights near 1.
func tinyGPT(r *rng.MT, dropout float64) *nn.GPT[float64] {
	g := nn.NewGPT[float64](nn.GPTConfig{Vocab: 7, Block: 5, Layers: 2, Heads: 2, Embd: 8, Dropout: dropout}, r)
	for _, p := range g.Params() {
		if strings.Contains(p.Name, "ln_") {
			tensor.FillNormal(p.Value, r, 1, 0.2)
		} else {
			tensor.FillNormal(p.Value, r, 0, 0.3)
		}
	}
	return g
}

// TestGPTGradient checks every parameter gradient of a whole GPT (two
// blocks, tied head) against central differences in float64, through a
// softmax cross-entropy over its next-token predictions, without dropout
// and with frozen dropout masks, held to deepTolerance (1e-6). The model
// is a deep composition of products, softmaxes and normalizations with
// large third derivatives: at numgrad.H (1e-4) the position embedding's
// error is 1.1e-5, and it falls a hundredfold for each tenfold smaller
// step (1.1e-3 at 1e-3, 9.6e-7 at 3e-5: truncation, h²), so the check
// uses h = 1e-5, where rounding (about 1e-16/h) is still far below the
// tolerance. A wrong term gives errors of order 1.
func TestGPTGradient(t *testing.T) {
	for _, p := range []float64{0, 0.2} {
		r := rng.NewNumpy(11)
		g := tinyGPT(r, p)
		g.FreezeDropout()
		x := tensor.FromSlice([]float64{0, 3, 6, 3, 1, 2, 2, 5, 4, 0}, 2, 5)
		target := tensor.FromSlice([]float64{3, 6, 3, 1, 0, 2, 5, 4, 0, 6}, 10)
		res := numgrad.Check[float64](flatLogits{g}, &loss.SoftmaxCrossEntropy[float64]{}, x, target, true, gptStep)
		if len(res) != 2+2*6+1 {
			t.Fatalf("%d parameters checked, want 15", len(res))
		}
		for _, res := range res {
			if !(res.MaxRelErr < deepTolerance) {
				t.Errorf("dropout %v: %s: max relative error %.3g (abs %.3g), want < %g", p, res.Name, res.MaxRelErr, res.MaxAbsErr, deepTolerance)
			}
		}
	}
}

// gptStep is TestGPTGradient's central-difference step.
const gptStep = 1e-5

// TestGPTNames checks the parameter names, shapes and decay flags against
// nanoGPT's state_dict (bias=False).
func TestGPTNames(t *testing.T) {
	g := nn.NewGPT[float32](nn.GPTConfig{Vocab: 65, Block: 16, Layers: 2, Heads: 4, Embd: 32}, nil)
	var got []string
	for _, p := range g.Params() {
		got = append(got, fmt.Sprintf("%s %v %v", p.Name, p.Value.Shape(), p.Decay))
	}
	want := []string{"transformer.wte.weight [65 32] true", "transformer.wpe.weight [16 32] true"}
	for i := range 2 {
		for _, s := range []string{"ln_1.weight [32] false", "attn.c_attn.weight [32 96] true", "attn.c_proj.weight [32 32] true",
			"ln_2.weight [32] false", "mlp.c_fc.weight [32 128] true", "mlp.c_proj.weight [128 32] true"} {
			want = append(want, fmt.Sprintf("transformer.h.%d.%s", i, s))
		}
	}
	want = append(want, "transformer.ln_f.weight [32] false")
	if !slices.Equal(got, want) {
		t.Errorf("parameters\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestGPTCausal: changing the last token leaves the logits of every
// earlier position unchanged, bit for bit, and a shorter window gives the
// same logits as the prefix of a longer one.
func TestGPTCausal(t *testing.T) {
	g := tinyGPT(rng.NewNumpy(2), 0)
	y := g.ForwardIDs([]int{1, 2, 3, 4, 5}, 1, 5, false).Clone()
	y2 := g.ForwardIDs([]int{1, 2, 3, 4, 0}, 1, 5, false)
	if !slices.Equal(y.Data[:4*7], y2.Data[:4*7]) || slices.Equal(y.Data[4*7:], y2.Data[4*7:]) {
		t.Error("the last token changed earlier logits, or did not change its own")
	}
	y3 := g.ForwardIDs([]int{1, 2, 3}, 1, 3, false)
	if !slices.Equal(y.Data[:3*7], y3.Data) {
		t.Error("a window of 3 differs from the prefix of a window of 5")
	}
}

// TestGPTArchitecture builds the named architecture "gpt" from a JSON
// config and checks what its config refuses.
func TestGPTArchitecture(t *testing.T) {
	var s nn.Spec
	if err := json.Unmarshal([]byte(`{"arch":"gpt","config":{"vocab_size":11,"block_size":8,"n_layer":1,"n_head":2,"n_embd":16}}`), &s); err != nil {
		t.Fatal(err)
	}
	net, err := nn.Build[float32](s, nn.Normal(0.02), rng.NewNumpy(1))
	if err != nil {
		t.Fatal(err)
	}
	if out, err := s.Validate(nil); err != nil || !slices.Equal(out, []int{8, 11}) {
		t.Errorf("output %v, %v; want [8 11]", out, err)
	}
	y := net.Forward(tensor.New[float32](3, 8), false)
	if !slices.Equal(y.Shape(), []int{3, 8, 11}) {
		t.Errorf("logits %v", y.Shape())
	}
	if n := len(net.Params()); n != 9 || net.Params()[0].Name != "0.transformer.wte.weight" {
		t.Errorf("%d parameters, first %q", n, net.Params()[0].Name)
	}
	for _, c := range []string{`{"n_head":3}`, `{"n_embd":0}`, `{"dropout":1}`, `{"vocab":5}`, `{"block_size":100000000}`} {
		if _, err := nn.Architecture("gpt", json.RawMessage(c)); err == nil {
			t.Errorf("%s accepted", c)
		}
	}
}

// TestGPTSameBitsAnyProcs: the logits and every gradient of a float32 GPT
// large enough for its products and attention pairs to be shared among
// goroutines (12 cases of 64, 4 heads of 32, as nanoGPT's CPU
// configuration) have the same bits with GOMAXPROCS 1 and 2, with dropout
// on.
func TestGPTSameBitsAnyProcs(t *testing.T) {
	run := func(procs int) (logits []float32, grads [][]float32) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		r := rng.NewNumpy(3)
		g := nn.NewGPT[float32](nn.GPTConfig{Vocab: 20, Block: 64, Layers: 2, Heads: 4, Embd: 128, Dropout: 0.1}, r)
		g.Reset(r)
		ids := make([]int, 12*64)
		for i := range ids {
			ids[i] = r.Below(20)
		}
		y := g.ForwardIDs(ids, 12, 64, true)
		dy := tensor.RandN[float32](r, 1, 12, 64, 20)
		g.Backward(dy)
		for _, p := range g.Params() {
			grads = append(grads, slices.Clone(p.Grad.Data))
		}
		return slices.Clone(y.Data), grads
	}
	l1, g1 := run(1)
	l2, g2 := run(2)
	if !slices.Equal(l1, l2) {
		t.Error("the logits differ between GOMAXPROCS 1 and 2")
	}
	for i := range g1 {
		if !slices.Equal(g1[i], g2[i]) {
			t.Errorf("gradient %d differs between GOMAXPROCS 1 and 2", i)
		}
	}
}
