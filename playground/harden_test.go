package playground

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"math"
	"mime/multipart"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestInvalidPathNotFound asks for paths that are not valid UTF-8 (overlong
// encodings of '.' and '/', a lone 0xff): not found, never a 500.
func TestInvalidPathNotFound(t *testing.T) {
	_, srv := testServer(t, Options{})
	for _, p := range []string{"/%C0%AE%C0%AE/", "/%C0%AF", "/app.js%C0%80", "/%ff", "/a/%C0%AE%C0%AE/x", "/api/%C0%AF"} {
		code, body := do(t, http.MethodGet, srv.URL+p, "", nil)
		if code != http.StatusNotFound {
			t.Errorf("GET %s: %d %s, want 404", p, code, body)
		}
	}
}

// TestInitRange checks that a fixed initial standard deviation is refused
// beyond MaxInitStd.
func TestInitRange(t *testing.T) {
	for init, ok := range map[string]bool{"xavier": true, "he": true, "0": true, "0.01": true, "10": true, "10.5": false, "1e308": false, "NaN": false, "-1": false} {
		c := DefaultConfig()
		c.Init = init
		err := c.Validate(DefaultLimits)
		if (err == nil) != ok {
			t.Errorf("init %q: %v, want ok=%v", init, err, ok)
		}
		if err != nil && !strings.Contains(err.Error(), "init") {
			t.Errorf("init %q: message %q does not name the setting", init, err)
		}
	}
}

// TestStepCounterCapped uploads a model whose step counter is near 2^63: it
// is refused, naming the limit; a learner at the limit stops with an error
// instead of wrapping around.
func TestStepCounterCapped(t *testing.T) {
	pg, srv := testServer(t, Options{})
	id := create(t, srv.URL, map[string]any{"data": "xor4"})
	for _, steps := range []int{math.MaxInt64 - 5, MaxSteps + 1} {
		if err := pg.get(id).do(t.Context(), func(st *state) error { st.l.steps = steps; return nil }); err != nil {
			t.Fatal(err)
		}
		code, file := do(t, http.MethodGet, srv.URL+"/api/session/"+id+"/model.kiso", "", nil)
		if code != http.StatusOK {
			t.Fatalf("model.kiso: %d %s", code, file)
		}
		code, body := upload(t, srv.URL, file, "")
		if code != http.StatusBadRequest || !strings.Contains(errorOf(t, body), "step") {
			t.Errorf("a model at step %d: %d %s, want 400 naming the step count", steps, code, body)
		}
	}
	if err := pg.get(id).do(t.Context(), func(st *state) error { st.l.steps = MaxSteps; return nil }); err != nil {
		t.Fatal(err)
	}
	code, body := post(t, srv.URL+"/api/session/"+id+"/control", Control{Action: "step", Steps: 3})
	var r struct{ Step int }
	json.Unmarshal(body, &r)
	if code != http.StatusOK || r.Step != MaxSteps {
		t.Errorf("steps past the limit: %d %s, want the counter to stay at %d", code, body, MaxSteps)
	}
	s := openStream(t, srv.URL, id)
	if f := s.frame(t); !strings.Contains(f.Error, "steps") || f.Step != MaxSteps {
		t.Errorf("frame at the limit: step %d, error %q", f.Step, f.Error)
	}
}

// rawRequest opens a connection to srv and writes head (the request line
// and headers, without the blank line) and then body.
func rawRequest(t *testing.T, addr, head, body string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := io.WriteString(c, head+"\r\n\r\n"+body); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestSlowBodyTimesOut sends a request body that stops half way: to an
// endpoint that reads it, the answer is a 408 that says what happened (not
// the socket's error); to one that does not read it, the connection is
// still answered and closed after the body timeout.
func TestSlowBodyTimesOut(t *testing.T) {
	const timeout = 300 * time.Millisecond
	_, srv := testServer(t, Options{BodyTimeout: timeout})
	addr := strings.TrimPrefix(srv.URL, "http://")
	id := create(t, srv.URL, nil)
	for _, path := range []string{"/api/session", "/api/session/" + id + "/control"} {
		c := rawRequest(t, addr, "POST "+path+" HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100", `{"da`)
		c.SetReadDeadline(time.Now().Add(20 * timeout))
		res, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatalf("POST %s with a stalled body: no answer: %v", path, err)
		}
		b, _ := io.ReadAll(res.Body)
		msg := errorOf(t, b)
		if res.StatusCode != http.StatusRequestTimeout || strings.Contains(msg, "tcp") || strings.Contains(msg, "127.0.0.1") || !strings.Contains(msg, "body") {
			t.Errorf("POST %s with a stalled body: %d %q, want 408 with a clean message", path, res.StatusCode, msg)
		}
	}
	for _, req := range []string{
		"POST /api/session/" + id + "/close HTTP/1.1",
		"GET /api/info HTTP/1.1",
		"GET / HTTP/1.1",
		"POST /api/nothing HTTP/1.1",
	} {
		c := rawRequest(t, addr, req+"\r\nHost: 127.0.0.1\r\nContent-Length: 100", "abc")
		c.SetReadDeadline(time.Now().Add(20 * timeout))
		br := bufio.NewReader(c)
		res, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Errorf("%s with a stalled body: no answer: %v", req, err)
			continue
		}
		io.Copy(io.Discard, res.Body)
		if _, err := br.ReadByte(); err != io.EOF {
			t.Errorf("%s with a stalled body: the connection stays open (%v)", req, err)
		}
	}
}

