package text

import "fmt"

// LMData is a corpus made ready for a language model: its tokens, split
// 90/10 (Split), and the windows of each part.
type LMData struct {
	Tokenizer Tokenizer
	// Train and Val are the windows of the first 90% of the tokens and of
	// the last 10%.
	Train, Val *Windows
}

// NewLMData encodes c with tok, splits the tokens and cuts both parts into
// windows of block tokens. A corpus whose training or validation part is
// shorter than one window and its targets is an error that says how many
// tokens each part has and how many it needs; so is a text tok cannot
// encode.
func NewLMData(c *Corpus, tok Tokenizer, block int) (*LMData, error) {
	if block < 1 {
		return nil, fmt.Errorf("a window of %d tokens: want at least 1", block)
	}
	ids, err := tok.Encode(c.Text)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.Name, err)
	}
	train, val := Split(ids)
	if len(val) < block+1 {
		return nil, fmt.Errorf("%s is too small for windows of %d tokens: %d tokens, of which the validation part (the last 10%%) has %d; it needs at least %d (a corpus of about %d tokens)",
			c.Name, block, len(ids), len(val), block+1, 10*(block+1))
	}
	tw, err := NewWindows(train, block)
	if err != nil {
		return nil, err
	}
	vw, err := NewWindows(val, block)
	if err != nil {
		return nil, err
	}
	return &LMData{Tokenizer: tok, Train: tw, Val: vw}, nil
}
