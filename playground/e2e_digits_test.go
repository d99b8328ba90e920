package playground

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// digitsState is what TestBrowserDrawsADigit reads from the digit page.
type digitsState struct {
	Predictions int       `json:"predictions"`
	Probs       []float64 `json:"probs"`
	Verdict     string    `json:"verdict"`
	Shown       []string  `json:"shown"`
	SeenInk     int       `json:"seen_ink"`
	PadX        float64   `json:"pad_x"`
	PadY        float64   `json:"pad_y"`
}

const readDigits = `(() => {
  const a = window.kisoDigits, r = document.getElementById('pad').getBoundingClientRect();
  const seen = document.getElementById('seen').getContext('2d').getImageData(0, 0, 28, 28).data;
  let ink = 0;
  for (let i = 0; i < seen.length; i += 4) if (seen[i] > 127) ink++;
  return {predictions: a.predictions, probs: a.last ? a.last.probabilities : [],
    verdict: document.getElementById('verdict').textContent,
    shown: [...document.querySelectorAll('#bars output')].map((o) => o.textContent),
    seen_ink: ink, pad_x: r.left, pad_y: r.top};
})()`

// TestBrowserDrawsADigit opens the digit page of a server with a model,
// draws a stroke with the mouse, and checks what the reader sees: ten
// probabilities summing to 100%, the most probable as the verdict, and the
// 28x28 image the model read; a second stroke changes the probabilities
// while drawing goes on; Clear empties the page. It saves a screenshot in
// the test's temporary folder, or at $KISO_DIGITS_SCREENSHOT if set.
func TestBrowserDrawsADigit(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped with -short: starts a browser")
	}
	ctx := browser(t)
	pg := New(Options{LoopbackOnly: true, Digits: digitModel(t)})
	srv := httptest.NewServer(pg)
	defer func() { pg.Close(); srv.Close() }()

	var mu sync.Mutex
	var jsErrors []string
	if err := chromedp.Do(ctx); err != nil {
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
				jsErrors = append(jsErrors, "console.error")
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

	page := pageReader[digitsState]{t, ctx, readDigits, 15 * time.Second}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/digits.html"), chromedp.WaitVisible(chromedp.ID("pad")),
		chromedp.Poll[chromedp.Void]("window.kisoDigits.info !== null", chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("opening the digit page: %v", err)
	}
	st := page.read()
	// stroke drags the mouse from (x0, y0) to (x1, y1) on the 280x280 pad.
	stroke := func(x0, y0, x1, y1 float64) {
		t.Helper()
		acts := []chromedp.Action[chromedp.Void]{chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, st.PadX+x0, st.PadY+y0, chromedp.ButtonLeft)}
		for i := 1; i <= 12; i++ {
			f := float64(i) / 12
			acts = append(acts, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, st.PadX+x0+f*(x1-x0), st.PadY+y0+f*(y1-y0), chromedp.ButtonLeft))
		}
		acts = append(acts, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, st.PadX+x1, st.PadY+y1, chromedp.ButtonLeft))
		if err := chromedp.Do(ctx, acts...); err != nil {
			t.Fatalf("drawing: %v", err)
		}
	}
	stroke(140, 40, 140, 240) // a 1
	one := page.waitFor("a prediction", func(s digitsState) bool { return s.Predictions > 0 && len(s.Probs) == 10 && s.SeenInk > 0 })
	time.Sleep(300 * time.Millisecond) // the last move's prediction
	one = page.read()
	sum, best := 0.0, 0
	for k, p := range one.Probs {
		sum += p
		if p > one.Probs[best] {
			best = k
		}
	}
	if sum < 0.999 || sum > 1.001 {
		t.Errorf("the probabilities sum to %v", sum)
	}
	if one.Verdict != fmt.Sprint(best) {
		t.Errorf("the page reads %q, the most probable class is %d (%v)", one.Verdict, best, one.Probs)
	}
	if len(one.Shown) != 10 || one.Shown[best] != fmt.Sprintf("%.1f%%", 100*one.Probs[best]) {
		t.Errorf("the bars show %q, want %.1f%% for class %d", one.Shown, 100*one.Probs[best], best)
	}
	t.Logf("after a vertical stroke: %d predictions, reads %s, %d inked pixels seen, bars %v", one.Predictions, one.Verdict, one.SeenInk, one.Shown)

	stroke(60, 60, 220, 60) // a bar across the top: a 7, or a T
	two := page.waitFor("a new prediction", func(s digitsState) bool { return s.Predictions > one.Predictions })
	time.Sleep(300 * time.Millisecond)
	two = page.read()
	same := true
	for k := range two.Probs {
		same = same && two.Probs[k] == one.Probs[k]
	}
	if same {
		t.Errorf("the probabilities did not change with a second stroke: %v", two.Probs)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	path := os.Getenv("KISO_DIGITS_SCREENSHOT")
	if path == "" {
		path = filepath.Join(t.TempDir(), "digits.png")
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)

	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("clear"))); err != nil {
		t.Fatal(err)
	}
	page.waitFor("the page to clear", func(s digitsState) bool { return s.Verdict == "–" && s.SeenInk == 0 })
}