// TestEventStreamOutlivesBodyTimeout checks that the body timeout does not
// cut an event stream: it runs for several timeouts.
func TestEventStreamOutlivesBodyTimeout(t *testing.T) {
	const timeout = 200 * time.Millisecond
	_, srv := testServer(t, Options{BodyTimeout: timeout})
	id := create(t, srv.URL, map[string]any{"data": "xor4", "speed": 1})
	s := openStream(t, srv.URL, id)
	s.frame(t)
	control(t, srv.URL, id, Control{Action: "play"})
	end := time.Now().Add(6 * timeout)
	for time.Now().Before(end) {
		s.frame(t)
	}
	control(t, srv.URL, id, Control{Action: "pause"})
	s.until(t, 2*time.Second, "pause", func(f Frame) bool { return !f.Playing })
}

// TestCrossOriginRefused sends state-changing requests as browsers send
// them from other origins (Origin, or Sec-Fetch-Site and Referer when
// Origin is absent or "null"): each is refused with a 403 and starts no
// session; the server's own page and clients that are not browsers pass.
func TestCrossOriginRefused(t *testing.T) {
	pg, srv := testServer(t, Options{LoopbackOnly: true})
	id := create(t, srv.URL, map[string]any{"data": "xor4"})
	code, file := do(t, http.MethodGet, srv.URL+"/api/session/"+id+"/model.kiso", "", nil)
	if code != http.StatusOK {
		t.Fatalf("model.kiso: %d", code)
	}
	form := func() (string, *bytes.Buffer) {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		fw, _ := w.CreateFormFile("model", "m.kiso")
		fw.Write(file)
		w.Close()
		return w.FormDataContentType(), &b
	}
	send := func(method, path string, hdr map[string]string) (int, []byte) {
		t.Helper()
		var body io.Reader
		ct := "application/json"
		switch {
		case path == "/api/model":
			ct, body = form()
		case strings.HasSuffix(path, "/control"):
			body = strings.NewReader(`{"action": "play"}`)
		default:
			body = strings.NewReader(`{}`)
		}
		req, _ := http.NewRequest(method, srv.URL+path, body)
		req.Header.Set("Content-Type", ct)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, b
	}
	other := "http://127.0.0.1:1" // another port of the same host: another origin
	refused := []map[string]string{
		{"Origin": other},
		{"Origin": "http://evil.example"},
		{"Origin": strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)},
		{"Origin": "null"},
		{"Origin": "null", "Sec-Fetch-Site": "cross-site"},
		{"Sec-Fetch-Site": "cross-site"},
		{"Sec-Fetch-Site": "same-site"},
		{"Referer": other + "/attack.html"},
		{"Origin": "file://"},
	}
	for _, hdr := range refused {
		for _, r := range []struct{ method, path string }{
			{"POST", "/api/model"},
			{"POST", "/api/session"},
			{"POST", "/api/session/" + id + "/control"},
			{"POST", "/api/session/" + id + "/close"},
			{"DELETE", "/api/session/" + id},
		} {
			code, body := send(r.method, r.path, hdr)
			if code != http.StatusForbidden || !strings.Contains(errorOf(t, body), "origin") {
				t.Errorf("%s %s with %v: %d %s, want 403 naming the origin", r.method, r.path, hdr, code, body)
			}
		}
	}
	if n := pg.Sessions(); n != 1 {
		t.Errorf("%d sessions after the refused requests, want the 1 there was", n)
	}
	for _, hdr := range []map[string]string{
		{"Origin": srv.URL},
		{"Origin": strings.ToUpper(srv.URL)},
		{"Origin": "null", "Sec-Fetch-Site": "same-origin"},
		{"Sec-Fetch-Site": "same-origin", "Referer": srv.URL + "/"},
		{"Referer": srv.URL + "/?data=xor"},
		{}, // not a browser
	} {
		if code, body := send("POST", "/api/model", hdr); code != http.StatusCreated {
			t.Errorf("upload with %v: %d %s, want 201", hdr, code, body)
		}
	}
	// Reading is not refused: without CORS headers another origin cannot
	// read the answer.
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/info", nil)
	req.Header.Set("Origin", other)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("GET /api/info from another origin: %d, CORS %q", res.StatusCode, res.Header.Get("Access-Control-Allow-Origin"))
	}
}

