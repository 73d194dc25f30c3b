package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"
	"time"

	"kindred"
)

//go:embed templates static
var embedded embed.FS

// page is what every template receives.
type page struct {
	Title  string
	Actor  *kindred.Actor
	Flash  string
	Org    *kindred.Organization // the organisation in view, for navigation
	Form   *form
	Data   any
	Status int
	// ClearDrafts names the drafts the script may forget: the text they
	// held was just posted successfully.
	ClearDrafts string
	// Neutral leaves Kindred's name out of the title, for pages that may be
	// printed or seen by someone else (a printed safety plan).
	Neutral bool
	// Discreet gives the page a neutral tab title and icon (discreet mode:
	// the person's choice or their organisation's default); render sets it.
	Discreet bool
	// QuickExit is where quick exit leads: the organisation's neutral site
	// or the instance's; render sets it, from memory.
	QuickExit string
}

// form carries what a person typed and what needs fixing, so a failed
// submission re-renders with nothing lost.
type form struct {
	Values  url.Values
	Errors  map[string]string
	Message string
}

func newForm(r *http.Request, err error) *form {
	f := &form{Values: url.Values{}}
	if r != nil && r.PostForm != nil {
		f.Values = r.PostForm
	}
	if err != nil {
		f.Message = kindred.ErrorMessage(err)
		f.Errors = kindred.ErrorFields(err)
	}
	return f
}

// Get returns the typed value of a field. Passwords are never echoed back.
func (f *form) Get(name string) string {
	if f == nil || strings.Contains(name, "password") {
		return ""
	}
	return f.Values.Get(name)
}

// Has reports whether a checkbox was ticked.
func (f *form) Has(name string) bool { return f != nil && f.Values.Get(name) != "" }

// Err returns the problem with a field, if any.
func (f *form) Err(name string) string {
	if f == nil {
		return ""
	}
	return f.Errors[name]
}

// staticFiles serves embedded (or operator-provided) files under
// content-hashed names, so they can be cached forever.
type staticFiles struct {
	fsys   fs.FS
	hashed map[string]string // "kindred.css" -> "kindred.3f2a…css"
	byHash map[string]string // the reverse
}

