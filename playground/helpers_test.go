package playground

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// testServer starts a playground on a loopback test server with fast
// ticks and short timeouts unless opts says otherwise.
func testServer(t testing.TB, opts Options) (*Server, *httptest.Server) {
	t.Helper()
	if opts.Tick == 0 {
		opts.Tick = 10 * time.Millisecond
	}
	if opts.DetachGrace == 0 {
		opts.DetachGrace = 2 * time.Second
	}
	pg := New(opts)
	srv := httptest.NewServer(pg)
	t.Cleanup(func() {
		pg.Close() // ends the event streams, so that srv.Close does not wait
		srv.Close()
	})
	return pg, srv
}

// post sends body (a value to encode as JSON, or a string as is) and
// returns the status and the response body.
func post(t testing.TB, url string, body any) (int, []byte) {
	t.Helper()
	var b []byte
	switch v := body.(type) {
	case string:
		b = []byte(v)
	default:
		var err error
		if b, err = json.Marshal(v); err != nil {
			t.Fatal(err)
		}
	}
	return do(t, http.MethodPost, url, "application/json", bytes.NewReader(b))
}

// do sends a request and returns the status and the response body.
func do(t testing.TB, method, url, contentType string, body io.Reader) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, url, err)
	}
	return res.StatusCode, out
}

// create starts a session with cfg (nil for the defaults) and returns its
// id.
func create(t testing.TB, base string, cfg any) string {
	t.Helper()
	if cfg == nil {
		cfg = map[string]any{}
	}
	code, body := post(t, base+"/api/session", cfg)
	if code != http.StatusCreated {
		t.Fatalf("POST /api/session: %d %s", code, body)
	}
	var c Created
	if err := json.Unmarshal(body, &c); err != nil {
		t.Fatal(err)
	}
	return c.ID
}

// control posts an action to a session and fails t unless it succeeds.
func control(t testing.TB, base, id string, c Control) {
	t.Helper()
	if code, body := post(t, base+"/api/session/"+id+"/control", c); code != http.StatusOK {
		t.Fatalf("control %+v: %d %s", c, code, body)
	}
}

// stream is a client of a session's event stream.
type stream struct {
	res    *http.Response
	cancel context.CancelFunc
	events chan event
}

// event is one server-sent event.
type event struct {
	name string
	data []byte
}

// openStream connects to a session's event stream.
func openStream(t testing.TB, base, id string) *stream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/session/"+id+"/events", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatalf("opening the event stream: %v", err)
	}
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		cancel()
		t.Fatalf("event stream: %d %s", res.StatusCode, b)
	}
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("event stream Content-Type %q", ct)
	}
	s := &stream{res: res, cancel: cancel, events: make(chan event, 4096)}
	go s.read()
	t.Cleanup(s.close)
	return s
}

// read parses events until the stream ends, then closes s.events.
func (s *stream) read() {
	defer close(s.events)
	sc := bufio.NewScanner(s.res.Body)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	var ev event
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if ev.name != "" || ev.data != nil {
				s.events <- ev
			}
			ev = event{}
		case strings.HasPrefix(line, "event: "):
			ev.name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			ev.data = append(ev.data, strings.TrimPrefix(line, "data: ")...)
		}
	}
}

func (s *stream) close() {
	s.cancel()
	s.res.Body.Close()
}

// next returns the next event, failing t after timeout.
func (s *stream) next(t testing.TB, timeout time.Duration) (event, bool) {
	t.Helper()
	select {
	case ev, ok := <-s.events:
		return ev, ok
	case <-time.After(timeout):
		t.Fatalf("no event within %v", timeout)
		return event{}, false
	}
}

// frame returns the next frame, failing t if the stream ends or sends
// something else.
func (s *stream) frame(t testing.TB) Frame {
	t.Helper()
	ev, ok := s.next(t, 5*time.Second)
	if !ok {
		t.Fatal("the event stream ended")
	}
	if ev.name != "frame" {
		t.Fatalf("event %q (%s), want a frame", ev.name, ev.data)
	}
	var f Frame
	if err := json.Unmarshal(ev.data, &f); err != nil {
		t.Fatalf("frame: %v in %s", err, ev.data)
	}
	return f
}

// until reads frames until ok(f) holds, failing t after timeout.
func (s *stream) until(t testing.TB, timeout time.Duration, what string, ok func(f Frame) bool) Frame {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		f := s.frame(t)
		if ok(f) {
			return f
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s (step %d, playing %v)", what, f.Step, f.Playing)
		}
	}
}

// errorOf returns the message of a JSON error body.
func errorOf(t testing.TB, body []byte) string {
	t.Helper()
	var e ErrorBody
	if err := json.Unmarshal(body, &e); err != nil || e.Error == "" {
		t.Fatalf("error body %q is not {\"error\": ...}", body)
	}
	return e.Error
}
