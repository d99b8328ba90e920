package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kiso-go/kiso/tensor"
)

func init() { extraCommands = append(extraCommands, newVersionCmd) }

// versionInfo is what kiso version reports.
type versionInfo struct {
	Version  string `json:"version"`            // the module version, "(devel)" if unknown
	Revision string `json:"revision,omitempty"` // the VCS commit the binary was built from
	Time     string `json:"time,omitempty"`     // that commit's time
	Modified bool   `json:"modified"`           // built from a work tree with changes
	Go       string `json:"go"`                 // the Go toolchain
	Platform string `json:"platform"`           // GOOS/GOARCH
	Kernels  string `json:"kernels"`            // tensor.Kernels: avx2+fma or portable
}

// readVersion gathers versionInfo from the build information Go embeds in
// the binary (debug.ReadBuildInfo) and from tensor.
func readVersion() versionInfo {
	v := versionInfo{Version: "(devel)", Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH, Kernels: tensor.Kernels()}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	if bi.Main.Version != "" {
		v.Version = bi.Main.Version
	}
	if bi.GoVersion != "" {
		v.Go = bi.GoVersion
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Revision = s.Value
		case "vcs.time":
			v.Time = s.Value
		case "vcs.modified":
			v.Modified = s.Value == "true"
		}
	}
	return v
}

// String is the text kiso version and kiso --version print.
func (v versionInfo) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "kiso %s\n", v.Version)
	if v.Revision != "" {
		rev := v.Revision
		var notes []string
		if v.Time != "" {
			notes = append(notes, v.Time)
		}
		if v.Modified {
			notes = append(notes, "with local changes")
		}
		if len(notes) > 0 {
			rev += " (" + strings.Join(notes, ", ") + ")"
		}
		fmt.Fprintf(&b, "revision  %s\n", rev)
	}
	fmt.Fprintf(&b, "go        %s %s\n", v.Go, v.Platform)
	kernels := v.Kernels
	switch v.Kernels {
	case "avx2+fma":
		kernels += " (the CPU has AVX2 and FMA: assembly matrix kernels)"
	case "portable":
		kernels += " (pure-Go matrix kernels: no AVX2/FMA, another architecture, or -tags purego)"
	}
	fmt.Fprintf(&b, "kernels   %s\n", kernels)
	return b.String()
}

// addVersionFlag gives root a --version flag printing what kiso version
// prints.
func addVersionFlag(root *cobra.Command) {
	root.Version = readVersion().Version
	root.SetVersionTemplate("{{with .Annotations}}{{.versionText}}{{end}}")
	if root.Annotations == nil {
		root.Annotations = map[string]string{}
	}
	root.Annotations["versionText"] = readVersion().String()
}

// versionOptions are the flags of kiso version.
type versionOptions struct {
	JSON bool
}

func newVersionCmd(stdout, stderr io.Writer) *cobra.Command {
	o := &versionOptions{}
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print kiso's version, the Go it was built with and the CPU kernels in use",
		Long: `Print the module version and VCS revision kiso was built from (Go's build
information), the Go toolchain and platform, and which matrix-product
kernels the CPU selected: avx2+fma (assembly) or portable (pure Go).
kiso --version prints the same.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runVersion(cmd.Context(), o, stdout, stderr)
		},
	}
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print JSON")
	return cmd
}

// runVersion prints the version, as text or (o.JSON) as JSON.
func runVersion(_ context.Context, o *versionOptions, stdout, _ io.Writer) error {
	v := readVersion()
	if o.JSON {
		return json.NewEncoder(stdout).Encode(v)
	}
	_, err := io.WriteString(stdout, v.String())
	return err
}
