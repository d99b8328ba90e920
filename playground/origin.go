package playground

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// sameOrigin returns an error unless r, a request that changes something,
// comes from the server's own page or from a client that is not a browser.
//
// A browser says where a request comes from: the Origin header on every
// POST and DELETE (modern browsers), "null" for an opaque origin (a
// sandboxed frame, a page whose referrer policy hides it); Sec-Fetch-Site
// (same-origin, same-site, cross-site, none) to loopback and HTTPS
// servers; and Referer unless a referrer policy hides it. A page on
// another origin, another port of the same host included, can send a
// multipart form or a text/plain body without asking first (no CORS
// preflight), so such requests are refused here, before their bodies are
// read. A request with none of these headers (curl, a program) is not a
// browser's and passes.
func sameOrigin(r *http.Request) error {
	origin := r.Header.Get("Origin")
	if origin != "" && origin != "null" {
		if !sameHost(origin, r.Host) {
			return crossOrigin(r, origin)
		}
		return nil
	}
	switch site := r.Header.Get("Sec-Fetch-Site"); site {
	case "same-origin", "none": // "none": the user's own action, such as a bookmark
		return nil
	case "":
	default:
		return crossOrigin(r, "a "+site+" page")
	}
	if origin == "null" {
		return crossOrigin(r, "a page whose origin is hidden (Origin: null)")
	}
	if ref := r.Referer(); ref != "" && !sameHost(ref, r.Host) {
		return crossOrigin(r, "a page on another origin (Referer)")
	}
	return nil
}

// crossOrigin returns the 403 error of a request from another origin.
func crossOrigin(r *http.Request, from string) error {
	if len(from) > maxNameLen {
		from = from[:maxNameLen] + "..."
	}
	return &httpError{http.StatusForbidden, fmt.Errorf("cross-origin request refused: only this server's own page (%s) may change its sessions, not %q", r.Host, from)}
}

// sameHost reports whether u, an origin or URL, is an http or https URL
// whose host and port are host's (a Host header), ignoring case and a
// default port.
func sameHost(u, host string) bool {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return false
	}
	strip := func(h, scheme string) string {
		h = strings.ToLower(h)
		if scheme == "http" {
			return strings.TrimSuffix(h, ":80")
		}
		return strings.TrimSuffix(h, ":443")
	}
	return strip(p.Host, p.Scheme) == strip(host, p.Scheme)
}

// changes reports whether a request with this method may change
// something: every method but GET, HEAD and OPTIONS.
func changes(method string) bool {
	return method != http.MethodGet && method != http.MethodHead && method != http.MethodOptions
}
