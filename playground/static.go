package playground

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"unicode/utf8"
)

// web holds the page: plain HTML, CSS and JavaScript modules, no build
// step and nothing fetched from elsewhere.
//
//go:embed web
var web embed.FS

// contentSecurityPolicy allows the page only its own scripts, styles and
// connections, and images drawn in the page.
const contentSecurityPolicy = "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// staticHandler serves the embedded page.
func staticHandler() http.Handler {
	sub, err := fs.Sub(web, "web")
	if err != nil {
		panic("playground: embedded web folder missing: " + err.Error())
	}
	files := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			writeError(w, http.StatusMethodNotAllowed, fmt.Errorf("method %s not allowed for the page", r.Method))
			return
		}
		// A path that is not valid UTF-8 (such as an overlong encoding of
		// "/") names no file; the file system would call it invalid, a 500.
		if !utf8.ValidString(r.URL.Path) {
			writeError(w, http.StatusNotFound, errors.New("no such page"))
			return
		}
		w.Header().Set("Content-Security-Policy", contentSecurityPolicy)
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}
