package playground

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/kiso-go/kiso/internal/tools"
)

// chromium is the browser the end-to-end test drives: Debian's package.
const chromium = "/usr/bin/chromium"

// browser starts a headless Chromium for t and returns a context driving
// one of its tabs. The flags keep it from reaching out to the network.
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromium); err != nil {
		tools.Missing(t, chromium, "apt-get install chromium")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1440, 960),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 40*time.Second)
	t.Cleanup(func() { cancelTime(); cancelCtx(); cancelAlloc() })
	return ctx
}

// pageReader reads a state of type T from a tab by evaluating js, and waits for
// states, for the browser tests.
type pageReader[T any] struct {
	t       *testing.T
	ctx     context.Context
	js      string
	timeout time.Duration // for each wait
}

// read evaluates the page's script once; an error fails the test.
func (p pageReader[T]) read() T {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](p.js))
	if err != nil {
		p.t.Fatalf("reading the page: %v", err)
	}
	return s
}

// waitFor reads the page every 50 ms until ok holds, and fails the test
// with the last state read if it does not hold within p.timeout.
func (p pageReader[T]) waitFor(what string, ok func(T) bool) T {
	p.t.Helper()
	deadline := time.Now().Add(p.timeout)
	for {
		s := p.read()
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("timed out waiting for %s; page state: %+v", what, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// pageState is what the test reads from the page's window.kisoPlayground.
type pageState struct {
	Frames  int     `json:"frames"`
	Step    int     `json:"step"`
	Loss    float64 `json:"loss"`
	Playing bool    `json:"playing"`
	Counter string  `json:"counter"`
	Heat    string  `json:"heat"`
}

// String leaves the heatmap out of failure messages.
func (s pageState) String() string {
	return fmt.Sprintf("step %d, loss %v, frames %d, playing %v", s.Step, s.Loss, s.Frames, s.Playing)
}

const readState = `(() => {
  const a = window.kisoPlayground, f = a.frame;
  return {frames: a.frames, step: f ? f.step : -1, loss: f ? f.train.loss : -1, playing: a.playing,
    counter: document.getElementById('stepCount').textContent,
    heat: document.getElementById('heat').toDataURL()};
})()`

// TestBrowserLearnsXOR opens the page in a real headless browser, trains
// on XOR, and checks what a learner would see: the loss falls, the
// heatmap changes, pause stops the step counter. It saves a screenshot in
// the test's temporary folder, or at $KISO_SCREENSHOT if set.
func TestBrowserLearnsXOR(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped with -short: starts a browser")
	}
	ctx := browser(t)
	pg := New(Options{LoopbackOnly: true})
	srv := httptest.NewServer(pg)
	defer func() { pg.Close(); srv.Close() }() // ending the sessions ends their streams

	page := pageReader[pageState]{t, ctx, readState, 15 * time.Second}

	// Any uncaught exception or console error on the page fails the test.
	var mu sync.Mutex
	var jsErrors []string
	if err := chromedp.Do(ctx); err != nil { // start the browser and open the tab
		t.Fatalf("starting %s: %v", chromium, err)
	}
	err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			jsErrors = append(jsErrors, fmt.Sprintf("%s %s", e.ExceptionDetails.Text, e.ExceptionDetails.Exception.Description))
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				msg := "console.error:"
				for _, a := range e.Args {
					msg += " " + string(a.Value) + a.Description
				}
				jsErrors = append(jsErrors, msg)
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		for _, e := range jsErrors {
			t.Errorf("JavaScript error: %s", e)
		}
	}()

	url := srv.URL + "/?data=xor&n=200&test=0.5&seed=1&layers=4,4&act=tanh,tanh&opt=adam&lr=0.03&batch=10&speed=5"
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.ID("heat"))); err != nil {
		t.Fatalf("opening %s: %v", url, err)
	}
	first := page.waitFor("the first frame", func(s pageState) bool { return s.Frames > 0 && s.Step == 0 })
	if first.Playing {
		t.Fatal("the page plays on load without play=1")
	}

	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("play"))); err != nil {
		t.Fatalf("clicking play: %v", err)
	}
	start := page.waitFor("training to start", func(s pageState) bool { return s.Playing && s.Step > 0 })
	t0 := time.Now()
	time.Sleep(2 * time.Second)
	mid := page.read()
	rate := float64(mid.Frames-start.Frames) / time.Since(t0).Seconds()
	t.Logf("updates received by the page while training: %.1f per second", rate)
	// The server sends 30 a second; on a machine busy with other work the
	// page may get fewer, but a live stream gives far more than 10.
	if rate < 10 {
		t.Errorf("the page got %.1f updates per second, want about 30 (at least 10)", rate)
	}
	st := page.waitFor("the loss to fall below half its start", func(s pageState) bool { return s.Loss < first.Loss/2 })
	t.Logf("loss %.4f at step 0, %.4f at step %d", first.Loss, st.Loss, st.Step)
	if st.Heat == first.Heat {
		t.Error("the decision-boundary heatmap did not change while training")
	}

	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("play"))); err != nil {
		t.Fatalf("clicking pause: %v", err)
	}
	paused := page.waitFor("pause", func(s pageState) bool { return !s.Playing })
	time.Sleep(300 * time.Millisecond) // frames in flight arrive
	paused = page.read()
	time.Sleep(700 * time.Millisecond)
	later := page.read()
	if later.Step != paused.Step || later.Counter != paused.Counter {
		t.Errorf("the step counter moved after pause: %s (step %d) then %s (step %d)", paused.Counter, paused.Step, later.Counter, later.Step)
	}
	if later.Counter == "0" {
		t.Errorf("the step counter shows %q after training", later.Counter)
	}

	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	path := os.Getenv("KISO_SCREENSHOT")
	if path == "" {
		path = filepath.Join(t.TempDir(), "playground.png")
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", path, len(png))
}

