package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildKiso builds the kiso binary once per test run.
func buildKiso(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "kiso")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestProcessInterruptAndResume interrupts a real kiso train process with
// SIGINT in the middle of training, resumes it, and compares the model
// with an uninterrupted run's, byte for byte. It also runs the
// uninterrupted training under GOMAXPROCS=1 and 2: the files must match.
func TestProcessInterruptAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short mode: builds and runs the kiso binary")
	}
	bin := buildKiso(t)
	dir := t.TempDir()
	args := []string{"train", "--data", "spiral", "--points", "2000", "--hidden", "64,64", "--dropout", "0.1",
		"--batchnorm", "--epochs", "40", "--batch", "16", "-q"}
	run := func(env []string, extra ...string) (string, error) {
		cmd := exec.Command(bin, append(append([]string(nil), args...), extra...)...)
		cmd.Env = append(os.Environ(), env...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		return stderr.String(), err
	}
	straight := filepath.Join(dir, "straight.kiso")
	if msg, err := run([]string{"GOMAXPROCS=2"}, "--out", straight); err != nil {
		t.Fatalf("straight run: %v: %s", err, msg)
	}
	one := filepath.Join(dir, "one.kiso")
	if msg, err := run([]string{"GOMAXPROCS=1"}, "--out", one); err != nil {
		t.Fatalf("GOMAXPROCS=1 run: %v: %s", err, msg)
	}
	a, _ := os.ReadFile(straight)
	b, _ := os.ReadFile(one)
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Error("GOMAXPROCS=1 and GOMAXPROCS=2 trained different models")
	}

	// Interrupt a run once its first checkpoint exists (so the process is
	// well into training), then resume it.
	ckpt, resumed := filepath.Join(dir, "run.ckpt"), filepath.Join(dir, "resumed.kiso")
	cmd := exec.Command(bin, append(append([]string(nil), args...), "--out", resumed, "--checkpoint", ckpt, "--checkpoint-every", "5")...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		if _, err := os.Stat(ckpt); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("no checkpoint after 60 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(30 * time.Millisecond) // into the next epochs, between checkpoints
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	msg := stderr.String()
	if err == nil {
		t.Skip("the run finished before the interrupt arrived; nothing to resume")
	}
	if !strings.Contains(msg, "kiso train --resume "+ckpt) || strings.Count(strings.TrimSpace(msg), "\n") != 0 {
		t.Fatalf("after SIGINT: %v, stderr %q", err, msg)
	}
	if _, err := os.Stat(resumed); err == nil {
		t.Fatal("an interrupted run wrote its final model")
	}
	c := exec.Command(bin, "train", "--resume", ckpt, "--out", resumed, "-q")
	if out, err := c.CombinedOutput(); err != nil {
		t.Fatalf("resume: %v\n%s", err, out)
	}
	r, _ := os.ReadFile(resumed)
	if !bytes.Equal(a, r) {
		t.Error("the interrupted and resumed run differs from the uninterrupted one")
	}

	// kill -9 between checkpoints: the last checkpoint written survives
	// intact, and resuming from it ends the same.
	ckpt9, killed := filepath.Join(dir, "run9.ckpt"), filepath.Join(dir, "killed.kiso")
	cmd = exec.Command(bin, append(append([]string(nil), args...), "--out", killed, "--checkpoint", ckpt9, "--checkpoint-every", "3")...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if _, err := os.Stat(ckpt9); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("no checkpoint after 60 s")
		}
	}
	time.Sleep(50 * time.Millisecond)
	cmd.Process.Kill()
	cmd.Wait()
	if out, err := exec.Command(bin, "train", "--resume", ckpt9, "--out", killed, "-q").CombinedOutput(); err != nil {
		t.Fatalf("resume after kill -9: %v\n%s", err, out)
	}
	k, _ := os.ReadFile(killed)
	if !bytes.Equal(a, k) {
		t.Error("the run killed with SIGKILL and resumed differs from the uninterrupted one")
	}
}
