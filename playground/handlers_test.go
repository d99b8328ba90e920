package playground

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestPageServed(t *testing.T) {
	_, srv := testServer(t, Options{})
	for _, path := range []string{"/", "/app.js", "/style.css", "/network.js", "/draw.js", "/chart.js", "/urlstate.js"} {
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", path, res.StatusCode)
		}
		if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("GET %s: Content-Security-Policy %q", path, csp)
		}
	}
	code, body := do(t, http.MethodGet, srv.URL+"/", "", nil)
	if code != http.StatusOK || !bytes.Contains(body, []byte(`<script type="module" src="app.js">`)) {
		t.Errorf("GET /: %d, page without its script", code)
	}
	if bytes.Contains(body, []byte("http://")) || bytes.Contains(body, []byte("https://")) {
		t.Error("the page refers to another site; it must work offline")
	}
	if code, _ := do(t, http.MethodPost, srv.URL+"/", "text/plain", nil); code != http.StatusMethodNotAllowed {
		t.Errorf("POST /: %d, want 405", code)
	}
}

func TestInfo(t *testing.T) {
	_, srv := testServer(t, Options{Limits: Limits{MaxLayers: 3}})
	code, body := do(t, http.MethodGet, srv.URL+"/api/info", "", nil)
	if code != http.StatusOK {
		t.Fatalf("GET /api/info: %d %s", code, body)
	}
	var info Info
	if err := json.Unmarshal(body, &info); err != nil {
		t.Fatal(err)
	}
	if info.Limits.MaxLayers != 3 || info.Limits.MaxNeurons != DefaultLimits.MaxNeurons {
		t.Errorf("limits %+v: want MaxLayers 3 and the other defaults", info.Limits)
	}
	if err := info.Default.Validate(info.Limits); err != nil {
		t.Errorf("the default configuration is invalid: %v", err)
	}
	if len(info.DataSets) != 5 || len(info.Activations) < 4 || len(info.Optimizers) < 2 {
		t.Errorf("info lists %v, %v, %v", info.DataSets, info.Activations, info.Optimizers)
	}
}

// TestCreateRejects checks that every bad request gets its status and a
// message that names the problem.
func TestCreateRejects(t *testing.T) {
	_, srv := testServer(t, Options{Limits: Limits{MaxBody: 4096}})
	url := srv.URL + "/api/session"
	tests := []struct {
		name        string
		contentType string
		body        string
		status      int
		want        string
	}{
		{"malformed", "application/json", `{"lr": }`, 400, "invalid JSON"},
		{"not an object", "application/json", `[1, 2]`, 400, "invalid JSON"},
		{"empty", "application/json", ``, 400, "empty body"},
		{"wrong type", "application/json", `{"lr": "fast"}`, 400, "lr"},
		{"unknown field", "application/json", `{"learning_rate": 0.1}`, 400, "learning_rate"},
		{"trailing data", "application/json", `{} {}`, 400, "after"},
		{"lr too big", "application/json", `{"lr": 11}`, 400, "lr 11"},
		{"too many layers", "application/json", `{"layers": [` + strings.Repeat(`{"neurons": 2, "activation": "relu"},`, 7) + `{"neurons": 2, "activation": "relu"}]}`, 400, "at most 6"},
		{"too many neurons", "application/json", `{"layers": [{"neurons": 9, "activation": "relu"}]}`, 400, "between 1 and 8"},
		{"unknown activation", "application/json", `{"layers": [{"neurons": 2, "activation": "swish"}]}`, 400, "swish"},
		{"too many points", "application/json", `{"points": 5000}`, 400, "points 5000"},
		{"bad label", "application/json", `{"data": "custom", "custom": [{"x": 0, "y": 0, "label": 8}]}`, 400, "label 8"},
		{"seed", "application/json", `{"seed": -1}`, 400, "seed"},
		{"not JSON", "text/plain", `{}`, 415, "application/json"},
		{"too large", "application/json", `{"data": "custom", "custom": [` + strings.Repeat(`{"x": 1, "y": 1, "label": 0},`, 200) + `{"x": 1, "y": 1, "label": 0}]}`, 413, "at most 4096 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := do(t, http.MethodPost, url, tt.contentType, strings.NewReader(tt.body))
			if code != tt.status {
				t.Errorf("status %d, want %d (%s)", code, tt.status, body)
			}
			if msg := errorOf(t, body); !strings.Contains(msg, tt.want) {
				t.Errorf("message %q does not mention %q", msg, tt.want)
			}
		})
	}
}

