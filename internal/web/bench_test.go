package web_test

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"kindred"
	"kindred/internal/kindredtest"
	"kindred/internal/web"
)

// The benchmarks compare Kindred with a ceiling measured in the same run:
// a bare html/template page of similar size (for reading a thread) and a
// bare net/http handler that parses a form and redirects (for posting).
// Report the ratio of the two ns/op figures; shared/DESIGN.md sets the
// budgets (thread page ≥ 0.5 of the bare page's throughput, reply ≥ 0.4).
//
//	go test -run '^$' -bench . -benchmem ./internal/web/

type benchFixture struct {
	env    *kindredtest.Env
	cookie *http.Cookie
	path   string // the thread page
	reply  string // the reply form's action
	body   string // one reply's Markdown
}

func newBenchFixture(b *testing.B, replies int) *benchFixture {
	b.Helper()
	env := kindredtest.New(b, kindredtest.Options{Generous: true})
	admin := env.Account(b, "bench_admin", kindred.AgeAdult)
	member := env.Account(b, "bench_member", kindred.AgeAdult)
	o := env.Org(b, admin, "bench", kindred.JoinOpen)
	env.Member(b, o, member, 0, kindred.StatusActive)
	g := env.Group(b, o, "circle", kindred.VisibilityPublic, kindred.AgeAny, admin)
	env.GroupMember(b, g, member, kindred.StatusActive)
	body := strings.Repeat("I remember the first time I said it out loud. It felt like *stepping off a ledge*, and then the ground was there. ", 4)
	ctx := context.Background()
	now := time.Now().UTC().Add(-time.Hour)
	th := &kindred.Thread{ID: kindred.NewID(), GroupID: g.ID, Kind: kindred.ThreadStory, Title: "Saying it out loud", AuthorID: admin.ID, CreatedAt: now, LastPostAt: now}
	opening := &kindred.Post{ID: kindred.NewID(), AuthorID: admin.ID, Body: body, BodyHTML: env.Services.Markup.Render(body), ContentWarning: "family", CreatedAt: now}
	if err := env.Store.CreateThread(ctx, th, opening); err != nil {
		b.Fatal(err)
	}
	for i := range replies {
		author := member
		if i%3 == 0 {
			author = admin
		}
		p := &kindred.Post{ID: kindred.NewID(), ThreadID: th.ID, AuthorID: author.ID, Anonymous: i%7 == 0, Body: body,
			BodyHTML: env.Services.Markup.Render(body), CreatedAt: now.Add(time.Duration(i+1) * time.Second)}
		if err := env.Store.CreatePost(ctx, p); err != nil {
			b.Fatal(err)
		}
		if i%2 == 0 {
			if err := env.Store.AddReaction(ctx, &kindred.Reaction{PostID: p.ID, AccountID: admin.ID, Kind: kindred.ReactMeToo, CreatedAt: now}); err != nil {
				b.Fatal(err)
			}
		}
	}
	secret, err := env.Services.Accounts.StartSession(ctx, member.ID, "bench")
	if err != nil {
		b.Fatal(err)
	}
	base := "/o/bench/g/circle/t/" + th.ID
	return &benchFixture{env: env, cookie: &http.Cookie{Name: web.SessionCookie, Value: secret}, path: base, reply: base + "/replies", body: body}
}

func serve(b *testing.B, h http.Handler, req *http.Request, want int) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != want {
		b.Fatalf("%s %s: status %d, want %d: %.300s", req.Method, req.URL.Path, rec.Code, want, rec.Body.String())
	}
	return rec
}

// bareThreadPage is the ceiling: the same amount of HTML from one
// html/template with no database, no session and no middleware.
var bareThreadPage = template.Must(template.New("page").Parse(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{{.Title}}</title><link rel="stylesheet" href="/static/kindred.css"></head><body><header><a href="/">Kindred</a></header>
<main><h1>{{.Title}}</h1>{{range .Posts}}<article class="post" id="post-{{.ID}}"><header class="post-meta"><span class="author">{{.Author}}</span>
<time datetime="{{.When}}">{{.When}}</time></header><div class="post-body prose">{{.HTML}}</div><footer class="post-actions">
{{range $.Reactions}}<form class="inline" method="post" action="/react"><input type="hidden" name="kind" value="{{.}}"><button class="reaction" type="submit" aria-pressed="false">{{.}}</button></form>{{end}}
</footer></article>{{end}}<form method="post" action="/reply"><textarea name="body" maxlength="20000"></textarea><button>Send reply</button></form></main></body></html>`))

type barePost struct {
	ID, Author, When string
	HTML             template.HTML
}

func BenchmarkThreadPage50Replies(b *testing.B) {
	f := newBenchFixture(b, 50)
	b.Run("baseline-bare-template", func(b *testing.B) {
		html := template.HTML(f.env.Services.Markup.Render(f.body))
		posts := make([]barePost, 51)
		for i := range posts {
			posts[i] = barePost{ID: kindred.NewID(), Author: fmt.Sprintf("Person %d", i), When: time.Now().Format(time.RFC3339), HTML: html}
		}
		data := map[string]any{"Title": "Saying it out loud", "Posts": posts, "Reactions": []string{"Me too", "Sending strength", "Thank you for sharing"}}
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			if err := bareThreadPage.Execute(w, data); err != nil {
				b.Error(err)
			}
		})
		req := httptest.NewRequest(http.MethodGet, f.path, nil)
		b.ReportAllocs()
		b.ResetTimer()
		var size int
		for b.Loop() {
			size = serve(b, h, req, http.StatusOK).Body.Len()
		}
		b.ReportMetric(float64(size), "bytes/page")
	})
	b.Run("kindred", func(b *testing.B) {
		req := httptest.NewRequest(http.MethodGet, f.path, nil)
		req.AddCookie(f.cookie)
		rec := serve(b, f.env.Server, req, http.StatusOK)
		if n := strings.Count(rec.Body.String(), `<article class="post`); n != 50 {
			b.Fatalf("thread page shows %d posts, want 50 (the opening post and 49 replies on page 1)", n)
		}
		b.ReportAllocs()
		b.ResetTimer()
		var size int
		for b.Loop() {
			size = serve(b, f.env.Server, req, http.StatusOK).Body.Len()
		}
		b.ReportMetric(float64(size), "bytes/page")
	})
}

func BenchmarkPostReply(b *testing.B) {
	f := newBenchFixture(b, 50)
	form := url.Values{"body": {f.body}, "content_warning": {""}}.Encode()
	newReq := func(path string) *http.Request {
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.AddCookie(f.cookie)
		return req
	}
	b.Run("baseline-bare-handler", func(b *testing.B) {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if err := r.ParseForm(); err != nil || r.PostFormValue("body") == "" {
				http.Error(w, "bad form", http.StatusBadRequest)
				return
			}
			http.Redirect(w, r, f.path, http.StatusSeeOther)
		})
		b.ReportAllocs()
		for b.Loop() {
			serve(b, h, newReq(f.reply), http.StatusSeeOther)
		}
	})
	b.Run("kindred", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			serve(b, f.env.Server, newReq(f.reply), http.StatusSeeOther)
		}
	})
}
