package playground

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// readJSON decodes one JSON object from r's body into v, rejecting unknown
// fields, trailing data and bodies over the size limit.
func (s *Server) readJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if err := needJSON(r); err != nil {
		return err
	}
	body := s.body(w, r, s.opts.Limits.MaxBody)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, terr := dec.Token(); terr != io.EOF {
			err = errors.New("invalid JSON: data after the object")
		}
	} else {
		err = jsonError(err)
	}
	return body.check(err)
}

// bodyReader reads a request body of at most limit bytes and keeps the
// first error of the connection, so that a parser's error that wraps it
// (such as "read tcp 127.0.0.1:...: i/o timeout") can be replaced by a
// message for the user.
type bodyReader struct {
	r       io.Reader
	limit   int64
	timeout time.Duration
	err     error
}

// body returns r's body capped at limit bytes.
func (s *Server) body(w http.ResponseWriter, r *http.Request, limit int64) *bodyReader {
	return &bodyReader{r: http.MaxBytesReader(w, r.Body, limit), limit: limit, timeout: s.opts.BodyTimeout}
}

func (b *bodyReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF && b.err == nil {
		b.err = err
	}
	return n, err
}

// check returns err, the error of parsing the body, unless reading the
// body failed: then a 413 that says the limit for a body too large, a 408
// for one that did not arrive in time, and a 400 for a broken connection.
func (b *bodyReader) check(err error) error {
	if err == nil {
		return nil
	}
	var mbe *http.MaxBytesError
	var ne net.Error
	switch {
	case errors.As(b.err, &mbe):
		return &httpError{http.StatusRequestEntityTooLarge, fmt.Errorf("request body too large: at most %d bytes", b.limit)}
	case errors.As(b.err, &ne) && ne.Timeout(), errors.Is(b.err, os.ErrDeadlineExceeded):
		return &httpError{http.StatusRequestTimeout, fmt.Errorf("the request body did not arrive within %v", b.timeout)}
	case b.err != nil:
		return errors.New("the request body was cut off")
	}
	return err
}

// httpError is an error with its HTTP status.
type httpError struct {
	status int
	err    error
}

func (e *httpError) Error() string { return e.err.Error() }
func (e *httpError) Unwrap() error { return e.err }

// statusOf returns the HTTP status for err: its own for an httpError, 404
// for an ended session, 503 for a cancelled request, 500 for an internal
// error, 400 otherwise.
func statusOf(err error) int {
	var he *httpError
	switch {
	case errors.As(err, &he):
		return he.status
	case errors.Is(err, errEnded):
		return http.StatusNotFound
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable
	case errors.Is(err, errInternal):
		return http.StatusInternalServerError
	}
	return http.StatusBadRequest
}

// needJSON requires a JSON content type: besides telling the client what
// is expected, it keeps other web sites' forms from posting (a JSON post
// from another origin needs a preflight this server never grants).
func needJSON(r *http.Request) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return &httpError{http.StatusUnsupportedMediaType, errors.New("the body must be JSON, with Content-Type: application/json")}
	}
	return nil
}

// writeJSON writes v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, errInternal)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// ErrorBody is the JSON body of every error response.
type ErrorBody struct {
	Error string `json:"error"`
}

// writeError writes err's message as JSON with the given status.
func writeError(w http.ResponseWriter, status int, err error) {
	b, _ := json.Marshal(ErrorBody{err.Error()})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// loopbackHost reports whether host (a Host header, with or without a
// port) names the loopback interface.
func loopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
