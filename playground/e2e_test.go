package playground

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
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

// pageState is what the test reads from the page's window.kisoPlayground.
type pageState struct {
	Frames  int     `json:"frames"`
	Step    int     `json:"step"`
	Loss    float64 `json:"loss"`
	Playing bool    `json:"playing"`
	Counter string  `json:"counter"`
	Heat    string  `json:"heat"`
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

	read := func() pageState {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[pageState](readState))
		if err != nil {
			t.Fatalf("reading the page: %v", err)
		}
		return s
	}
	waitFor := func(what string, ok func(pageState) bool) pageState {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for {
			s := read()
			if ok(s) {
				return s
			}
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s; page state: step %d, loss %v, frames %d, playing %v", what, s.Step, s.Loss, s.Frames, s.Playing)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}

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
	first := waitFor("the first frame", func(s pageState) bool { return s.Frames > 0 && s.Step == 0 })
	if first.Playing {
		t.Fatal("the page plays on load without play=1")
	}

	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("play"))); err != nil {
		t.Fatalf("clicking play: %v", err)
	}
	start := waitFor("training to start", func(s pageState) bool { return s.Playing && s.Step > 0 })
	t0 := time.Now()
	time.Sleep(2 * time.Second)
	mid := read()
	rate := float64(mid.Frames-start.Frames) / time.Since(t0).Seconds()
	t.Logf("updates received by the page while training: %.1f per second", rate)
	// The server sends 30 a second; on a machine busy with other work the
	// page may get fewer, but a live stream gives far more than 10.
	if rate < 10 {
		t.Errorf("the page got %.1f updates per second, want about 30 (at least 10)", rate)
	}
	st := waitFor("the loss to fall below half its start", func(s pageState) bool { return s.Loss < first.Loss/2 })
	t.Logf("loss %.4f at step 0, %.4f at step %d", first.Loss, st.Loss, st.Step)
	if st.Heat == first.Heat {
		t.Error("the decision-boundary heatmap did not change while training")
	}

	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("play"))); err != nil {
		t.Fatalf("clicking pause: %v", err)
	}
	paused := waitFor("pause", func(s pageState) bool { return !s.Playing })
	time.Sleep(300 * time.Millisecond) // frames in flight arrive
	paused = read()
	time.Sleep(700 * time.Millisecond)
	later := read()
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