// recorded is one request seen by a recorder.
type recorded struct {
	method, path, origin string
	status               int
}

// recorder wraps a handler and keeps every request's method, path, Origin
// and answer status.
type recorder struct {
	h    http.Handler
	mu   sync.Mutex
	reqs []recorded
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	rec.h.ServeHTTP(sw, r)
	rec.mu.Lock()
	rec.reqs = append(rec.reqs, recorded{r.Method, r.URL.Path, r.Header.Get("Origin"), sw.status})
	rec.mu.Unlock()
}

// seen returns the requests recorded so far that match keep.
func (rec *recorder) seen(keep func(recorded) bool) []recorded {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	var out []recorded
	for _, r := range rec.reqs {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

// statusWriter keeps the status written; Unwrap lets
// http.ResponseController reach the connection's deadlines and flushing.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) { w.status = code; w.ResponseWriter.WriteHeader(code) }

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// attackPage is a page on another origin that tries to drive the
// playground at TARGET as a hostile site would, with the requests a
// browser sends cross-origin without a preflight: model uploads as
// multipart fetches and as a form submitted into a hidden frame, a CSV as
// text/plain, a session as a text/plain beacon. It sets window.attackDone
// when its fetches have been sent.
const attackPage = `<!doctype html>
<html><body>
<iframe name="sink" style="display:none"></iframe>
<form id="f" method="post" enctype="multipart/form-data" action="TARGET/api/model" target="sink">
<input type="file" name="model" id="file"></form>
<script>
const target = 'TARGET';
const model = Uint8Array.from(atob('MODEL'), c => c.charCodeAt(0));
(async () => {
  const sent = [];
  for (let i = 0; i < UPLOADS; i++) {
    const form = new FormData();
    form.append('model', new Blob([model]), 'm.kiso');
    sent.push(fetch(target + '/api/model', {method: 'POST', mode: 'no-cors', body: form}));
  }
  sent.push(fetch(target + '/api/csv', {method: 'POST', mode: 'no-cors', headers: {'Content-Type': 'text/plain'}, body: '0,0,0\n1,1,1\n'}));
  sent.push(fetch(target + '/api/session', {method: 'POST', mode: 'no-cors', headers: {'Content-Type': 'text/plain'}, body: '{}'}));
  navigator.sendBeacon(target + '/api/session', new Blob(['{}'], {type: 'text/plain'}));
  const dt = new DataTransfer();
  dt.items.add(new File([model], 'm.kiso'));
  document.getElementById('file').files = dt.files;
  document.getElementById('f').submit();
  await Promise.allSettled(sent);
  window.attackDone = true;
})();
</script></body></html>`

// TestBrowserCrossOriginRefused opens the playground in a real browser,
// then navigates the tab to a page served from another loopback port
// (another origin) that tries to start sessions by uploading models, to
// post a CSV and to create a session. The server must refuse every one of
// those requests, hold no new session, and still take the real page's
// own requests, down to the beacon that closes its session when the tab
// leaves it.
func TestBrowserCrossOriginRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped with -short: starts a browser")
	}
	ctx := browser(t)
	pg := New(Options{LoopbackOnly: true})
	rec := &recorder{h: pg}
	srv := httptest.NewServer(rec)
	defer func() { pg.Close(); srv.Close() }()

	// A model file to upload, from a session closed again.
	id := create(t, srv.URL, map[string]any{"data": "xor4"})
	code, file := do(t, http.MethodGet, srv.URL+"/api/session/"+id+"/model.kiso", "", nil)
	if code != http.StatusOK {
		t.Fatalf("model.kiso: %d", code)
	}
	if code, body := do(t, http.MethodDelete, srv.URL+"/api/session/"+id, "", nil); code != http.StatusNoContent {
		t.Fatalf("closing the session: %d %s", code, body)
	}

	const uploads = 5
	page := strings.NewReplacer("TARGET", srv.URL, "MODEL", base64.StdEncoding.EncodeToString(file), "UPLOADS", strconv.Itoa(uploads)).Replace(attackPage)
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page)
	}))
	defer evil.Close()
	if evil.URL == srv.URL {
		t.Fatal("the two servers share an origin")
	}

	// The real page starts its session.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/?data=xor4"), chromedp.WaitVisible(chromedp.ID("heat"))); err != nil {
		t.Fatalf("opening the playground: %v", err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for pg.Sessions() != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("the page holds %d sessions, want 1", pg.Sessions())
		}
		time.Sleep(50 * time.Millisecond)
	}

	t0 := time.Now()
	// The tab goes to the hostile page.
	err := chromedp.Do(ctx, chromedp.Navigate(evil.URL+"/attack.html"),
		chromedp.Poll[chromedp.Void]("window.attackDone === true", chromedp.WithPollingTimeout(15*time.Second)))
	if err != nil {
		t.Fatalf("running the hostile page: %v", err)
	}
	t.Logf("attack ran in %v", time.Since(t0))
	fromEvil := func(r recorded) bool { return r.origin == evil.URL }
	want := uploads + 4 // the fetched uploads, the CSV, the session by fetch and by beacon, the form
	deadline = time.Now().Add(10 * time.Second)
	for len(rec.seen(fromEvil)) < want && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	seen := rec.seen(fromEvil)
	if len(seen) != want {
		t.Errorf("the server saw %d requests from the hostile page, want %d: %v", len(seen), want, seen)
	}
	for _, r := range seen {
		if r.status != http.StatusForbidden {
			t.Errorf("%s %s from %s: %d, want 403", r.method, r.path, r.origin, r.status)
		}
	}
	if n := pg.Sessions(); n != 0 {
		t.Errorf("%d sessions after the hostile page, want 0 (the real page's closed, none started)", n)
	}
	// The real page's beacon closed its session when the tab left it.
	closed := rec.seen(func(r recorded) bool { return strings.HasSuffix(r.path, "/close") && r.status == http.StatusNoContent })
	if len(closed) != 1 {
		t.Errorf("the real page's closing beacon: %v, want one 204", rec.seen(func(r recorded) bool { return strings.HasSuffix(r.path, "/close") }))
	}
	t.Logf("requests from the hostile page: %v (%v)", seen, time.Since(t0))
}
