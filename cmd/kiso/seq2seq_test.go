package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeReversal writes the pairs of reversing every 4-letter word of
// "abcd" ("abcc_ccba").
func writeReversal(t *testing.T, path string) {
	t.Helper()
	var b strings.Builder
	for i := range 256 {
		w := []byte{"abcd"[i>>6], "abcd"[i>>4&3], "abcd"[i>>2&3], "abcd"[i&3]}
		b.WriteString(string(w) + "_" + string([]byte{w[3], w[2], w[1], w[0]}) + "\n")
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestSeq2seqAndAnswer trains an attention model on a file of pairs
// (30 epochs of 14 steps), asks for a test accuracy of at least 80% (runs
// seen: 100%), then asks the model with kiso answer.
func TestSeq2seqAndAnswer(t *testing.T) {
	dir := t.TempDir()
	data, out := filepath.Join(dir, "rev.txt"), filepath.Join(dir, "m.kiso")
	writeReversal(t, data)
	stdout, stderr, code := runCLI(t, "seq2seq", "--data", "pairs:"+data, "--attention", "--embed", "8", "--hidden", "32",
		"--batch", "16", "--lr", "0.01", "--epochs", "30", "--out", out, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		Variant   string
		Epochs    int
		Accuracy  float64   `json:"test_accuracy"`
		PerEpoch  []float64 `json:"test_accuracy_per_epoch"`
		ExamplesS float64   `json:"examples_per_second"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	if got.Variant != "attention" || got.Epochs != 30 || len(got.PerEpoch) != 30 || got.ExamplesS <= 0 {
		t.Fatalf("report %+v", got)
	}
	if got.Accuracy < 0.8 {
		t.Fatalf("test accuracy %.2f, want at least 0.80", got.Accuracy)
	}
	stdout, stderr, code = runCLI(t, "answer", "--model", out, "abcd", "ddab")
	if code != 0 || stdout != "abcd -> dcba\nddab -> badd\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	// The attention weights of one answer: a row per answer symbol, a
	// weight per question symbol, each row summing to 1, and a PNG.
	png := filepath.Join(dir, "att.png")
	stdout, stderr, code = runCLI(t, "answer", "--model", out, "--attention", png, "--json", "abcd")
	if code != 0 {
		t.Fatalf("answer --attention: exit %d: %s", code, stderr)
	}
	var att struct {
		Answer    string
		Attention [][]float64
	}
	if err := json.Unmarshal([]byte(stdout), &att); err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	if att.Answer != "dcba" || len(att.Attention) != 4 {
		t.Fatalf("answer --attention: %+v", att)
	}
	for i, row := range att.Attention {
		var sum float64
		for _, w := range row {
			sum += w
		}
		if len(row) != 4 || sum < 1-1e-5 || sum > 1+1e-5 {
			t.Fatalf("attention row %d: %v (sum %v)", i, row, sum)
		}
	}
	if fi, err := os.Stat(png); err != nil || fi.Size() == 0 {
		t.Fatalf("the attention plot: %v", err)
	}
}

// TestSeq2seqBadInput checks that bad flags, data and questions each give
// one line and a non-zero exit.
func TestSeq2seqBadInput(t *testing.T) {
	dir := t.TempDir()
	data, model := filepath.Join(dir, "rev.txt"), filepath.Join(dir, "m.kiso")
	writeReversal(t, data)
	empty, uneven := filepath.Join(dir, "empty.txt"), filepath.Join(dir, "uneven.txt")
	os.WriteFile(empty, nil, 0o644)
	os.WriteFile(uneven, []byte("ab_ba\nabc_cba\n"), 0o644)
	if _, stderr, code := runCLI(t, "seq2seq", "--data", "pairs:"+data, "--hidden", "4", "--epochs", "1", "--batch", "64", "--out", model, "-q"); code != 0 {
		t.Fatalf("training: exit %d: %s", code, stderr)
	}
	peeky := filepath.Join(dir, "peeky.kiso")
	if _, stderr, code := runCLI(t, "seq2seq", "--data", "pairs:"+data, "--peeky", "--hidden", "4", "--epochs", "1", "--batch", "64", "--out", peeky, "-q"); code != 0 {
		t.Fatalf("training: exit %d: %s", code, stderr)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"seq2seq", "--peeky", "--attention", "--out", filepath.Join(dir, "x.kiso")}, "choose one"},
		{[]string{"seq2seq", "--data", "pairs:" + empty, "--out", filepath.Join(dir, "x.kiso")}, "is empty"},
		{[]string{"seq2seq", "--data", "pairs:" + uneven, "--out", filepath.Join(dir, "x.kiso")}, "line 2"},
		{[]string{"seq2seq", "--data", "poems", "--out", filepath.Join(dir, "x.kiso")}, "want addition, dates or pairs:FILE"},
		{[]string{"answer", "--model", model, "abce"}, "never had"},
		{[]string{"answer", "--model", model, "abcda"}, "at most 4"},
		{[]string{"answer", "--model", data, "abcd"}, "load"},
		{[]string{"answer", "--model", model, "--attention", filepath.Join(dir, "a.png"), "abcd", "abcc"}, "one question"},
		{[]string{"answer", "--model", model, "--attention", filepath.Join(dir, "a.txt"), "abcd"}, "use .png or .svg"},
		{[]string{"answer", "--model", peeky, "--attention", filepath.Join(dir, "a.png"), "abcd"}, "no attention"},
	} {
		_, stderr, code := runCLI(t, c.args...)
		if code == 0 || !strings.Contains(stderr, c.want) || strings.Count(strings.TrimSpace(stderr), "\n") > 1 {
			t.Errorf("%v: exit %d, stderr %q, want one line about %q", c.args, code, stderr, c.want)
		}
	}
}
