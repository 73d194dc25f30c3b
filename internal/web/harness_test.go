package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"kindred"
	"kindred/internal/accounts"
	"kindred/internal/broker"
	"kindred/internal/groups"
	"kindred/internal/live"
	"kindred/internal/markup"
	"kindred/internal/orgs"
	"kindred/internal/safety"
	"kindred/internal/setup"
	"kindred/internal/sqlstore/sqlstoretest"
	"kindred/internal/support"
	"kindred/internal/training"
)

// newTestServer starts a real server on a real, migrated store with the
// real services. Rate limits are loosened so tests can sign many people up
// from one address; everything else is as in production.
func newTestServer(t testing.TB) (*Server, *httptest.Server, kindred.Store) {
	t.Helper()
	return newTestServerLogging(t, io.Discard)
}

// newTestServerLogging is newTestServer that also writes the server's
// warnings and errors to logs, which must be safe for concurrent use.
func newTestServerLogging(t testing.TB, logs io.Writer) (*Server, *httptest.Server, kindred.Store) {
	t.Helper()
	store := sqlstoretest.Open(t)
	lw := &testLogWriter{t: t}
	t.Cleanup(lw.stop) // registered first, so it runs after the server has closed
	logger := slog.New(slog.NewTextHandler(io.MultiWriter(lw, logs), &slog.HandlerOptions{Level: slog.LevelWarn}))
	md := markup.New()
	events := broker.NewMemory()
	acc := accounts.New(store, accounts.Options{Hasher: accounts.NewTestHasher(), Logger: logger,
		SignupEvery: time.Millisecond, SignupBurst: 1000, LoginEvery: time.Millisecond, LoginBurst: 1000})
	org := orgs.New(store, nil, logger)
	grp := groups.New(store, md, groups.Options{Logger: logger, PostEvery: time.Millisecond, PostBurst: 1000})
	lv := live.New(store, grp, md, live.Options{Logger: logger, Broker: events,
		SendEvery: time.Millisecond, SendBurst: 1000})
	t.Cleanup(lv.Close)
	trn := training.New(store, md, training.Options{Logger: logger, Broker: events})
	sup := support.New(store, lv, md, support.Options{Logger: logger, Broker: events})
	t.Cleanup(sup.Close)
	svc := Services{
		Accounts: acc,
		Orgs:     org,
		Groups:   grp,
		Live:     lv,
		Training: trn,
		Support:  sup,
		Safety:   safety.New(store, safety.Options{Logger: logger}),
		Setup:    setup.New(acc, org),
		Markup:   md,
	}
	s, err := NewServer(svc, Options{Logger: logger})
	if err != nil {
		t.Fatalf("NewServer: %v", err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts, store
}

// testLogWriter sends the server's warnings and errors to the test log, and
// drops them once the test has ended (a late write would panic).
type testLogWriter struct {
	mu   sync.Mutex
	t    testing.TB
	done bool
}

func (w *testLogWriter) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.done = true
}

func (w *testLogWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.t.Helper()
		w.t.Log(strings.TrimSpace(string(p)))
	}
	return len(p), nil
}

// syncBuffer collects log output from the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// apiClient calls the API as one person: with a bearer token when it has
// one, else with whatever session cookie it holds.
type apiClient struct {
	t     testing.TB
	base  string
	http  *http.Client
	token string
}

func newAPIClient(t testing.TB, ts *httptest.Server) *apiClient {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &apiClient{t: t, base: ts.URL + apiPrefix, http: &http.Client{Jar: jar}}
}

// apiResponse is a finished response with its body read.
type apiResponse struct {
	Status int
	Header http.Header
	Body   []byte
}

// do sends body (as JSON unless it is a string or nil) and reads the answer.
func (c *apiClient) do(method, path string, body any) *apiResponse {
	c.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		r = bytes.NewReader(j)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, c.base+path, r)
	if err != nil {
		c.t.Fatal(err)
	}
	if r != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return &apiResponse{Status: res.StatusCode, Header: res.Header, Body: b}
}

// call sends a request, checks the status and decodes the body into out
// (when out is not nil).
func (c *apiClient) call(method, path string, body any, want int, out any) *apiResponse {
	c.t.Helper()
	res := c.do(method, path, body)
	if res.Status != want {
		c.t.Fatalf("%s %s: status %d, want %d; body %s", method, path, res.Status, want, res.Body)
	}
	if out != nil {
		if err := json.Unmarshal(res.Body, out); err != nil {
			c.t.Fatalf("%s %s: decode %s: %v", method, path, res.Body, err)
		}
	}
	return res
}

// operatorClient bootstraps the instance's operator and returns a client
// using a personal access token made through the service.
func operatorClient(t testing.TB, s *Server, ts *httptest.Server) *apiClient {
	t.Helper()
	ctx := context.Background()
	acct, err := s.svc.Accounts.Bootstrap(ctx, kindred.SignupDraft{Handle: "operator", Password: "correct horse battery", AgeBand: kindred.AgeAdult})
	if err != nil {
		t.Fatalf("bootstrap: %v", err)
	}
	_, secret, err := s.svc.Accounts.CreateToken(ctx, &kindred.Actor{Account: acct}, "tests")
	if err != nil {
		t.Fatalf("token: %v", err)
	}
	c := newAPIClient(t, ts)
	c.token = secret
	return c
}

// signUp creates an account through the API; the client keeps its session
// cookie.
func signUp(t testing.TB, ts *httptest.Server, handle string, band kindred.AgeBand) *apiClient {
	t.Helper()
	c := newAPIClient(t, ts)
	c.call(http.MethodPost, "/accounts", map[string]any{"handle": handle, "password": "a long enough password", "age_band": band}, http.StatusCreated, nil)
	return c
}