func TestSessionCap(t *testing.T) {
	pg, srv := testServer(t, Options{Limits: Limits{MaxSessions: 2}})
	create(t, srv.URL, nil)
	create(t, srv.URL, nil)
	code, body := post(t, srv.URL+"/api/session", map[string]any{})
	if code != http.StatusServiceUnavailable || !strings.Contains(errorOf(t, body), "limit is 2") {
		t.Errorf("third session: %d %s, want 503 naming the limit", code, body)
	}
	if n := pg.Sessions(); n != 2 {
		t.Errorf("%d sessions held, want 2", n)
	}
}

func TestNotFound(t *testing.T) {
	_, srv := testServer(t, Options{})
	for _, r := range []struct{ method, path string }{
		{"POST", "/api/session/nope/control"},
		{"GET", "/api/session/nope/events"},
		{"GET", "/api/session/nope/model.kiso"},
		{"GET", "/api/nothing"},
	} {
		code, body := do(t, r.method, srv.URL+r.path, "application/json", strings.NewReader(`{"action": "play"}`))
		if code != http.StatusNotFound {
			t.Errorf("%s %s: %d, want 404", r.method, r.path, code)
		}
		errorOf(t, body)
	}
}

func TestLoopbackOnly(t *testing.T) {
	_, srv := testServer(t, Options{LoopbackOnly: true})
	for host, want := range map[string]int{
		"evil.example:8080": http.StatusForbidden,
		"localhost:8080":    http.StatusOK,
		"127.0.0.1":         http.StatusOK,
		"[::1]:8080":        http.StatusOK,
	} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/info", nil)
		req.Host = host
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("Host %s: %d, want %d", host, res.StatusCode, want)
		}
	}
}

// TestPanicRecovered checks that a panic in a handler or in a session
// reaches neither the client as a broken connection nor the server.
func TestPanicRecovered(t *testing.T) {
	var logged []string
	pg, srv := testServer(t, Options{Logf: func(f string, a ...any) { logged = append(logged, fmt.Sprintf(f, a...)) }})
	pg.mux.HandleFunc("GET /api/test-panic", func(http.ResponseWriter, *http.Request) { panic("boom") })
	code, body := do(t, http.MethodGet, srv.URL+"/api/test-panic", "", nil)
	if code != http.StatusInternalServerError || errorOf(t, body) != "internal error" {
		t.Errorf("panicking handler: %d %s", code, body)
	}

	id := create(t, srv.URL, nil)
	ss := pg.get(id)
	err := ss.do(t.Context(), func(*state) error { panic("boom in a session") })
	if err != errInternal {
		t.Errorf("panicking command: %v, want errInternal", err)
	}
	control(t, srv.URL, id, Control{Action: "step"}) // the session still works
	if len(logged) != 2 || !strings.Contains(logged[1], "boom in a session") {
		t.Errorf("log %q: want both panics", logged)
	}
}

func TestControlPlayPauseStep(t *testing.T) {
	_, srv := testServer(t, Options{})
	id := create(t, srv.URL, map[string]any{"data": "xor4", "speed": 3})
	s := openStream(t, srv.URL, id)
	f := s.frame(t)
	if f.Step != 0 || f.Playing || f.Config == nil || len(f.Points) != 4 || !f.HistoryReset {
		t.Fatalf("first frame: step %d playing %v config %v points %d", f.Step, f.Playing, f.Config != nil, len(f.Points))
	}
	if f.Test != nil {
		t.Error("xor4 has a test set")
	}

	control(t, srv.URL, id, Control{Action: "step", Steps: 7})
	f = s.until(t, 2*time.Second, "7 steps", func(f Frame) bool { return f.Step == 7 })

	control(t, srv.URL, id, Control{Action: "play"})
	f = s.until(t, 5*time.Second, "training", func(f Frame) bool { return f.Step > 50 })
	if !f.Playing {
		t.Error("frame says paused while training")
	}
	control(t, srv.URL, id, Control{Action: "pause"})
	f = s.until(t, 2*time.Second, "pause", func(f Frame) bool { return !f.Playing })
	code, body := post(t, srv.URL+"/api/session/"+id+"/control", Control{Action: "step", Steps: 0})
	if code != http.StatusOK {
		t.Fatalf("step: %d %s", code, body)
	}
	var r struct{ Step int }
	json.Unmarshal(body, &r)
	if r.Step != f.Step+1 {
		t.Errorf("after a step from %d the session is at %d", f.Step, r.Step)
	}

	control(t, srv.URL, id, Control{Action: "reset"})
	f = s.until(t, 2*time.Second, "reset", func(f Frame) bool { return f.Step == 0 })
	if !f.HistoryReset || len(f.History) != 1 {
		t.Errorf("after reset: history_reset %v with %d rows, want the step-0 row alone", f.HistoryReset, len(f.History))
	}

	for _, c := range []string{`{"action": "jump"}`, `{"action": "step", "steps": 100000}`, `{"action": "play", "x": 1}`} {
		code, body := post(t, srv.URL+"/api/session/"+id+"/control", c)
		if code != http.StatusBadRequest {
			t.Errorf("%s: %d %s, want 400", c, code, body)
		}
	}
}

func TestPoints(t *testing.T) {
	_, srv := testServer(t, Options{Limits: Limits{MaxPoints: 12}})
	id := create(t, srv.URL, map[string]any{"data": "xor4"})
	s := openStream(t, srv.URL, id)
	s.frame(t)
	url := srv.URL + "/api/session/" + id + "/points"

	code, body := post(t, url, PointEdit{Action: "add", X: 0.5, Y: 0.5, Label: 2})
	if code != http.StatusOK {
		t.Fatalf("add: %d %s", code, body)
	}
	f := s.until(t, 2*time.Second, "the new point", func(f Frame) bool { return f.Points != nil })
	if len(f.Points) != 5 || f.Points[4] != (Point{0.5, 0.5, 2, false, 0}) {
		t.Errorf("points after adding one of class 2: %v", f.Points)
	}
	if f.Classes != 3 || len(f.Net.Sizes) == 0 || f.Net.Sizes[len(f.Net.Sizes)-1] != 3 {
		t.Errorf("a third class gives %d classes and layers %v; want 3 outputs", f.Classes, f.Net.Sizes)
	}
	if f.Config == nil || f.Config.Data != "custom" || len(f.Config.Custom) != 5 || f.Config.View != [2]float64{-0.5, 1.5} {
		t.Errorf("config after an edit: %+v; want custom data with the 5 points in xor4's view", f.Config)
	}

	// Remove the point nearest (0.9, 0.9) within 0.2: (1, 1).
	if code, body := post(t, url, PointEdit{Action: "remove", X: 0.9, Y: 0.9, Radius: 0.2}); code != http.StatusOK {
		t.Fatalf("remove: %d %s", code, body)
	}
	f = s.until(t, 2*time.Second, "the removal", func(f Frame) bool { return f.Points != nil })
	for _, p := range f.Points {
		if p.X == 1 && p.Y == 1 {
			t.Errorf("(1, 1) still there after removing the point nearest (0.9, 0.9): %v", f.Points)
		}
	}
	if len(f.Points) != 4 {
		t.Errorf("%d points after removing one of 5", len(f.Points))
	}

	for _, e := range []string{
		`{"action": "add", "x": 0, "y": 0, "label": 9}`,
		`{"action": "add", "x": 1e300, "y": 0, "label": 0}`,
		`{"action": "remove", "x": 0, "y": 0}`,
		`{"action": "move", "x": 0, "y": 0}`,
	} {
		if code, body := post(t, url, e); code != http.StatusBadRequest {
			t.Errorf("%s: %d %s, want 400", e, code, body)
		}
	}
	for i := 0; i < 8; i++ {
		post(t, url, PointEdit{Action: "add", X: float64(i), Y: 0, Label: 1})
	}
	code, body = post(t, url, PointEdit{Action: "add", X: 0, Y: 0, Label: 1})
	if code != http.StatusBadRequest || !strings.Contains(errorOf(t, body), "at most 12") {
		t.Errorf("13th point: %d %s, want 400 naming the cap", code, body)
	}

	if code, body := post(t, url, PointEdit{Action: "clear"}); code != http.StatusOK {
		t.Fatalf("clear: %d %s", code, body)
	}
	control(t, srv.URL, id, Control{Action: "play"})
	f = s.until(t, 2*time.Second, "the error of training without points", func(f Frame) bool { return f.Error != "" })
	if f.Playing || !strings.Contains(f.Error, "no training points") {
		t.Errorf("playing %v with error %q; want stopped with a hint", f.Playing, f.Error)
	}
}