// TestCSVNeedsCSV checks that POST /api/csv takes text/csv only: text/plain
// is what another site's form or no-cors fetch sends without a preflight.
func TestCSVNeedsCSV(t *testing.T) {
	_, srv := testServer(t, Options{})
	for _, ct := range []string{"text/plain", "", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"} {
		code, body := do(t, http.MethodPost, srv.URL+"/api/csv", ct, strings.NewReader("0,0,0\n1,1,1\n"))
		if code != http.StatusUnsupportedMediaType || !strings.Contains(errorOf(t, body), "text/csv") {
			t.Errorf("CSV as %q: %d %s, want 415 naming text/csv", ct, code, body)
		}
	}
	if code, body := do(t, http.MethodPost, srv.URL+"/api/csv", "text/csv; charset=utf-8", strings.NewReader("0,0,0\n1,1,1\n")); code != http.StatusOK {
		t.Errorf("CSV as text/csv: %d %s", code, body)
	}
}

// waitUploads waits until n uploads hold a slot of pg.
func waitUploads(t *testing.T, pg *Server, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for len(pg.uploads) != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d uploads in progress, want %d", len(pg.uploads), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestUploadsCapped holds Limits.MaxUploads uploads in progress (their
// bodies stalled half way): the next model or CSV upload is answered 503
// with a Retry-After before its body is read; once one finishes, uploads
// are taken again.
func TestUploadsCapped(t *testing.T) {
	const slots = 2
	pg, srv := testServer(t, Options{Limits: Limits{MaxUploads: slots}})
	addr := strings.TrimPrefix(srv.URL, "http://")
	held := []net.Conn{
		rawRequest(t, addr, "POST /api/model HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=B\r\nContent-Length: 4000000", "--B\r\n"),
		rawRequest(t, addr, "POST /api/csv HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\nContent-Length: 4000", "x,y,label\n1,2,0\n"),
	}
	waitUploads(t, pg, slots)
	check := func(code int, res *http.Response, body []byte, what string) {
		t.Helper()
		if code != http.StatusServiceUnavailable || !strings.Contains(errorOf(t, body), "uploads") {
			t.Errorf("%s beyond the cap: %d %s, want 503 naming the uploads", what, code, body)
		}
		if res != nil && res.Header.Get("Retry-After") != strconv.Itoa(UploadRetryAfter) {
			t.Errorf("%s beyond the cap: Retry-After %q, want %d", what, res.Header.Get("Retry-After"), UploadRetryAfter)
		}
	}
	code, body := upload(t, srv.URL, []byte("not a model"), "")
	check(code, nil, body, "model upload")
	res, err := http.Post(srv.URL+"/api/csv", "text/csv", strings.NewReader("a,b,c\n1,2,0\n"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	check(res.StatusCode, res, b, "CSV upload")
	if n := pg.Sessions(); n != 0 {
		t.Errorf("%d sessions after refused uploads", n)
	}

	held[0].Close() // the stalled model upload ends: its slot is free again
	waitUploads(t, pg, slots-1)
	if code, body := upload(t, srv.URL, []byte("not a model"), ""); code != http.StatusBadRequest || !strings.Contains(errorOf(t, body), "model") {
		t.Errorf("model upload with a free slot: %d %s, want 400 about the model", code, body)
	}
	waitUploads(t, pg, slots-1) // the upload gave its slot back
}
