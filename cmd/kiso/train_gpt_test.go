package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeCorpus writes a small periodic text for GPT tests.
func writeCorpus(t *testing.T, dir string, n int) string {
	t.Helper()
	path := filepath.Join(dir, "corpus.txt")
	if err := os.WriteFile(path, []byte(strings.Repeat("the light of the sun. ", n)), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// tinyGPTArgs are the flags of a GPT that trains in a fraction of a second.
func tinyGPTArgs(corpus string, iters int) []string {
	return []string{"train", "--model", "gpt", "--data", "text:" + corpus, "--layers", "1", "--heads", "2", "--embd", "16",
		"--block", "16", "--batch", "4", "--iters", itoa(iters), "--eval-every", "10",
		"--eval-iters", "2", "--lr", "1e-2", "--min-lr", "1e-3"}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// TestTrainGPT trains a tiny GPT on a periodic text: the JSON summary has
// the keys, the validation loss falls below 1 (from log 11 ≈
// 2.4), the model file generates text, with and without the cache the
// same, and the history CSV has a row per estimate.
func TestTrainGPT(t *testing.T) {
	dir := t.TempDir()
	corpus := writeCorpus(t, dir, 200)
	out, hist := filepath.Join(dir, "g.kiso"), filepath.Join(dir, "h.csv")
	stdout, stderr, code := runCLI(t, append(tinyGPTArgs(corpus, 60), "--out", out, "--history", hist, "--json")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		ValLoss     float64 `json:"val_loss"`
		FullValLoss float64 `json:"full_val_loss"`
		TokensPerS  float64 `json:"tokens_per_second"`
		Iters       int     `json:"iters"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	if got.Iters != 60 || !(got.ValLoss < 1) || !(got.FullValLoss < 1) || !(got.TokensPerS > 0) {
		t.Errorf("summary %+v", got)
	}
	csv, err := os.ReadFile(hist)
	if err != nil || strings.Count(string(csv), "\n") != 1+7 {
		t.Errorf("history (%v):\n%s", err, csv)
	}
	var texts [2]string
	for i, extra := range [][]string{nil, {"--no-cache"}} {
		stdout, stderr, code := runCLI(t, append([]string{"generate", "--model", out, "--prompt", "the ", "--tokens", "40", "--seed", "3"}, extra...)...)
		if code != 0 {
			t.Fatalf("generate %v: exit %d: %s", extra, code, stderr)
		}
		texts[i] = stdout
	}
	if texts[0] != texts[1] || !strings.HasPrefix(texts[0], "the ") || len(texts[0]) < 44 {
		t.Errorf("cached %q, uncached %q", texts[0], texts[1])
	}
	// The model exports to ONNX (model's TestONNXRuntimeGPT runs such a
	// file); --softmax, for a vector per case, is refused, writing nothing.
	onnx := filepath.Join(dir, "g.onnx")
	if stdout, stderr, code := runCLI(t, "export", "--model", out, "--format", "onnx", "--out", onnx); code != 0 || !strings.Contains(stdout, "opset 17") {
		t.Errorf("export --format onnx: exit %d, %q: %s", code, stdout, stderr)
	} else if st, err := os.Stat(onnx); err != nil || st.Size() < 1000 {
		t.Errorf("export --format onnx wrote %v (%v)", st, err)
	}
	bad := filepath.Join(dir, "bad.onnx")
	if _, stderr, code := runCLI(t, "export", "--model", out, "--format", "onnx", "--softmax", "--out", bad); code == 0 || !strings.Contains(stderr, "Softmax") {
		t.Errorf("export --softmax of a GPT: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(bad); err == nil {
		t.Error("a refused export left a file")
	}
}

// cancelAt is a writer that cancels a context when the text it is given
// contains a mark.
type cancelAt struct {
	bytes.Buffer
	mark   string
	cancel context.CancelFunc
}

func (c *cancelAt) Write(p []byte) (int, error) {
	n, err := c.Buffer.Write(p)
	if strings.Contains(c.String(), c.mark) {
		c.cancel()
	}
	return n, err
}

// TestTrainGPTResume interrupts a run after 25 of 40 steps (as Ctrl-C
// does), resumes it from the checkpoint it saved, and requires the model
// file to be the same, byte for byte, as the one of an uninterrupted run.
func TestTrainGPTResume(t *testing.T) {
	dir := t.TempDir()
	corpus := writeCorpus(t, dir, 100)
	full, part, ckpt := filepath.Join(dir, "full.kiso"), filepath.Join(dir, "part.kiso"), filepath.Join(dir, "run.ckpt")
	args := append(tinyGPTArgs(corpus, 40), "--dropout", "0.1", "--log-every", "5")
	if _, stderr, code := runCLI(t, append(args, "--out", full)...); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	ctx, cancel := context.WithCancel(context.Background())
	w := &cancelAt{mark: "step 25/40", cancel: cancel}
	var errb bytes.Buffer
	root := newRootCmd(w, &errb)
	root.SetArgs(append(args, "--out", part, "--checkpoint", ckpt))
	err := root.ExecuteContext(ctx)
	if code := exitCode(err); code != 130 || !strings.Contains(err.Error(), "--resume") {
		t.Fatalf("interrupted run: exit %d, %v", code, err)
	}
	if _, err := os.Stat(part); err == nil {
		t.Fatal("the interrupted run wrote its model file")
	}
	if _, stderr, code := runCLI(t, "train", "--resume", ckpt); code != 0 {
		t.Fatalf("resume: exit %d: %s", code, stderr)
	}
	a, errA := os.ReadFile(full)
	b, errB := os.ReadFile(part)
	if errA != nil || errB != nil || !bytes.Equal(a, b) {
		t.Errorf("resumed model differs from the uninterrupted one (%v, %v)", errA, errB)
	}
}

// TestTrainGPTBadInput: each mistake is one line and a non-zero exit,
// and writes no model file.
func TestTrainGPTBadInput(t *testing.T) {
	dir := t.TempDir()
	corpus := writeCorpus(t, dir, 200)
	small := filepath.Join(dir, "small.txt")
	if err := os.WriteFile(small, []byte("too short"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.txt")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	badTok := filepath.Join(dir, "bad.tok")
	if err := os.WriteFile(badTok, []byte(`{"kind":"bpe","version":1,"merges":[[999,3]]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "never.kiso")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--heads", "3"}, "does not divide"},
		{[]string{"--data", "text:" + small}, "too small"},
		{[]string{"--data", "text:" + empty}, "empty"},
		{[]string{"--tokenizer", badTok}, "--tokenizer"},
		{[]string{"--warmup", "100"}, "--warmup"},
	} {
		args := append(append(tinyGPTArgs(corpus, 20), tt.args...), "--out", out)
		_, stderr, code := runCLI(t, args...)
		if code == 0 || !strings.Contains(stderr, tt.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, %q; want a line with %q", tt.args, code, stderr, tt.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Fatalf("%v wrote %s", tt.args, out)
		}
	}
	if _, stderr, code := runCLI(t, append(tinyGPTArgs(corpus, 20), "--out", out)...); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	_, stderr, code := runCLI(t, "generate", "--model", out, "--prompt", "light ☃")
	if code == 0 || !strings.Contains(stderr, "U+2603") {
		t.Errorf("unknown prompt character: exit %d, %q", code, stderr)
	}
	_, stderr, code = runCLI(t, "generate", "--model", corpus)
	if code == 0 || strings.Count(stderr, "\n") != 1 {
		t.Errorf("a text file as model: exit %d, %q", code, stderr)
	}
}
