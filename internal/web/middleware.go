package web

import (
	"context"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"kindred"
	"kindred/internal/accounts"
)

// SessionCookie is the name of the session cookie.
const SessionCookie = "kindred_session"

type requestIDKey struct{}

type requestInfoKey struct{}

// requestInfo carries what inner handlers learn back to the request log.
type requestInfo struct{ route string }

func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// csp allows nothing from another origin: no CDN, no analytics, no fonts.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
	"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; manifest-src 'self'"

// middleware wraps the mux, outermost first: request id and access log,
// recover, security headers, body limit, actor, cross-origin protection.
func (s *Server) middleware(mux http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, kindred.Errorf(kindred.ECSRF, "This request came from another site, so we stopped it to keep your account safe. Please go back, reload the page and try again."), nil)
	}))
	// The mux sets r.Pattern on the request it is handed, which is a copy
	// made further in; record it where the request log can read it.
	routed := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		if info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo); ok {
			info.route = r.Pattern
		}
	})
	h := cop.Handler(routed)
	h = s.withActor(h)
	h = s.withLimits(h)
	h = withSecurityHeaders(h)
	h = s.withRecover(h)
	return s.withRequestLog(h)
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// withRequestLog gives each request an id and logs route, status and
// timing. Never paths with content, query strings, bodies or addresses.
func (s *Server) withRequestLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := s.now()
		id := kindred.NewID()[:12]
		info := &requestInfo{}
		ctx := context.WithValue(context.WithValue(r.Context(), requestIDKey{}, id), requestInfoKey{}, info)
		sw := &statusWriter{ResponseWriter: w}
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(sw, r.WithContext(ctx))
		route := info.route
		if route == "" {
			route = r.Method + " (unmatched)"
		}
		level := slog.LevelInfo
		if sw.status >= 500 {
			level = slog.LevelError
		}
		s.log.LogAttrs(ctx, level, "request",
			slog.String("request_id", id), slog.String("route", route), slog.Int("status", sw.status),
			slog.Int("bytes", sw.bytes), slog.Duration("duration", s.now().Sub(start)))
	})
}

func (s *Server) withRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.ErrorContext(r.Context(), "panic", "request_id", requestID(r.Context()), "route", r.Pattern,
					"panic", v, "stack", string(debug.Stack()))
				s.fail(w, r, errPanic, nil)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

var errPanic = &panicError{}

type panicError struct{}

func (*panicError) Error() string { return "handler panicked" }

func withSecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		h.Set("X-Robots-Tag", "noindex, nofollow")
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) withLimits(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, s.bodyLimit(r)) // larger only for image uploads (pages_uploads.go)
		}
		next.ServeHTTP(w, r)
	})
}

// withActor puts the signed-in person in the context: from a bearer token
// (API programs) or the session cookie (browsers).
func (s *Server) withActor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/static/") {
			next.ServeHTTP(w, r)
			return
		}
		var actor *kindred.Actor
		var err error
		if auth := r.Header.Get("Authorization"); auth != "" {
			token, ok := strings.CutPrefix(auth, "Bearer ")
			if !ok {
				w.Header().Set("WWW-Authenticate", `Bearer realm="kindred"`)
				s.fail(w, r, kindred.Errorf(kindred.EUNAUTHORIZED, "Use “Authorization: Bearer <token>”."), nil)
				return
			}
			actor, err = s.svc.Accounts.TokenActor(r.Context(), strings.TrimSpace(token))
			if err == nil && actor == nil {
				w.Header().Set("WWW-Authenticate", `Bearer realm="kindred", error="invalid_token"`)
				s.fail(w, r, kindred.Errorf(kindred.EUNAUTHORIZED, "That token is not valid. It may have been revoked."), nil)
				return
			}
		} else if c, cerr := r.Cookie(SessionCookie); cerr == nil {
			var gate accounts.Gate
			actor, gate, err = s.svc.Accounts.SessionState(r.Context(), c.Value)
			if err == nil && actor == nil {
				s.clearSessionCookie(w)
			}
			if err == nil && gate != accounts.GateNone {
				// A second sign-in step is still due (pages_security.go).
				if r, actor = s.gateTwoStep(w, r, actor, gate); r == nil {
					return
				}
				if gate == accounts.GateCode {
					actor = nil
				}
			}
		}
		if err != nil && isHelpPath(r.URL.Path) {
			// Crisis lines must show even when the session cannot be
			// read (the database may be down): as to a visitor.
			s.log.WarnContext(r.Context(), "help page without the session", "request_id", requestID(r.Context()), "err", err)
			actor, err = nil, nil
		}
		if err != nil {
			s.fail(w, r, err, nil)
			return
		}
		next.ServeHTTP(w, r.WithContext(kindred.WithActor(r.Context(), actor)))
	})
}

func (s *Server) setSessionCookie(w http.ResponseWriter, secret string) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: secret, Path: "/", HttpOnly: true,
		Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: int((30 * 24 * time.Hour).Seconds())})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true,
		Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// isAPI reports whether the request is for the JSON API.
func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }
