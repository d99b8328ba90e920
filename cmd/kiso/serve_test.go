package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestServeRejectsFlags(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--addr", "8080"},
		{"serve", "--max-sessions", "0"},
		{"serve", "--idle-timeout", "-1s"},
		{"serve", "extra"},
	} {
		_, stderr, code := runCLI(t, args...)
		if code != 2 || !strings.HasPrefix(stderr, "kiso: ") {
			t.Errorf("%v: exit %d, stderr %q; want a usage error (2)", args, code, stderr)
		}
	}
}

// TestServeStartsAndStops serves on a free loopback port, asks for the
// page and the API, and stops on cancel.
func TestServeStartsAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addrc := make(chan string, 1)
	o := &serveOptions{Addr: "127.0.0.1:0", MaxSessions: 3, IdleTimeout: time.Minute, ready: func(a string) { addrc <- a }}
	var stdout, stderr bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, o, &stdout, &stderr) }()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-done:
		t.Fatalf("serve ended: %v", err)
	case <-time.After(5 * time.Second):
		t.Fatal("serve did not start")
	}
	for path, want := range map[string]string{"/": "kiso playground", "/api/info": `"max_sessions":3`} {
		res, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.Contains(string(b), want) {
			t.Errorf("GET %s: %d, body without %q", path, res.StatusCode, want)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after an interrupt, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("serve did not stop")
	}
	if !strings.Contains(stdout.String(), "http://"+addr+"/") || stderr.Len() != 0 {
		t.Errorf("stdout %q, stderr %q", stdout.String(), stderr.String())
	}
}

func TestServeAddresses(t *testing.T) {
	for host, want := range map[string]bool{"127.0.0.1": true, "::1": true, "localhost": true, "": false, "0.0.0.0": false, "192.168.1.2": false} {
		if got := isLoopback(host); got != want {
			t.Errorf("isLoopback(%q) = %v", host, got)
		}
	}
	for addr, want := range map[string]string{"127.0.0.1:80": "127.0.0.1:80", "[::]:8080": "localhost:8080", "0.0.0.0:1": "localhost:1", "[::1]:9": "[::1]:9"} {
		if got := browsable(addr); got != want {
			t.Errorf("browsable(%q) = %q, want %q", addr, got, want)
		}
	}
}
