package text

import (
	"context"
	"testing"
)

// FuzzTokenizer reads arbitrary bytes as a tokenizer's JSON form (which
// must fail cleanly or give a tokenizer that round-trips text), and trains
// a small BPE on arbitrary text (which must round-trip it).
func FuzzTokenizer(f *testing.F) {
	f.Add([]byte(`{"kind":"bpe","version":1,"merges":[[97,98],[256,99]]}`), "abcabc\xff")
	f.Add([]byte(`{"kind":"char","version":1,"chars":"abc"}`), "cab")
	f.Add([]byte(`{"kind":"bpe","version":1,"merges":[[97,97],[256,256],[257,257]]}`), "aaaaaaaaa")
	// Hostile shapes (issue 12): ids that overflow or are negative, a merge
	// of a token not yet made, a truncated document, a version past any.
	f.Add([]byte(`{"kind":"bpe","version":1,"merges":[[97,4294967296]]}`), "a")
	f.Add([]byte(`{"kind":"bpe","version":1,"merges":[[-1,97]]}`), "a")
	f.Add([]byte(`{"kind":"bpe","version":1,"merges":[[97,9223372036854775807]]}`), "a")
	f.Add([]byte(`{"kind":"bpe","version":1,"merges":[[300,97]]}`), "a")
	f.Add([]byte(`{"kind":"bpe","version":1,"merges":[[97,98]`), "ab")
	f.Add([]byte(`{"kind":"char","version":18446744073709551615,"chars":"abc"}`), "a")
	f.Fuzz(func(t *testing.T, data []byte, s string) {
		if tok, err := UnmarshalTokenizer(data); err == nil {
			ids, err := tok.Encode(s)
			if err == nil {
				if back, err := tok.Decode(ids); err != nil || back != s {
					t.Fatalf("%s: Decode(Encode(%q)) = %q, %v", data, s, back, err)
				}
			} else if tok.Kind() == "bpe" {
				t.Fatalf("BPE Encode(%q): %v", s, err)
			}
			if _, err := MarshalTokenizer(tok); err != nil {
				t.Fatalf("%s: cannot marshal what was read: %v", data, err)
			}
		}
		if s == "" || len(s) > 2000 {
			return
		}
		tok, ids, err := TrainBPE(context.Background(), s, 256+len(s)%20, BPEOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if back, err := tok.Decode(ids); err != nil || back != s {
			t.Fatalf("trained on %q: decodes to %q, %v", s, back, err)
		}
		if enc, _ := tok.Encode(s); len(enc) != len(ids) {
			t.Fatalf("trained on %q: Encode gives %d tokens, training %d", s, len(enc), len(ids))
		}
	})
}