func TestConfigChange(t *testing.T) {
	_, srv := testServer(t, Options{})
	id := create(t, srv.URL, map[string]any{"data": "xor4"})
	control(t, srv.URL, id, Control{Action: "step", Steps: 20})
	url := srv.URL + "/api/session/" + id + "/config"

	cfg := DefaultConfig()
	cfg.Data = "xor4"
	cfg.LR, cfg.Optimizer, cfg.Reg, cfg.RegRate, cfg.Grad = 0.1, "sgd", "l1", 0.001, "numerical"
	code, body := post(t, url, cfg)
	var r struct {
		Reset  bool
		Config Config
	}
	json.Unmarshal(body, &r)
	if code != http.StatusOK || r.Reset || r.Config.LR != 0.1 {
		t.Errorf("changing the way of training: %d %s; want no reset", code, body)
	}
	code, body = post(t, srv.URL+"/api/session/"+id+"/control", Control{Action: "step"})
	if code != http.StatusOK || !strings.Contains(string(body), `"step":21`) {
		t.Errorf("a numerical step after 20: %d %s", code, body)
	}

	cfg.Layers = []Layer{{3, "relu"}}
	code, body = post(t, url, cfg)
	json.Unmarshal(body, &r)
	if code != http.StatusOK || !r.Reset {
		t.Errorf("changing the network: %d %s; want a reset", code, body)
	}
	if code, body := post(t, url, map[string]any{"lr": -1}); code != http.StatusBadRequest {
		t.Errorf("lr -1: %d %s", code, body)
	}
}

func TestHistoryCSV(t *testing.T) {
	_, srv := testServer(t, Options{})
	id := create(t, srv.URL, map[string]any{"data": "circle", "points": 40})
	s := openStream(t, srv.URL, id)
	s.frame(t)
	for range 3 {
		control(t, srv.URL, id, Control{Action: "step", Steps: 5})
		s.frame(t) // a frame records a history row
	}
	code, body := do(t, http.MethodGet, srv.URL+"/api/session/"+id+"/history.csv", "", nil)
	if code != http.StatusOK {
		t.Fatalf("history.csv: %d %s", code, body)
	}
	lines := strings.Split(strings.TrimSpace(string(body)), "\n")
	if lines[0] != "step,train_loss,test_loss,train_accuracy,test_accuracy" {
		t.Errorf("header %q", lines[0])
	}
	var steps []string
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		if len(f) != 5 || f[2] == "" {
			t.Errorf("row %q: want 5 fields with a test loss", l)
		}
		steps = append(steps, f[0])
	}
	if strings.Join(steps, " ") != "0 5 10 15" {
		t.Errorf("history steps %v, want 0 5 10 15", steps)
	}
}

