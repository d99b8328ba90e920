package text

import (
	"context"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// naiveTrain is the definition TrainBPE implements, written the slow way
// (minbpe's BasicTokenizer.train with the ties broken by the lowest pair):
// recount every pair after each merge, merge the most frequent one from
// left to right.
func naiveTrain(text string, vocab int) ([][2]int, []int) {
	ids := make([]int, len(text))
	for i := 0; i < len(text); i++ {
		ids[i] = int(text[i])
	}
	var merges [][2]int
	for z := 256; z < vocab && len(ids) > 1; z++ {
		counts := map[[2]int]int{}
		for i := 0; i+1 < len(ids); i++ {
			counts[[2]int{ids[i], ids[i+1]}]++
		}
		var best [2]int
		bestN := 0
		for p, n := range counts {
			if n > bestN || n == bestN && (p[0] < best[0] || p[0] == best[0] && p[1] < best[1]) {
				best, bestN = p, n
			}
		}
		merges = append(merges, best)
		ids = naiveMerge(ids, best, z)
	}
	return merges, ids
}

func naiveMerge(ids []int, p [2]int, z int) []int {
	var out []int
	for i := 0; i < len(ids); i++ {
		if i+1 < len(ids) && ids[i] == p[0] && ids[i+1] == p[1] {
			out = append(out, z)
			i++
		} else {
			out = append(out, ids[i])
		}
	}
	return out
}

// naiveEncode is minbpe's encode: merge the present pair of lowest rank
// until none has a rank.
func naiveEncode(merges [][2]int, s string) []int {
	rank := map[[2]int]int{}
	for i, m := range merges {
		rank[m] = i
	}
	ids := make([]int, len(s))
	for i := 0; i < len(s); i++ {
		ids[i] = int(s[i])
	}
	for len(ids) > 1 {
		best, bestR := [2]int{}, -1
		for i := 0; i+1 < len(ids); i++ {
			p := [2]int{ids[i], ids[i+1]}
			if r, ok := rank[p]; ok && (bestR < 0 || r < bestR) {
				best, bestR = p, r
			}
		}
		if bestR < 0 {
			break
		}
		ids = naiveMerge(ids, best, 256+bestR)
	}
	return ids
}

func randomText(r *rand.Rand, n int, alphabet string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

func TestTrainBPEMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	texts := []string{
		"a", "aa", "aaa", "aaaa", "aaaaaaaaaaaaaaaaa", "abababab", "aabaabaab",
		"the cat sat on the mat; the cat ate the rat",
		"\xff\xfe\xff\xfe invalid \xc3 utf-8 \xff\xfe",
	}
	for i := range 40 {
		texts = append(texts, randomText(r, 50+r.IntN(400), []string{"ab", "abc", "a b\n", "héllo wörld ", "\x00\xff"}[i%5]))
	}
	for _, text := range texts {
		for _, vocab := range []int{256, 257, 260, 300} {
			wantMerges, wantIDs := naiveTrain(text, vocab)
			tok, ids, err := TrainBPE(context.Background(), text, vocab, BPEOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if got := tok.Merges(); !reflect.DeepEqual(got, wantMerges) && !(len(got) == 0 && len(wantMerges) == 0) {
				t.Fatalf("%q vocab %d: merges\n%v\nwant\n%v", text, vocab, got, wantMerges)
			}
			if !reflect.DeepEqual(ids, wantIDs) {
				t.Fatalf("%q vocab %d: tokens %v, want %v", text, vocab, ids, wantIDs)
			}
			enc, _ := tok.Encode(text)
			if !reflect.DeepEqual(enc, ids) {
				t.Fatalf("%q vocab %d: Encode gives %v, training gave %v", text, vocab, enc, ids)
			}
			// Another text, encoded with the learned merges.
			other := randomText(r, 200, "abc h\xffélo")
			enc, _ = tok.Encode(other)
			if want := naiveEncode(tok.Merges(), other); !reflect.DeepEqual(enc, want) && len(enc)+len(want) > 0 {
				t.Fatalf("Encode(%q) = %v, minbpe's encode gives %v", other, enc, want)
			}
			if dec, err := tok.Decode(enc); err != nil || dec != other {
				t.Fatalf("Decode(Encode(%q)) = %q, %v", other, dec, err)
			}
		}
	}
}

func TestBPERoundTrip(t *testing.T) {
	tok, _, err := TrainBPE(context.Background(), strings.Repeat("func main() {\n\tfmt.Println(\"héllo, 世界\")\n}\n", 20), 300, BPEOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"", "x", "func f() {}", "héllo 世界 🙂", "\xff\xfe invalid \xc3(", "\x00\x01\x02", "never seen: Ωλ"} {
		ids, err := tok.Encode(s)
		if err != nil {
			t.Fatalf("Encode(%q): %v", s, err)
		}
		if got, err := tok.Decode(ids); err != nil || got != s {
			t.Errorf("Decode(Encode(%q)) = %q, %v", s, got, err)
		}
	}
	if _, err := tok.Decode([]int{1, tok.VocabSize()}); err == nil || !strings.Contains(err.Error(), "outside the vocabulary") {
		t.Errorf("Decode of an id out of range: %v", err)
	}
	if _, err := tok.Decode([]int{-1}); err == nil {
		t.Error("Decode of -1: no error")
	}
}

func TestTrainBPEErrors(t *testing.T) {
	ctx := context.Background()
	if _, _, err := TrainBPE(ctx, "abc", 255, BPEOptions{}); err == nil {
		t.Error("vocabulary 255: no error")
	}
	if _, _, err := TrainBPE(ctx, "", 300, BPEOptions{}); err == nil {
		t.Error("empty text: no error")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := TrainBPE(cctx, "abcabc", 300, BPEOptions{}); err != context.Canceled {
		t.Errorf("cancelled: %v", err)
	}
	// More merges asked for than the text allows: training stops when it
	// is one token.
	tok, ids, err := TrainBPE(ctx, "abcd", 1000, BPEOptions{})
	if err != nil || tok.VocabSize() != 259 || len(ids) != 1 {
		t.Errorf("abcd, 1000 tokens: vocab %d, tokens %v, %v", tok.VocabSize(), ids, err)
	}
}
