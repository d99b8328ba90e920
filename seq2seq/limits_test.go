package seq2seq

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"

	"github.com/kiso-go/kiso/rng"
)

// TestConfigSizeLimit checks Vocab, Embed and Hidden at and past MaxSize.
func TestConfigSizeLimit(t *testing.T) {
	base := Config{Vocab: 13, Embed: 16, Hidden: 128}
	for _, field := range []string{"vocab", "embed", "hidden"} {
		at, past := base, base
		switch field {
		case "vocab":
			at.Vocab, past.Vocab = MaxSize, MaxSize+1
		case "embed":
			at.Embed, past.Embed = MaxSize, MaxSize+1
		case "hidden":
			at.Hidden, past.Hidden = MaxSize, MaxSize+1
		}
		if err := at.Validate(); err != nil {
			t.Errorf("%s %d (the limit): %v", field, MaxSize, err)
		}
		if err := past.Validate(); err == nil {
			t.Errorf("%s %d (past the limit): accepted", field, MaxSize+1)
		}
	}
}

// TestFileLengthLimit reads a file declaring questions of MaxLen symbols
// and refuses one declaring MaxLen+1, for questions and for answers.
func TestFileLengthLimit(t *testing.T) {
	p := reversal(t)
	m, _ := New[float32](Config{Vocab: p.Vocab.Len(), Embed: 2, Hidden: 3}, rng.NewNumpy(1))
	var good bytes.Buffer
	if err := Write(&good, m, p, Info{}); err != nil {
		t.Fatal(err)
	}
	// with replaces the declared lengths in the safetensors header and
	// fixes the header's length in the file's first 8 bytes.
	with := func(lengths string) []byte {
		b := good.Bytes()
		n := binary.LittleEndian.Uint64(b[:8])
		header := bytes.Replace(b[8:8+n], []byte(`[4,5]`), []byte(lengths), 1)
		if bytes.Equal(header, b[8:8+n]) {
			t.Fatal("the lengths [4,5] are not in the header")
		}
		out := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
		return append(append(out, header...), b[8+n:]...)
	}
	for _, c := range []struct {
		lengths string
		ok      bool
	}{
		{fmt.Sprintf("[%d,5]", MaxLen), true},
		{fmt.Sprintf("[4,%d]", MaxLen), true},
		{fmt.Sprintf("[%d,5]", MaxLen+1), false},
		{fmt.Sprintf("[4,%d]", MaxLen+1), false},
	} {
		b := with(c.lengths)
		_, err := Read[float32](bytes.NewReader(b), int64(len(b)))
		if c.ok && err != nil {
			t.Errorf("lengths %s (at the limit): %v", c.lengths, err)
		}
		if !c.ok && (err == nil || !strings.Contains(err.Error(), "lengths")) {
			t.Errorf("lengths %s (past the limit): %v, want a refusal", c.lengths, err)
		}
	}
}
