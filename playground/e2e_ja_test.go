package playground

import (
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// englishLeft returns, as JavaScript, the page's visible texts that still
// hold an English word (four Latin letters or more) outside code, pre and
// the menus of names (optimizers, activations, initializers).
const englishLeft = `(() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (el.closest('code, pre, select, script, style, [hidden]')) continue;
    if (/[A-Za-z]{4,}/.test(n.nodeValue)) out.push(n.nodeValue.trim());
  }
  for (const el of document.querySelectorAll('[title], [aria-label]')) {
    for (const a of ['title', 'aria-label']) {
      const v = el.getAttribute(a);
      if (v && /[A-Za-z]{4,}/.test(v)) out.push('@' + a + ': ' + v);
    }
  }
  return {lang: document.documentElement.lang, left: out, frames: window.kisoPlayground ? window.kisoPlayground.frames : -1,
    preset: (document.getElementById('tutorialPreset') || {}).textContent || ''};
})()`

// jaState is what englishLeft returns.
type jaState struct {
	Lang   string   `json:"lang"`
	Left   []string `json:"left"`
	Frames int      `json:"frames"`
	Preset string   `json:"preset"`
}

// allowedEnglish are words that stay as they are in the Japanese page:
// names of data sets, file formats, methods and the program.
var allowedEnglish = regexp.MustCompile(`(?i)^(?:kiso|XOR|MNIST|CSV|Shift|ReLU|tanh|softmax|sigmoid|Xavier|playground|digits)$`)

// TestBrowserJapanese opens the playground and the digit page with
// ?lang=ja and checks that every label, help text, tooltip and message
// shown is in Japanese (no English word left but names).
func TestBrowserJapanese(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped with -short: starts a browser")
	}
	ctx := browser(t)
	pg := New(Options{LoopbackOnly: true, Digits: digitModel(t)})
	srv := httptest.NewServer(pg)
	defer func() { pg.Close(); srv.Close() }()

	check := func(path string, ready func(jaState) bool) jaState {
		t.Helper()
		if path != "" {
			if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+path)); err != nil {
				t.Fatalf("opening %s: %v", path, err)
			}
		}
		var st jaState
		deadline := time.Now().Add(15 * time.Second)
		for {
			var err error
			if st, err = chromedp.Run(ctx, chromedp.Evaluate[jaState](englishLeft)); err != nil {
				t.Fatalf("reading %s: %v", path, err)
			}
			if ready(st) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: timed out; state %+v", path, st)
			}
			time.Sleep(100 * time.Millisecond)
		}
		if st.Lang != "ja" {
			t.Errorf("%s: <html lang=%q>, want ja", path, st.Lang)
		}
		for _, s := range st.Left {
			words := regexp.MustCompile(`[A-Za-z]{4,}`).FindAllString(s, -1)
			for _, w := range words {
				if !allowedEnglish.MatchString(w) {
					t.Errorf("%s: English left: %q", path, s)
					break
				}
			}
		}
		return st
	}
	st := check("/?lang=ja", func(s jaState) bool { return s.Frames >= 1 })
	if st.Preset != "記事のネットワークから始める" {
		t.Errorf("the preset button reads %q", st.Preset)
	}
	// The tutorial's preset and a step: its banner, layer labels and
	// timing note too.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("tutorialPreset"))); err != nil {
		t.Fatal(err)
	}
	check("", func(s jaState) bool { return s.Frames >= 2 })
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("step"))); err != nil {
		t.Fatal(err)
	}
	check("", func(s jaState) bool { return s.Frames >= 3 })
	check("/digits.html?lang=ja", func(s jaState) bool { return true })
}
