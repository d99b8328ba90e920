package text

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"unicode/utf8"

	"github.com/kiso-go/kiso/internal/atomicfile"
)

// Tokenizer turns text into token ids, 0 to VocabSize()-1, and back.
// *Char and *BPE are tokenizers.
type Tokenizer interface {
	// Kind is "char" or "bpe", as the JSON form names it.
	Kind() string
	// VocabSize is the number of token ids.
	VocabSize() int
	// Encode returns the ids of s's tokens, or an error if s cannot be
	// encoded (a character outside a Char tokenizer's vocabulary, or
	// invalid UTF-8 for a Char tokenizer).
	Encode(s string) ([]int, error)
	// Decode returns the text of ids, or an error naming the first id
	// outside 0..VocabSize()-1. Decode(Encode(s)) is s.
	Decode(ids []int) (string, error)
	// Token returns the text of one token: a character for Char, a string
	// of bytes for BPE (which may be part of a character). It panics if id
	// is out of range.
	Token(id int) string
}

// decode concatenates the tokens of ids.
func decode(t Tokenizer, ids []int) (string, error) {
	n := t.VocabSize()
	buf := make([]byte, 0, len(ids))
	for i, id := range ids {
		if id < 0 || id >= n {
			return "", fmt.Errorf("token id %d at position %d is outside the vocabulary of %d tokens", id, i, n)
		}
		buf = append(buf, t.Token(id)...)
	}
	return string(buf), nil
}

// Stream turns token ids into text as they come, as generation needs: Add
// returns the text completed so far, holding back the first bytes of a
// character whose last bytes a later BPE token brings.
type Stream struct {
	tok     Tokenizer
	pending []byte
}

// NewStream returns a Stream decoding with t.
func NewStream(t Tokenizer) *Stream { return &Stream{tok: t} }

// Add decodes one more token and returns the text it completes (possibly
// empty). It returns an error if id is out of range.
func (s *Stream) Add(id int) (string, error) {
	if id < 0 || id >= s.tok.VocabSize() {
		return "", fmt.Errorf("token id %d is outside the vocabulary of %d tokens", id, s.tok.VocabSize())
	}
	s.pending = append(s.pending, s.tok.Token(id)...)
	// Hold back a possibly incomplete character at the end: the last
	// character's first byte is within the last utf8.UTFMax bytes.
	cut := len(s.pending)
	for k := len(s.pending) - 1; k >= 0 && k >= len(s.pending)-utf8.UTFMax; k-- {
		if utf8.RuneStart(s.pending[k]) {
			if !utf8.FullRune(s.pending[k:]) {
				cut = k
			}
			break
		}
	}
	out := string(s.pending[:cut])
	s.pending = append(s.pending[:0], s.pending[cut:]...)
	return out, nil
}

// Flush returns the bytes held back (an incomplete character at the end of
// the stream) and empties the stream.
func (s *Stream) Flush() string {
	out := string(s.pending)
	s.pending = s.pending[:0]
	return out
}

// Limits on a tokenizer read from JSON, checked before anything is built.
const (
	// MaxTokenizerJSON is the largest JSON form read (64 MiB).
	MaxTokenizerJSON = 64 << 20
	// MaxVocab is the largest vocabulary of either kind.
	MaxVocab = 1 << 20
	// MaxTokenBytes is the longest BPE token, and MaxVocabBytes the total
	// length of a BPE vocabulary's tokens: merges of merges can double a
	// token's length each time, so the lengths are summed from the merges
	// before any token is built.
	MaxTokenBytes = 1 << 16
	MaxVocabBytes = 64 << 20
)

// tokenizerJSON is the JSON form of both kinds:
//
//	{"kind":"char","version":1,"chars":"\n !..."}
//	{"kind":"bpe","version":1,"merges":[[32,32],[101,32],...]}
//
// chars holds the vocabulary in id order; merge i makes token 256+i from
// the two tokens it names.
type tokenizerJSON struct {
	Kind    string     `json:"kind"`
	Version int        `json:"version"`
	Chars   *string    `json:"chars,omitempty"`
	Merges  [][2]int32 `json:"merges,omitempty"`
}

// MarshalTokenizer returns t's JSON form, which UnmarshalTokenizer reads:
// small enough for a model file's metadata (a BPE of 1000 tokens is about
// 10 KB).
func MarshalTokenizer(t Tokenizer) ([]byte, error) {
	var j tokenizerJSON
	switch t := t.(type) {
	case *Char:
		s := string(t.chars)
		j = tokenizerJSON{Kind: "char", Version: 1, Chars: &s}
	case *BPE:
		if err := checkMerges(t.merges); err != nil {
			return nil, err
		}
		j = tokenizerJSON{Kind: "bpe", Version: 1, Merges: t.merges}
	default:
		return nil, fmt.Errorf("cannot serialize a tokenizer of type %T", t)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep <, > and & readable in chars
	if err := enc.Encode(j); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// UnmarshalTokenizer reads a tokenizer's JSON form. Input larger than
// MaxTokenizerJSON, a vocabulary larger than MaxVocab, BPE tokens longer
// than MaxTokenBytes in all or MaxVocabBytes together, duplicate or
// unsorted characters and merges of tokens not yet made are errors.
func UnmarshalTokenizer(data []byte) (Tokenizer, error) {
	if len(data) > MaxTokenizerJSON {
		return nil, fmt.Errorf("tokenizer: %d bytes of JSON, at most %d", len(data), MaxTokenizerJSON)
	}
	var j tokenizerJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return nil, fmt.Errorf("tokenizer: not a tokenizer's JSON: %v", err)
	}
	if j.Version != 1 {
		return nil, fmt.Errorf("tokenizer: version %d, this kiso reads version 1", j.Version)
	}
	switch j.Kind {
	case "char":
		if j.Chars == nil || j.Merges != nil {
			return nil, fmt.Errorf("tokenizer: a char tokenizer needs chars and no merges")
		}
		return charFromString(*j.Chars)
	case "bpe":
		if j.Chars != nil {
			return nil, fmt.Errorf("tokenizer: a bpe tokenizer has no chars")
		}
		return newBPE(j.Merges)
	}
	return nil, fmt.Errorf("tokenizer: unknown kind %q (want char or bpe)", j.Kind)
}

// SaveTokenizer writes t's JSON form to path atomically.
func SaveTokenizer(path string, t Tokenizer) error {
	b, err := MarshalTokenizer(t)
	if err != nil {
		return err
	}
	return atomicfile.WriteBytes(path, append(b, '\n'))
}

// LoadTokenizer reads a tokenizer written by SaveTokenizer.
func LoadTokenizer(path string) (Tokenizer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read tokenizer: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxTokenizerJSON+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read tokenizer: %w", err)
	}
	t, err := UnmarshalTokenizer(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}