func loadStatic(dir string) (*staticFiles, error) {
	var fsys fs.FS = subFS(embedded, "static")
	if dir != "" {
		fsys = os.DirFS(dir)
	}
	st := &staticFiles{fsys: fsys, hashed: map[string]string{}, byHash: map[string]string{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ext := path.Ext(p)
		h := strings.TrimSuffix(p, ext) + "." + hex.EncodeToString(sum[:6]) + ext
		st.hashed[p], st.byHash[h] = h, p
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("static files: %w", err)
	}
	return st, nil
}

// url returns the cache-busting URL of a static file.
func (st *staticFiles) url(name string) string {
	if h, ok := st.hashed[name]; ok {
		return "/static/" + h
	}
	return "/static/" + name
}

func (st *staticFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	orig, ok := st.byHash[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	b, err := fs.ReadFile(st.fsys, orig)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	if ct := mime.TypeByExtension(path.Ext(orig)); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(b))
}

func (s *Server) funcs() template.FuncMap {
	return template.FuncMap{
		"static": func(name string) string { return s.static.url(name) },
		// The neutral site the quick exit button leads to; from memory, so
		// it works when the database does not.
		"quickExitURL": func() string { return s.opts.QuickExitURL },
		"ago":          func(t time.Time) string { return ago(s.now(), t) },
		"iso":          func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"date":         func(t time.Time) string { return t.UTC().Format("2 January 2006, 15:04 UTC") },
		"day":          func(t time.Time) string { return t.UTC().Format("2 Jan 2006") },
		"md":           func(src string) template.HTML { return template.HTML(s.svc.Markup.Render(src)) }, // sanitized by markup
		"html":         func(safe string) template.HTML { return template.HTML(safe) },                    // only for BodyHTML, sanitized when stored
		"plain":        func(src string, n int) string { return s.svc.Markup.Plain(src, n) },
		"add":          func(a, b int) int { return a + b },
		"plural": func(n int, one, many string) string {
			if n == 1 {
				return fmt.Sprintf("%d %s", n, one)
			}
			return fmt.Sprintf("%d %s", n, many)
		},
		"has": func(r kindred.Role, name string) bool {
			x, err := kindred.ParseRoles([]string{name})
			return err == nil && r.Has(x)
		},
		"orgKinds":     func() []kindred.OrgKind { return kindred.OrgKinds },
		"joinPolicies": func() []kindred.JoinPolicy { return kindred.JoinPolicies },
		"visibilities": func() []kindred.Visibility { return kindred.Visibilities },
		"ageRules":     func() []kindred.AgeRule { return kindred.AgeRules },
		"ageBands":     func() []kindred.AgeBand { return kindred.AgeBands },
		"threadKinds":  func() []kindred.ThreadKind { return kindred.ThreadKinds },
		"reactions":    func() []kindred.ReactionKind { return kindred.ReactionKinds },
		"roles":        func() []kindred.Role { return kindred.AllRoles },
		"max": func(kind string) int {
			return map[string]int{"title": kindred.MaxThreadTitle, "body": kindred.MaxPostBody, "cw": kindred.MaxContentWarning,
				"bio": kindred.MaxBio, "name": kindred.MaxDisplayName, "pronouns": kindred.MaxPronouns, "handle": kindred.MaxHandle}[kind]
		},
		"pages": func(n int) []int {
			out := make([]int, n)
			for i := range out {
				out[i] = i + 1
			}
			return out
		},
		"string": func(v any) string { return fmt.Sprint(v) },
		"dict": func(kv ...any) map[string]any {
			m := make(map[string]any, len(kv)/2)
			for i := 0; i+1 < len(kv); i += 2 {
				m[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return m
		},
		// Open crisis flags, for staff of the organisation in view (pages_moderation.go).
		"crisisFlags": s.crisisFlags,
	}
}

func ago(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute") + " ago"
	case d < 24*time.Hour:
		return plural(int(d/time.Hour), "hour") + " ago"
	case d < 14*24*time.Hour:
		return plural(int(d/(24*time.Hour)), "day") + " ago"
	}
	return t.UTC().Format("2 Jan 2006")
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// parsePages parses the layout with each page template, once, at start.
func parsePages(dir string, funcs template.FuncMap) (map[string]*template.Template, error) {
	var fsys fs.FS = subFS(embedded, "templates")
	if dir != "" {
		fsys = os.DirFS(dir)
	}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(fsys, "layout.html", "partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	names, err := fs.Glob(fsys, "pages/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		t, err := template.Must(base.Clone()).ParseFS(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", n, err)
		}
		pages[strings.TrimSuffix(path.Base(n), ".html")] = t
	}
	return pages, nil
}

const (
	flashCookie  = "kindred_flash"
	postedCookie = "kindred_posted"
)

// posted tells the next page that the draft under key was saved, so the
// browser script can forget its copy.
func (s *Server) posted(w http.ResponseWriter, key string) {
	http.SetCookie(w, &http.Cookie{Name: postedCookie, Value: url.QueryEscape(key), Path: "/", HttpOnly: true,
		Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: 120})
}

// flash leaves a short message for the next page (post/redirect/get).
func (s *Server) flash(w http.ResponseWriter, msg string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(msg), Path: "/", HttpOnly: true,
		Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: 120})
}

// render writes a page. Templates execute into a buffer first, so a
// template error becomes a clean error page rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	t, ok := s.pages[name]
	if !ok {
		s.fail(w, r, fmt.Errorf("no template %q", name), nil)
		return
	}
	p.Actor = kindred.ActorFrom(r.Context())
	p.Status = status
	s.pageSafety(r.Context(), p) // pages_orgsafety.go
	if c, err := r.Cookie(flashCookie); err == nil {
		p.Flash, _ = url.QueryUnescape(c.Value)
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	}
	if c, err := r.Cookie(postedCookie); err == nil {
		p.ClearDrafts, _ = url.QueryUnescape(c.Value)
		http.SetCookie(w, &http.Cookie{Name: postedCookie, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	}
	buf := s.buffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 1<<20 { // don't keep the rare huge page's buffer alive
			s.buffers.Put(buf)
		}
	}()
	if err := t.ExecuteTemplate(buf, "layout.html", p); err != nil {
		s.log.ErrorContext(r.Context(), "render", "request_id", requestID(r.Context()), "template", name, "err", err)
		if name != "error" {
			s.fail(w, r, fmt.Errorf("render %s: %w", name, err), nil)
			return
		}
		http.Error(w, "Something went wrong on our side.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// formFailed handles the outcome of a form submission. Problems with the
// input (and rate limits) re-render the form with everything the person
// typed; anything else becomes an error page. It reports whether err was
// handled, i.e. whether the handler should stop.
func (s *Server) formFailed(w http.ResponseWriter, r *http.Request, err error, rerender func(status int, f *form)) bool {
	switch kindred.ErrorCode(err) {
	case "":
		return false
	case kindred.EINVALID, kindred.ERATELIMIT:
		rerender(StatusFor(err), newForm(r, err))
	default:
		s.fail(w, r, err, nil)
	}
	return true
}

// apiError is the one error shape of the JSON API.
type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// fail answers with an error: JSON for the API, a kind page otherwise.
// Internal errors are logged with the request id and never shown.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error, org *kindred.Organization) {
	s.logInternal(r, err)
	code := kindred.ErrorCode(err)
	st := status(code)
	if code == kindred.EUNAUTHORIZED && !isAPI(r) && r.Method == http.MethodGet {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	if isAPI(r) {
		writeJSON(w, st, apiError{Error: apiErrorBody{Code: code, Message: kindred.ErrorMessage(err), Fields: kindred.ErrorFields(err)}})
		return
	}
	titles := map[int]string{404: "Not found", 403: "Not allowed", 401: "Please log in", 429: "Slow down a little",
		410: "Link expired", 413: "Too long", 409: "Already done", 422: "Please check"}
	title := titles[st]
	if title == "" {
		title = "Something went wrong"
	}
	s.render(w, r, st, "error", &page{Title: title, Org: org, Data: kindred.ErrorMessage(err)})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
