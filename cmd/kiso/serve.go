package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/kiso-go/kiso/model"
	"github.com/kiso-go/kiso/playground"
)

func init() { extraCommands = append(extraCommands, newServeCmd) }

// serveOptions are the flags of kiso serve.
type serveOptions struct {
	Addr        string
	MaxSessions int
	IdleTimeout time.Duration
	Model       string // a model of 28x28 images for the digit page

	// ready, if set, receives the address listened on (tests use it).
	ready func(addr string)
}

func newServeCmd(stdout, stderr io.Writer) *cobra.Command {
	o := &serveOptions{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the playground: watch a network learn, live, in the browser",
		Long: `Serve the kiso playground, a page where a network learns in front of you:
pick a data set (the tutorial's four XOR points, noisy XOR, circle, two
gaussians, spiral, your own points or CSV file), shape the network, and watch
its decision boundary, every neuron and every weight change as it trains.

Training runs in Go, one goroutine per page, streamed to the page about 30
times a second. The page is built into the binary: nothing is fetched from
elsewhere. The server listens on the loopback interface only, unless --addr
says otherwise.

With --model, a model of kiso train --data mnist, the page /digits.html lets
you draw a digit with the mouse and shows what the model reads as you draw.`,
		Example: `  kiso serve
  kiso serve --addr 127.0.0.1:9000
  kiso serve --model mnist.kiso      # then open http://127.0.0.1:8080/digits.html`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runServe(cmd.Context(), o, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Addr, "addr", "127.0.0.1:8080", "address to listen on, host:port (a host other than loopback exposes the playground to the network)")
	f.IntVar(&o.MaxSessions, "max-sessions", playground.DefaultLimits.MaxSessions, "most pages training at once")
	f.DurationVar(&o.IdleTimeout, "idle-timeout", playground.DefaultIdleTimeout, "end a session after this long without a click")
	f.StringVar(&o.Model, "model", "", "a .kiso model of 28x28 images (kiso train --data mnist) for the digit page, /digits.html")
	return cmd
}

func runServe(ctx context.Context, o *serveOptions, stdout, stderr io.Writer) error {
	host, _, err := net.SplitHostPort(o.Addr)
	if err != nil {
		return usagef("--addr %q: want host:port, such as 127.0.0.1:8080", o.Addr)
	}
	switch {
	case o.MaxSessions < 1:
		return usagef("--max-sessions %d: must be at least 1", o.MaxSessions)
	case o.IdleTimeout <= 0:
		return usagef("--idle-timeout %v: must be positive", o.IdleTimeout)
	}
	var digits *playground.DigitModel
	if o.Model != "" {
		m, err := model.Load[float64](o.Model)
		if err != nil {
			return err
		}
		if digits, err = playground.NewDigitModel(m, filepath.Base(o.Model)); err != nil {
			return err
		}
	}
	loopback := isLoopback(host)
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", o.Addr, err)
	}
	lim := playground.DefaultLimits
	lim.MaxSessions = o.MaxSessions
	pg := playground.New(playground.Options{
		Limits:       lim,
		IdleTimeout:  o.IdleTimeout,
		LoopbackOnly: loopback,
		Digits:       digits,
		Logf:         func(format string, args ...any) { fmt.Fprintf(stderr, format+"\n", args...) },
	})
	srv := &http.Server{
		Handler:           pg,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	addr := ln.Addr().String()
	if !loopback {
		fmt.Fprintf(stderr, "warning: listening on %s: the playground is reachable from other machines\n", addr)
	}
	fmt.Fprintf(stdout, "kiso playground: http://%s/  (Ctrl-C to stop)\n", browsable(addr))
	if digits != nil {
		fmt.Fprintf(stdout, "draw a digit:    http://%s/digits.html  (model %s)\n", browsable(addr), o.Model)
	}
	if o.ready != nil {
		o.ready(addr)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		pg.Close()
		return fmt.Errorf("serving on %s: %w", addr, err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	pg.Close() // ends the sessions, and with them their event streams
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

// isLoopback reports whether host is a loopback name or address; an
// empty host (all interfaces) is not.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// browsable returns addr with an unspecified host (":8080", "0.0.0.0")
// replaced by localhost, for the address to open.
func browsable(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
