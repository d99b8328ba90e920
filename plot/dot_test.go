package plot

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/kiso-go/kiso/internal/tools"
)

const tinyDOT = "digraph g {\n1 [label=\"x\"]\n2 [label=\"Exp\", shape=box]\n1 -> 2\n}\n"

func TestDOTText(t *testing.T) {
	p := filepath.Join(t.TempDir(), "g.dot")
	if err := DOT(context.Background(), p, tinyDOT); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != tinyDOT {
		t.Fatalf("wrote %q", b)
	}
	if err := DOT(context.Background(), filepath.Join(t.TempDir(), "g.jpg"), tinyDOT); err == nil {
		t.Fatal("a .jpg was accepted")
	}
}

func TestDOTDrawn(t *testing.T) {
	if _, err := exec.LookPath("dot"); err != nil {
		tools.Missing(t, "Graphviz's dot", "apt-get install graphviz")
	}
	dir := t.TempDir()
	for name, magic := range map[string]string{"g.svg": "<svg", "g.png": "\x89PNG"} {
		p := filepath.Join(dir, name)
		if err := DOT(context.Background(), p, tinyDOT); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(p)
		if !bytes.Contains(b[:min(len(b), 400)], []byte(magic)) {
			t.Fatalf("%s does not hold %q", name, magic)
		}
	}
	err := DOT(context.Background(), filepath.Join(dir, "bad.svg"), "digraph {")
	if err == nil {
		t.Fatal("a broken graph was drawn")
	}
	if _, e := os.Stat(filepath.Join(dir, "bad.svg")); !errors.Is(e, os.ErrNotExist) {
		t.Fatal("a file was left behind by a failed drawing")
	}
}

func TestDOTWithoutGraphviz(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	p := filepath.Join(t.TempDir(), "g.svg")
	if err := DOT(context.Background(), p, tinyDOT); !errors.Is(err, ErrNoGraphviz) {
		t.Fatalf("err = %v, want ErrNoGraphviz", err)
	}
}
