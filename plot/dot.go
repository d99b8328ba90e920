package plot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/kiso-go/kiso/internal/atomicfile"
)

// ErrNoGraphviz is returned by DOT when a picture is asked for and
// Graphviz's dot program is not installed.
var ErrNoGraphviz = errors.New("plot: drawing a graph needs Graphviz's dot program (apt-get install graphviz); write a .dot file instead and render it elsewhere")

// DOT writes the Graphviz DOT text src to path. A path ending in .dot or .gv
// receives the text itself; .svg, .png and .pdf are drawn by Graphviz's dot
// program (the layout of graphs is its trade, and no maintained pure-Go
// library lays out DOT graphs), which must be on the PATH: without it DOT
// returns ErrNoGraphviz and writes nothing. The file is written atomically.
func DOT(ctx context.Context, path, src string) error {
	ext := strings.ToLower(filepath.Ext(path))
	switch ext {
	case ".dot", ".gv":
		return atomicfile.WriteBytes(path, []byte(src))
	case ".svg", ".png", ".pdf":
	default:
		return fmt.Errorf("plot: %s: a graph is written as .dot, .gv, .svg, .png or .pdf, not %q", path, ext)
	}
	dot, err := exec.LookPath("dot")
	if err != nil {
		return ErrNoGraphviz
	}
	cmd := exec.CommandContext(ctx, dot, "-T"+ext[1:])
	cmd.Stdin = strings.NewReader(src)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return fmt.Errorf("plot: dot could not draw %s: %s", path, msg)
	}
	return atomicfile.WriteBytes(path, out.Bytes())
}
