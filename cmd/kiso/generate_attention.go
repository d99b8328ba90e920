package main

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

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
// nothing; every row sums to 1). The prompt's tokens label the rows (down
// the left) and the columns (along the bottom) of every square.
func drawAttention(path string, g *nn.GPT[float32], tok text.Tokenizer, prompt []int) error {
	t := len(prompt)
	g.ForwardIDs(prompt, 1, t, false)
	cfg := g.Config()
	var maps [][][]float64
	var captions []string
	for l, blk := range g.H {
		w := blk.Attn.Weights() // [H, t, t]
		for h := range cfg.Heads {
			m := make([][]float64, t)
			for i := range m {
				m[i] = make([]float64, t)
				for j, v := range w.Data[(h*t+i)*t : (h*t+i+1)*t] {
					m[i][j] = float64(v)
				}
			}
			maps = append(maps, m)
			captions = append(captions, fmt.Sprintf("layer %d, head %d", l+1, h+1))
		}
	}
	labels := make([]string, t)
	for i, id := range prompt {
		labels[i] = tokenLabel(tok.Token(id))
	}
	shown, err := tok.Decode(prompt)
	if err != nil {
		return err
	}
	if r := []rune(shown); len(r) > 40 {
		shown = string(r[:40]) + "…"
	}
	title := fmt.Sprintf("Attention, %d tokens of %s (row attends to column; dark = 1)", t, strconv.Quote(shown))
	return plot.HeatmapGrid(path, plot.HeatmapGridOptions{Title: title, Maps: maps, Captions: captions,
		RowLabels: labels, ColLabels: labels, Cols: cfg.Heads, Colormap: plot.InvertedGray, Lo: 0, Hi: 1})
}

// tokenLabel is the text of a token as an axis label: a space as "·",
// newlines and tabs and other control characters escaped ("\n"), bytes
// that are not UTF-8 (part of a character, from a BPE) as "\xe2", and a
// long token cut to 12 characters.
func tokenLabel(s string) string {
	var b strings.Builder
	for i, w := 0, 0; i < len(s); i += w {
		r, size := utf8.DecodeRuneInString(s[i:])
		w = size
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, "\\x%02x", s[i])
		case r == ' ':
			b.WriteString("·")
		case unicode.IsControl(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	l := b.String()
	if r := []rune(l); len(r) > 12 {
		l = string(r[:12]) + "…"
	}
	return l
}
