package main

import (
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGenerateAttention draws the attention of a tiny GPT (1 layer, 2
// heads, window 16) for a prompt: the file is a PNG that decodes, the
// text is the one generated without the picture; a path that is not an
// image, a folder that does not exist and a prompt longer than the window
// are each refused in one line, writing nothing and sampling nothing.
func TestGenerateAttention(t *testing.T) {
	dir := t.TempDir()
	corpus := writeCorpus(t, dir, 200)
	model := filepath.Join(dir, "g.kiso")
	if _, stderr, code := runCLI(t, append(tinyGPTArgs(corpus, 20), "--out", model)...); code != 0 {
		t.Fatalf("train: exit %d: %s", code, stderr)
	}
	gen := []string{"generate", "--model", model, "--prompt", "the light", "--tokens", "20", "--seed", "2"}
	plain, stderr, code := runCLI(t, gen...)
	if code != 0 {
		t.Fatalf("generate: exit %d: %s", code, stderr)
	}
	pic := filepath.Join(dir, "att.png")
	got, stderr, code := runCLI(t, append(gen, "--attention", pic)...)
	if code != 0 {
		t.Fatalf("generate --attention: exit %d: %s", code, stderr)
	}
	if got != plain {
		t.Errorf("with --attention the text is %q, without %q", got, plain)
	}
	f, err := os.Open(pic)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", pic, err)
	}
	if b := img.Bounds(); b.Dx() < 100 || b.Dy() < 100 {
		t.Errorf("the picture is %v", b)
	}

	for _, tt := range []struct {
		path, prompt, want string
	}{
		{filepath.Join(dir, "att.txt"), "the light", "unknown image type"},
		{filepath.Join(dir, "no", "att.png"), "the light", "--attention"},
		{filepath.Join(dir, "long.png"), strings.Repeat("the ", 5), "window, 16"},
	} {
		stdout, stderr, code := runCLI(t, "generate", "--model", model, "--prompt", tt.prompt, "--tokens", "5", "--attention", tt.path)
		if code == 0 || !strings.Contains(stderr, tt.want) || strings.Count(stderr, "\n") != 1 || stdout != "" {
			t.Errorf("--attention %s --prompt %q: exit %d, stdout %q, stderr %q; want one line with %q", tt.path, tt.prompt, code, stdout, stderr, tt.want)
		}
		if _, err := os.Stat(tt.path); err == nil {
			t.Errorf("--attention %s: a refused picture was written", tt.path)
		}
	}
}

// TestTokenLabel: spaces, control characters, broken UTF-8 and long
// tokens become short visible labels.
func TestTokenLabel(t *testing.T) {
	for in, want := range map[string]string{
		"a":                   "a",
		" the":                "·the",
		"\n":                  `\n`,
		"\t}":                 `\t}`,
		"\xe2\x80":            `\xe2\x80`,
		"é":                   "é",
		"abcdefghijklmnopqrs": "abcdefghijkl…",
	} {
		if got := tokenLabel(in); got != want {
			t.Errorf("tokenLabel(%q) = %q, want %q", in, got, want)
		}
	}
}
