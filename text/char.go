package text

import (
	"fmt"
	"slices"
	"unicode/utf8"
)

// Char is a character-level tokenizer: one token per Unicode character,
// the vocabulary the distinct characters of a text sorted by code point
// (nanoGPT's sorted(set(text))).
type Char struct {
	chars []rune
	ascii [utf8.RuneSelf]int32 // id+1 of each ASCII character, 0 if absent
	ids   map[rune]int         // the others
}

// NewChar returns the character tokenizer of text's distinct characters.
// text must be non-empty valid UTF-8.
func NewChar(text string) (*Char, error) {
	if err := CheckText("the text", []byte(text)); err != nil {
		return nil, err
	}
	seen := map[rune]bool{}
	for _, r := range text {
		seen[r] = true
	}
	chars := make([]rune, 0, len(seen))
	for r := range seen {
		chars = append(chars, r)
	}
	slices.Sort(chars)
	return newChar(chars), nil
}

func newChar(chars []rune) *Char {
	c := &Char{chars: chars, ids: map[rune]int{}}
	for i, r := range chars {
		if r < utf8.RuneSelf {
			c.ascii[r] = int32(i + 1)
		} else {
			c.ids[r] = i
		}
	}
	return c
}

// charFromString rebuilds a Char from its vocabulary in id order.
func charFromString(s string) (*Char, error) {
	if s == "" || !utf8.ValidString(s) {
		return nil, fmt.Errorf("tokenizer: chars must be non-empty UTF-8")
	}
	if n := utf8.RuneCountInString(s); n > MaxVocab {
		return nil, fmt.Errorf("tokenizer: %d chars, at most %d", n, MaxVocab)
	}
	chars := []rune(s)
	for i := 1; i < len(chars); i++ {
		if chars[i] <= chars[i-1] {
			return nil, fmt.Errorf("tokenizer: chars are not sorted and distinct (%q after %q)", chars[i], chars[i-1])
		}
	}
	return newChar(chars), nil
}

// Kind returns "char".
func (c *Char) Kind() string { return "char" }

// VocabSize returns the number of distinct characters.
func (c *Char) VocabSize() int { return len(c.chars) }

// Chars returns the vocabulary in id order.
func (c *Char) Chars() []rune { return slices.Clone(c.chars) }

// Token returns the character of id as a string.
func (c *Char) Token(id int) string { return string(c.chars[id]) }

// ID returns the id of character r, and whether r is in the vocabulary.
func (c *Char) ID(r rune) (int, bool) {
	if r >= 0 && r < utf8.RuneSelf {
		id := int(c.ascii[r]) - 1
		return id, id >= 0
	}
	id, ok := c.ids[r]
	return id, ok
}

// UnknownCharError reports a character that a Char tokenizer's vocabulary
// lacks.
type UnknownCharError struct {
	Char   rune
	Offset int // byte offset in the encoded text
}

func (e *UnknownCharError) Error() string {
	return fmt.Sprintf("character %q (U+%04X) at byte %d is not in the tokenizer's vocabulary", e.Char, e.Char, e.Offset)
}

// Encode returns one id per character of s. A character outside the
// vocabulary is an *UnknownCharError; invalid UTF-8 is an error giving the
// offset of the bad byte.
func (c *Char) Encode(s string) ([]int, error) {
	ids := make([]int, 0, len(s))
	for off, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[off:]); size == 1 {
				return nil, fmt.Errorf("byte 0x%02x at offset %d is not valid UTF-8", s[off], off)
			}
		}
		id, ok := c.ID(r)
		if !ok {
			return nil, &UnknownCharError{Char: r, Offset: off}
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// Decode returns the characters of ids.
func (c *Char) Decode(ids []int) (string, error) { return decode(c, ids) }
