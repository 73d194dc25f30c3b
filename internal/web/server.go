// Package web serves Kindred over HTTP: server-rendered pages that work
// without JavaScript, the JSON API under /api/v1 with its OpenAPI document,
// and the static files. routes.go lists every URL. Handlers parse input,
// call one service method and render; the rules live in the services.
package web

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"kindred"
	"kindred/internal/accounts"
	"kindred/internal/audit"
	"kindred/internal/blocks"
	"kindred/internal/groups"
	"kindred/internal/live"
	"kindred/internal/markup"
	"kindred/internal/moderation"
	"kindred/internal/orgs"
	"kindred/internal/privacy"
	"kindred/internal/safety"
	"kindred/internal/setup"
	"kindred/internal/support"
	"kindred/internal/training"
	"kindred/internal/uploads"
)

// Services are the feature services the handlers call.
type Services struct {
	Accounts *accounts.Service
	Orgs     *orgs.Service
	Groups   *groups.Service
	Live     *live.Service
	Training *training.Service
	Support  *support.Service
	Safety   *safety.Service
	Setup    *setup.Service
	Markup   *markup.Renderer

	Moderation *moderation.Service
	Privacy    *privacy.Service
	Blocks     *blocks.Service
	Uploads    *uploads.Service
	// Audit verifies the audit log's hash chain for the admin audit page.
	Audit *audit.Checker
}

// Options configure the server.
type Options struct {
	Logger *slog.Logger
	Now    func() time.Time
	// SecureCookies marks cookies Secure; set it when serving over HTTPS.
	SecureCookies bool
	// TemplateDir and StaticDir, when set, let an operator override the
	// embedded templates and static files.
	TemplateDir, StaticDir string
	// MaxBodyBytes limits every request body (default 256 KiB).
	MaxBodyBytes int64
	// Ready reports whether the store answers; used by /healthz.
	Ready func(ctx context.Context) error
	// Broker, when set, tells this node about posts edited or deleted on
	// any node, so it drops their cached renderings too.
	Broker kindred.Broker
	// QuickExitURL is where the "Quick exit" button on every page leads: a
	// neutral site nobody would wonder about (default
	// DefaultQuickExitURL). It must be an absolute http(s) URL.
	QuickExitURL string
	// SharedNetworks are networks many people share (a school, a clinic):
	// log-ins from them get a much higher per-address limit, while each
	// account's own limit stays (docs/security.md).
	SharedNetworks []netip.Prefix
}

// DefaultQuickExitURL is the neutral site quick exit leaves for unless the
// operator chooses another: a weather search, ordinary on any screen.
const DefaultQuickExitURL = "https://www.google.com/search?q=weather"

// Server is the HTTP handler for Kindred.
type Server struct {
	svc       Services
	log       *slog.Logger
	now       func() time.Time
	opts      Options
	pages     map[string]*template.Template
	static    *staticFiles
	handler   http.Handler
	routes    []string
	api       huma.API
	clientKey []byte // HMAC key for hashing client addresses; the instance's (see NewServer)
	fragments *fragments
	buffers   sync.Pool // *bytes.Buffer for rendering whole pages
	postsSub  kindred.Subscription
	live      liveConns
	mux       *http.ServeMux // to find a request's route before it is served (the two-step gate)
}

// NewServer builds the server: it parses templates once and registers routes.
func NewServer(svc Services, o Options) (*Server, error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MaxBodyBytes == 0 {
		o.MaxBodyBytes = 256 << 10
	}
	if o.QuickExitURL == "" {
		o.QuickExitURL = DefaultQuickExitURL
	}
	s := &Server{svc: svc, log: o.Logger, now: o.Now, opts: o, clientKey: []byte(kindred.NewSecret()),
		fragments: newFragments(4096), buffers: sync.Pool{New: func() any { return new(bytes.Buffer) }}}
	static, err := loadStatic(o.StaticDir)
	if err != nil {
		return nil, err
	}
	s.static = static
	if s.pages, err = parsePages(o.TemplateDir, s.funcs()); err != nil {
		return nil, err
	}
	if svc.Accounts != nil {
		// The address key is the instance's, the same on every node and
		// after restarts, so the durable log-in throttle counts per address.
		if s.clientKey, err = svc.Accounts.AddressKey(context.Background()); err != nil {
			return nil, err
		}
	}
	mux := http.NewServeMux()
	s.mux = mux
	if err := s.registerRoutes(mux); err != nil {
		return nil, err
	}
	s.handler = s.middleware(mux)
	if o.Broker != nil {
		sub, err := o.Broker.Subscribe(kindred.PostsTopic, func(_ string, id []byte) { s.fragments.forget(string(id)) })
		if err != nil {
			return nil, fmt.Errorf("follow post changes: %w", err)
		}
		s.postsSub = sub
	}
	return s, nil
}

// Close stops following events and ends the live connections still open
// (after the live service's Close they have said goodbye), returning once
// their goroutines are done, so nothing they run outlives the server.
func (s *Server) Close() {
	if s.postsSub != nil {
		_ = s.postsSub.Unsubscribe()
	}
	s.live.close()
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Routes lists every registered pattern ("METHOD /path"), for the
// authorization matrix test.
func (s *Server) Routes() []string { return append([]string(nil), s.routes...) }

// handle registers a route and remembers its pattern.
func (s *Server) handle(mux *http.ServeMux, pattern string, h http.Handler) {
	s.routes = append(s.routes, pattern)
	mux.Handle(pattern, h)
}

// clientKeyFor returns an opaque key for the request's network address, for
// rate limits. The raw address is never stored or logged.
func (s *Server) clientKeyFor(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if ip := net.ParseIP(host); ip != nil && ip.To4() == nil {
		host = ip.Mask(net.CIDRMask(64, 128)).String() // one key per IPv6 /64
	}
	m := hmac.New(sha256.New, s.clientKey)
	m.Write([]byte(host))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// status maps an error code to an HTTP status. It is the one place that does.
func status(code string) int {
	switch code {
	case kindred.EINVALID:
		return http.StatusUnprocessableEntity
	case kindred.ENOTFOUND:
		return http.StatusNotFound
	case kindred.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case kindred.EFORBIDDEN, kindred.ECSRF, kindred.EAGE:
		return http.StatusForbidden
	case kindred.ECONFLICT:
		return http.StatusConflict
	case kindred.ERATELIMIT:
		return http.StatusTooManyRequests
	case kindred.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case kindred.EGONE:
		return http.StatusGone
	case kindred.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// StatusFor returns the HTTP status for an error.
func StatusFor(err error) int { return status(kindred.ErrorCode(err)) }

// logInternal logs an internal error with the request id; people see a kind
// generic message instead.
func (s *Server) logInternal(r *http.Request, err error) {
	if kindred.ErrorCode(err) == kindred.EINTERNAL && !errors.Is(err, context.Canceled) {
		s.log.ErrorContext(r.Context(), "internal error", "request_id", requestID(r.Context()), "route", r.Pattern, "err", err)
	}
}

// bodyError turns an over-limit body into ETOOLARGE.
func bodyError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return kindred.Errorf(kindred.ETOOLARGE, "That was more than we can accept in one go. Please shorten it and try again.")
	}
	return kindred.Errorf(kindred.EINVALID, "We couldn't read that form. Please try again.")
}

// subFS returns the named directory of an embedded filesystem.
func subFS(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(fmt.Sprintf("embedded %s missing: %v", dir, err)) // a build defect, not a runtime condition
	}
	return sub
}

func trimmed(r *http.Request, name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
