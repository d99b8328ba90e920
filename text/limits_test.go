package text

import (
	"strings"
	"testing"
)

// TestBPELimits checks checkMerges, which NewBPE and every tokenizer read
// from JSON go through, at and past MaxVocab, MaxTokenBytes and
// MaxVocabBytes. It sums lengths without building tokens, so each case
// costs what its merges list costs.
func TestBPELimits(t *testing.T) {
	// MaxVocab: merge k joins tokens k mod 256 and k/256, each pair new,
	// each token a few bytes long.
	vocab := func(n int) [][2]int32 {
		m := make([][2]int32, n)
		for k := range m {
			m[k] = [2]int32{int32(k % 256), int32(k / 256)}
		}
		return m
	}
	// MaxTokenBytes: merge 0 joins byte 97 to itself, merge i>0 token
	// 255+i to itself: token 256+i is 2^(i+1) bytes long.
	doubling := func(n int) [][2]int32 {
		m := [][2]int32{{97, 97}}
		for i := 1; i < n; i++ {
			m = append(m, [2]int32{int32(255 + i), int32(255 + i)})
		}
		return m
	}
	for _, tc := range []struct {
		name   string
		merges [][2]int32
		want   string // "" means accepted
	}{
		{"MaxVocab", vocab(MaxVocab - 256), ""},
		{"MaxVocab+1", vocab(MaxVocab - 255), "at most 1048320"},
		{"MaxTokenBytes", doubling(16), ""},
		{"MaxTokenBytes+", doubling(17), "131072 bytes long, at most 65536"},
		{"MaxVocabBytes", vocabBytes(t, 0), ""},
		{"MaxVocabBytes+2", vocabBytes(t, 1), "more than 67108864 bytes"},
	} {
		err := checkMerges(tc.merges)
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s (%d merges): %v, want %q", tc.name, len(tc.merges), err, tc.want)
		}
	}
}

// vocabBytes returns merges whose tokens, with the 256 bytes, take exactly
// MaxVocabBytes bytes, plus extra merges of 2 bytes each: 32 tokens of
// 2¹⁵ bytes (byte b doubled 15 times, b = 128..159), the 1024 pairs of
// them (2¹⁶ bytes each, MaxTokenBytes) while they fit, then pairs of bytes
// (a below 128) to fill up.
func vocabBytes(t *testing.T, extra int) [][2]int32 {
	var m [][2]int32
	total := int64(256)
	add := func(a, b int32, l int64) int32 {
		m = append(m, [2]int32{a, b})
		total += l
		return int32(255 + len(m))
	}
	var long []int32
	for b := int32(128); b < 160; b++ {
		tok, l := b, int64(1)
		for range 15 {
			l *= 2
			tok = add(tok, tok, l)
		}
		long = append(long, tok)
	}
	for _, a := range long {
		for _, b := range long {
			if total+MaxTokenBytes <= MaxVocabBytes {
				add(a, b, MaxTokenBytes)
			}
		}
	}
	for a := int32(0); a < 128 && total < MaxVocabBytes+2*int64(extra); a++ {
		for b := int32(0); b < 256 && total < MaxVocabBytes+2*int64(extra); b++ {
			add(a, b, 2)
		}
	}
	if want := int64(MaxVocabBytes + 2*extra); total != want {
		t.Fatalf("vocabBytes(%d): %d bytes, want %d", extra, total, want)
	}
	return m
}