// TestModelRoundTrip downloads a trained model, uploads it, and checks
// that the new session starts from the same weights and configuration.
func TestModelRoundTrip(t *testing.T) {
	_, srv := testServer(t, Options{})
	id := create(t, srv.URL, map[string]any{"data": "gauss", "points": 60, "seed": 9, "layers": []Layer{{3, "relu"}}})
	control(t, srv.URL, id, Control{Action: "step", Steps: 30})
	code, file := do(t, http.MethodGet, srv.URL+"/api/session/"+id+"/model.kiso", "", nil)
	if code != http.StatusOK {
		t.Fatalf("model.kiso: %d %s", code, file)
	}
	want := openStream(t, srv.URL, id).frame(t)

	code, body := upload(t, srv.URL, file, `{"data": "xor4"}`)
	if code != http.StatusCreated {
		t.Fatalf("upload: %d %s", code, body)
	}
	var c Created
	json.Unmarshal(body, &c)
	if c.Config.Data != "gauss" || c.Config.Seed != 9 || c.Config.Points != 60 {
		t.Errorf("uploaded model's config %+v; want the one it was trained with", c.Config)
	}
	got := openStream(t, srv.URL, c.ID).frame(t)
	if fmt.Sprint(got.Net) != fmt.Sprint(want.Net) {
		t.Errorf("uploaded network differs:\n got %v\nwant %v", got.Net, want.Net)
	}
	if got.Train != want.Train || got.Step != 30 {
		t.Errorf("uploaded network at step %d with metrics %v, want step 30 and %v", got.Step, got.Train, want.Train)
	}

	for name, f := range map[string][]byte{"garbage": []byte("not a model"), "truncated": file[:len(file)/2]} {
		code, body := upload(t, srv.URL, f, "")
		if code != http.StatusBadRequest || !strings.Contains(errorOf(t, body), "model file") {
			t.Errorf("%s upload: %d %s", name, code, body)
		}
	}
	if code, body := do(t, http.MethodPost, srv.URL+"/api/model", "application/octet-stream", bytes.NewReader(file)); code != http.StatusUnsupportedMediaType {
		t.Errorf("raw upload: %d %s, want 415", code, body)
	}
}

// upload posts a model file (and a config unless empty) as a form.
func upload(t *testing.T, base string, file []byte, config string) (int, []byte) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	if config != "" {
		cw, _ := w.CreateFormField("config")
		cw.Write([]byte(config))
	}
	fw, _ := w.CreateFormFile("model", "m.kiso")
	fw.Write(file)
	w.Close()
	return do(t, http.MethodPost, base+"/api/model", w.FormDataContentType(), &b)
}

func TestCSVUpload(t *testing.T) {
	_, srv := testServer(t, Options{Limits: Limits{MaxPoints: 50, MaxClasses: 3}})
	csv := "a,b,kind\n0,10,cat\n1,20,dog\n2,30,cat\n3,40,bird\n"
	code, body := do(t, http.MethodPost, srv.URL+"/api/csv?test_ratio=0.5&seed=3", "text/csv", strings.NewReader(csv))
	if code != http.StatusOK {
		t.Fatalf("csv: %d %s", code, body)
	}
	var r CSVPoints
	json.Unmarshal(body, &r)
	// Each column maps its range onto [-5, 5]; labels in sorted order.
	want := []Point{{-5, -5, 1, false, 0}, {-5.0 / 3, -5.0 / 3, 2, false, 0}, {5.0 / 3, 5.0 / 3, 1, false, 0}, {5, 5, 0, false, 0}}
	tests := 0
	for i, p := range r.Points {
		w := want[i]
		if p.Label != w.Label || !near(p.X, w.X, 1e-4) || !near(p.Y, w.Y, 1e-4) {
			t.Errorf("point %d: %+v, want %+v", i, p, w)
		}
		if p.Test {
			tests++
		}
	}
	if tests != 2 || r.Classes != 3 || strings.Join(r.ClassNames, ",") != "bird,cat,dog" {
		t.Errorf("%d test points, %d classes %v; want 2 and 3 (bird, cat, dog)", tests, r.Classes, r.ClassNames)
	}
	for name, c := range map[string]struct {
		csv, query, want string
	}{
		"three features": {"1,2,3,0\n4,5,6,1\n", "", "exactly 2"},
		"too many rows":  {strings.Repeat("1,2,0\n", 51), "", "at most 50"},
		"bad cell":       {"1,2,0\n1,x,1\n", "?name=dir/my.csv", "my.csv:2: column 2"},
		"bad ratio":      {"1,2,0\n", "?test_ratio=2", "test_ratio"},
		"many classes":   {"1,1,0\n2,2,1\n3,3,2\n4,4,3\n", "", "4 classes"},
	} {
		code, body := do(t, http.MethodPost, srv.URL+"/api/csv"+c.query, "text/csv", strings.NewReader(c.csv))
		if code != http.StatusBadRequest || !strings.Contains(errorOf(t, body), c.want) {
			t.Errorf("%s: %d %s, want 400 mentioning %q", name, code, body, c.want)
		}
	}
}

func near(a, b, tol float64) bool { return a-b <= tol && b-a <= tol }
