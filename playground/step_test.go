package playground

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// heavyStep is a configuration whose numerical-gradient steps take tens
// of milliseconds each, so that 10000 of them take many minutes.
var heavyStep = map[string]any{
	"data": "circle", "points": 200, "test_ratio": 0, "batch": 200, "grad": "numerical",
	"layers": []Layer{{8, "tanh"}, {8, "tanh"}, {8, "tanh"}, {8, "tanh"}},
}

// startSteps posts {"action": "step", "steps": 10000} with ctx and returns a
// channel that receives the status when the request ends.
func startSteps(t *testing.T, ctx context.Context, base, id string) chan int {
	t.Helper()
	b, _ := json.Marshal(Control{Action: "step", Steps: maxStepsPerRequest})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/session/"+id+"/control", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	done := make(chan int, 1)
	go func() {
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- 0
			return
		}
		res.Body.Close()
		done <- res.StatusCode
	}()
	return done
}

// stepsOf returns the session's step counter, failing t if the session does
// not answer within 10 s.
func stepsOf(t *testing.T, pg *Server, id string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	var n int
	if err := pg.get(id).do(ctx, func(st *state) error { n = st.l.steps; return nil }); err != nil {
		t.Fatalf("the session does not answer: %v", err)
	}
	return n
}

// TestLongStepRequest asks for 10000 heavy steps: while they run, the
// session still answers (history, frames, close); when the client goes
// away, the steps stop; another control action stops them too.
func TestLongStepRequest(t *testing.T) {
	// The session has no event stream until the stream below opens, after
	// a step request, a pause and a history request: on a loaded machine
	// that can take longer than testServer's 2 s grace, which would end
	// the session (404) before the test begins. The grace is not what is
	// tested here.
	pg, srv := testServer(t, Options{DetachGrace: time.Minute})
	id := create(t, srv.URL, heavyStep)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := startSteps(t, ctx, srv.URL, id)
	time.Sleep(300 * time.Millisecond)

	// The session answers while stepping.
	hc := &http.Client{Timeout: 10 * time.Second}
	res, err := hc.Get(srv.URL + "/api/session/" + id + "/history.csv")
	if err != nil {
		t.Fatalf("history.csv while stepping: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("history.csv while stepping: %d", res.StatusCode)
	}
	s := openStream(t, srv.URL, id)
	first := s.frame(t)
	s.until(t, 10*time.Second, "a frame with steps taken since", func(f Frame) bool { return f.Step > first.Step })

	// The client leaves: the steps stop. The server learns of it a moment
	// later (a step under way may finish), so the count must settle within
	// a few seconds and then stay put.
	cancel()
	<-done
	a := stepsOf(t, pg, id)
	for deadline := time.Now().Add(5 * time.Second); ; {
		time.Sleep(200 * time.Millisecond)
		b := stepsOf(t, pg, id)
		if b == a {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the steps went on for 5 s after the client left: %d, then %d", a, b)
		}
		a = b
	}
	time.Sleep(500 * time.Millisecond)
	if b := stepsOf(t, pg, id); b != a {
		t.Errorf("the steps went on after the client left: %d, then %d", a, b)
	}

	// Play stops a step request in progress, which then answers.
	done = startSteps(t, t.Context(), srv.URL, id)
	time.Sleep(200 * time.Millisecond)
	control(t, srv.URL, id, Control{Action: "pause"})
	select {
	case code := <-done:
		if code != http.StatusOK {
			t.Errorf("the interrupted step request: %d, want 200", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a pause did not stop the step request")
	}

	// Close ends a session in the middle of a step request.
	done = startSteps(t, t.Context(), srv.URL, id)
	time.Sleep(200 * time.Millisecond)
	res, err = hc.Post(srv.URL+"/api/session/"+id+"/close", "", nil)
	if err != nil {
		t.Fatalf("close while stepping: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNoContent {
		t.Errorf("close while stepping: %d", res.StatusCode)
	}
	select {
	case code := <-done:
		if code != http.StatusNotFound {
			t.Errorf("the step request of a closed session: %d, want 404", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the step request outlived its session")
	}
}

// TestCloseDuringLongStep closes the server while a step request runs:
// Close returns within seconds, not when the steps are done.
func TestCloseDuringLongStep(t *testing.T) {
	pg, srv := testServer(t, Options{})
	id := create(t, srv.URL, heavyStep)
	done := startSteps(t, t.Context(), srv.URL, id)
	time.Sleep(300 * time.Millisecond)
	closed := make(chan struct{})
	go func() { pg.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not return within 10 s of a step request")
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the step request outlived the server")
	}
}
