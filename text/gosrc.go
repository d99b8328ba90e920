package text

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// GoSourceFiles lists, relative to goroot/src and with forward slashes,
// the files that make the gosrc corpus, in the order they are concatenated:
// the standard library's hand-written Go. That is every .go file below
// goroot/src except
//   - the cmd and vendor trees (the toolchain and vendored copies of
//     golang.org/x packages, not the standard library itself),
//   - tests (*_test.go) and anything in a testdata folder,
//   - folders the go command ignores (names starting with "." or "_"),
//   - generated files (ast.IsGenerated: a "// Code generated ... DO NOT
//     EDIT." line before the package clause), such as tables and syscall
//     numbers;
//
// sorted by path in byte order. Files built only on other systems are kept:
// they are Go all the same.
func GoSourceFiles(ctx context.Context, goroot string) ([]string, error) {
	src := filepath.Join(goroot, "src")
	if fi, err := os.Stat(src); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("no Go source tree in %s: is GOROOT right?", src)
	}
	var files []string
	fset := token.NewFileSet()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		rel = filepath.ToSlash(rel)
		name := d.Name()
		if d.IsDir() {
			if rel != "." && (name == "testdata" || rel == "cmd" || rel == "vendor" ||
				strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") ||
			strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.PackageClauseOnly|parser.ParseComments)
		if err != nil {
			return nil // not Go the compiler would read; leave it out
		}
		if !ast.IsGenerated(f) {
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the Go source tree: %w", err)
	}
	slices.Sort(files)
	return files, nil
}

// GoSource reads the gosrc corpus: the files GoSourceFiles lists,
// concatenated in its order, each followed by a newline if it lacks one.
// With Go 1.26.8 that is 2,470 files and 17,039,185 bytes.
func GoSource(ctx context.Context, goroot string) (*Corpus, error) {
	files, err := GoSourceFiles(ctx, goroot)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no Go files in %s", filepath.Join(goroot, "src"))
	}
	var b strings.Builder
	src := filepath.Join(goroot, "src")
	size := 0
	for _, rel := range files {
		if fi, err := os.Stat(filepath.Join(src, filepath.FromSlash(rel))); err == nil {
			size += int(fi.Size()) + 1
		}
	}
	b.Grow(min(size, MaxCorpusBytes))
	for _, rel := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		data, err := os.ReadFile(filepath.Join(src, filepath.FromSlash(rel)))
		if err != nil {
			return nil, fmt.Errorf("reading the Go source tree: %w", err)
		}
		if b.Len()+len(data)+1 > MaxCorpusBytes {
			return nil, fmt.Errorf("the Go source tree in %s is larger than %d bytes", src, MaxCorpusBytes)
		}
		if err := CheckText(rel, data); err != nil {
			return nil, err
		}
		b.Write(data)
		if data[len(data)-1] != '\n' {
			b.WriteByte('\n')
		}
	}
	return &Corpus{Name: "gosrc", Text: b.String(), Source: src, Files: len(files)}, nil
}
