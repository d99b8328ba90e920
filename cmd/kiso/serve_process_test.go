package main

import (
	"bufio"
	"encoding/json"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestProcessServeStopsOnSignal runs kiso serve as a real process, starts
// a request for 10000 numerical-gradient steps on a network where they take
// many minutes, and sends SIGINT, then (another process) SIGTERM: each time
// the server must exit, with status 0, within a few seconds.
func TestProcessServeStopsOnSignal(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short mode: builds and runs the kiso binary")
	}
	bin := buildKiso(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0")
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			line, err := bufio.NewReader(out).ReadString('\n')
			if err != nil {
				t.Fatalf("reading the address: %v", err)
			}
			base := strings.Fields(strings.TrimPrefix(line, "kiso playground: "))[0]
			base = strings.TrimSuffix(base, "/")
			cfg := `{"data": "spiral", "points": 400, "test_ratio": 0, "batch": 400, "grad": "numerical",
				"layers": [{"neurons": 8, "activation": "tanh"}, {"neurons": 8, "activation": "tanh"}, {"neurons": 8, "activation": "tanh"}]}`
			res, err := http.Post(base+"/api/session", "application/json", strings.NewReader(cfg))
			if err != nil {
				t.Fatal(err)
			}
			var c struct{ ID string }
			json.NewDecoder(res.Body).Decode(&c)
			res.Body.Close()
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("creating a session: %d", res.StatusCode)
			}
			go func() {
				res, err := http.Post(base+"/api/session/"+c.ID+"/control", "application/json", strings.NewReader(`{"action": "step", "steps": 10000}`))
				if err == nil {
					res.Body.Close()
				}
			}()
			time.Sleep(time.Second) // well into the steps
			exited := make(chan error, 1)
			start := time.Now()
			cmd.Process.Signal(sig)
			go func() { exited <- cmd.Wait() }()
			select {
			case err := <-exited:
				t.Logf("kiso serve exited %v after %s", time.Since(start).Round(time.Millisecond), sig)
				if err != nil {
					t.Errorf("kiso serve after %s: %v, want exit status 0", sig, err)
				}
			case <-time.After(15 * time.Second):
				t.Fatalf("kiso serve still running 15 s after %s during a long step request", sig)
			}
		})
	}
}
