package main

import (
	"fmt"
	"strconv"

	"github.com/kiso-go/kiso/nn"
	"github.com/kiso-go/kiso/plot"
	"github.com/kiso-go/kiso/text"
)

// maxAttentionTokens bounds the prompt drawn by --attention: beyond it the
// cells of a head's picture are too small to read.
const maxAttentionTokens = 256

// checkAttention checks, before any sampling, that the attention picture
// of prompt (its token ids) can be drawn and written to path.
func checkAttention(path string, g *nn.GPT[float32], prompt []int) error {
	if err := plot.CheckPath(path); err != nil {
		return fmt.Errorf("--attention: %w", err)
	}
	if n, block := len(prompt), g.Config().Block; n > block || n > maxAttentionTokens {
		return usagef("--attention: the prompt has %d tokens; the picture takes at most the model's window, %d (and at most %d)", n, block, maxAttentionTokens)
	}
	return nil
}

// drawAttention runs the GPT over prompt once (evaluation mode) and writes
// the attention weights of every head of every layer to path: one square
// per head, a row of squares per layer, row i of a square being what
// position i of the prompt took from each position j ≤ i (dark: much, white:
// nothing; every row sums to 1).
func drawAttention(path string, g *nn.GPT[float32], tok text.Tokenizer, prompt []int) error {
	t := len(prompt)
	g.ForwardIDs(prompt, 1, t, false)
	cfg := g.Config()
	var images [][]float64
	var captions []string
	for l, blk := range g.H {
		w := blk.Attn.Weights() // [H, t, t]
		for h := range cfg.Heads {
			im := make([]float64, t*t)
			for i, v := range w.Data[h*t*t : (h+1)*t*t] {
				im[i] = float64(v)
			}
			images = append(images, im)
			captions = append(captions, fmt.Sprintf("layer %d, head %d", l+1, h+1))
		}
	}
	shown, err := tok.Decode(prompt)
	if err != nil {
		return err
	}
	if r := []rune(shown); len(r) > 40 {
		shown = string(r[:40]) + "…"
	}
	title := fmt.Sprintf("Attention, %d tokens of %s (row attends to column; dark = 1)", t, strconv.Quote(shown))
	size := plot.Size{Width: 1.6*float64(cfg.Heads) + 0.4, Height: 1.75*float64(cfg.Layers) + 0.9}
	return plot.ImageGrid(path, plot.ImageGridOptions{Title: title, Images: images, H: t, W: t, Cols: cfg.Heads,
		Captions: captions, Colormap: plot.InvertedGray, Global: true, Size: size})
}
