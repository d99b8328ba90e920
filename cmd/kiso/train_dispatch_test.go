package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// writeTinyPTB writes a Penn Treebank of 10 words in dir: 300 training,
// 40 validation and 40 test sentences of 8 words.
func writeTinyPTB(t *testing.T, dir string) {
	t.Helper()
	words := strings.Fields("the cat sat on mat dog ran a big red")
	k := 0
	for i, n := range []int{300, 40, 40} {
		var b strings.Builder
		for range n {
			for range 8 {
				k = (k*7 + 3) % 11
				b.WriteString(" " + words[k%len(words)])
			}
			b.WriteString(" \n")
		}
		if err := os.WriteFile(filepath.Join(dir, []string{"ptb.train.txt", "ptb.valid.txt", "ptb.test.txt"}[i]), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// withoutRunFigures decodes a --json report and drops what changes from
// run to run (times, speeds) and the output's name.
func withoutRunFigures(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("%v: %s", err, s)
	}
	var drop func(v any)
	drop = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				if strings.Contains(k, "second") || k == "out" {
					delete(v, k)
				} else {
					drop(e)
				}
			}
		case []any:
			for _, e := range v {
				drop(e)
			}
		}
	}
	drop(m)
	return m
}

// TestTrainDispatchesSequenceModels checks that kiso train --model
// lstmlm|rnnlm|seq2seq trains as kiso lstmlm and kiso seq2seq do with the
// same flags (the same perplexities and accuracies to the bit), and that a
// flag the model's subcommand lacks is one line and exit 2.
func TestTrainDispatchesSequenceModels(t *testing.T) {
	dir := t.TempDir()
	writeTinyPTB(t, dir)
	pairs := filepath.Join(dir, "rev.txt")
	writeReversal(t, pairs)
	lm := []string{"--data", "ptb", "--dir", dir, "--embed", "4", "--hidden", "5", "--layers", "2", "--dropout", "0.1",
		"--bptt", "5", "--batch", "4", "--lr", "10", "--grad-clip", "0.5", "--epochs", "2", "--seed", "7", "--json"}
	s2s := []string{"--data", "pairs:" + pairs, "--reverse", "--peeky", "--embed", "6", "--hidden", "8", "--batch", "64",
		"--lr", "0.01", "--clip", "2", "--epochs", "2", "--seed", "3", "--json"}
	for _, c := range []struct {
		sub, model string
		args       []string
	}{{"lstmlm", "lstmlm", lm}, {"lstmlm", "rnnlm", lm}, {"seq2seq", "seq2seq", s2s}} {
		run := func(args ...string) map[string]any {
			t.Helper()
			stdout, stderr, code := runCLI(t, args...)
			if code != 0 {
				t.Fatalf("%v: exit %d: %s", args, code, stderr)
			}
			return withoutRunFigures(t, stdout)
		}
		want := run(append([]string{c.sub, "--out", filepath.Join(dir, c.model+"-sub.kiso")}, c.args...)...)
		out := filepath.Join(dir, c.model+"-train.kiso")
		got := run(append([]string{"train", "--model", c.model, "--out", out}, c.args...)...)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("kiso train --model %s reports\n%v\nkiso %s\n%v", c.model, got, c.sub, want)
		}
		if _, err := os.Stat(out); err != nil {
			t.Errorf("kiso train --model %s: %v", c.model, err)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--model", "seq2seq", "--optimizer", "sgd"}, "trains with adam"},
		{[]string{"--model", "lstmlm", "--optimizer", "adam"}, "trains with sgd"},
		{[]string{"--model", "seq2seq", "--plot-loss", "x.png"}, "--plot-loss: not a flag of --model seq2seq"},
		{[]string{"--model", "seq2seq", "--bptt", "3"}, "--bptt: not a flag of --model seq2seq"},
		{[]string{"--model", "rnnlm", "--hidden", "3,4"}, "--hidden"},
		{[]string{"--model", "lstmlm", "--embed", "x"}, "--embed"},
	} {
		args := append([]string{"train", "--out", filepath.Join(dir, "bad.kiso")}, c.args...)
		_, stderr, code := runCLI(t, args...)
		if code != 2 || !strings.Contains(stderr, c.want) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q, want exit 2 and one line about %q", args, code, stderr, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "bad.kiso")); err == nil {
		t.Error("a refused run wrote its model")
	}
}
