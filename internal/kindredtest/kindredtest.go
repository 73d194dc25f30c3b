// Package kindredtest builds a real Kindred for tests: a migrated store
// (SQLite, or PostgreSQL when KINDRED_TEST_STORE=postgres), the real
// services, the real HTTP server on a loopback listener, and helpers for
// fixtures and signed-in clients. Nothing is mocked.
package kindredtest

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kindred"
	"kindred/internal/accounts"
	"kindred/internal/audit"
	"kindred/internal/blocks"
	"kindred/internal/broker"
	"kindred/internal/groups"
	"kindred/internal/live"
	"kindred/internal/markup"
	"kindred/internal/moderation"
	"kindred/internal/orgs"
	"kindred/internal/privacy"
	"kindred/internal/safety"
	"kindred/internal/setup"
	"kindred/internal/sqlstore"
	"kindred/internal/sqlstore/sqlstoretest"
	"kindred/internal/support"
	"kindred/internal/training"
	"kindred/internal/uploads"
	"kindred/internal/web"
)

// Env is one running Kindred.
type Env struct {
	Store    *sqlstore.DB
	Services web.Services
	Server   *web.Server
	HTTP     *httptest.Server
	Hasher   *accounts.Hasher
	// UploadsDir is where the environment keeps uploaded images.
	UploadsDir string
}

// Options tune the environment.
type Options struct {
	// Generous disables rate limits that would otherwise trip in tests
	// that post a lot.
	Generous bool
	// Broker carries events; nil gives the environment its own in-process
	// broker. Two environments on one PostgreSQL database sharing a NATS
	// broker are two nodes.
	Broker kindred.Broker
	// QuickExitURL is where the quick exit button leads (empty: the
	// server's default).
	QuickExitURL string
}

// New starts an environment; everything is closed when the test ends.
func New(t testing.TB, opts ...Options) *Env {
	t.Helper()
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	store := sqlstoretest.Open(t)
	return NewWithStore(t, store, o)
}

// NewWithStore starts an environment on a given store.
func NewWithStore(t testing.TB, store *sqlstore.DB, o Options) *Env {
	t.Helper()
	hasher := accounts.NewTestHasher()
	render := markup.New()
	// The listener comes first: passkeys are bound to the server's address
	// (as localhost, a domain, which WebAuthn needs).
	hs := httptest.NewUnstartedServer(nil)
	ao := accounts.Options{Hasher: hasher, PublicURL: "http://" + strings.Replace(hs.Listener.Addr().String(), "127.0.0.1", "localhost", 1)}
	gopts := groups.Options{}
	if o.Generous {
		ao.SignupEvery, ao.SignupBurst = time.Millisecond, 1_000_000
		ao.LoginEvery, ao.LoginBurst = time.Millisecond, 1_000_000
		gopts.PostEvery, gopts.PostBurst = time.Millisecond, 1_000_000
	}
	events := o.Broker
	if events == nil {
		events = broker.NewMemory()
	}
	ao.Broker, gopts.Broker = events, events
	acc := accounts.New(store, ao)
	org := orgs.New(store, nil, nil)
	org.Broker = events
	saf := safety.New(store, safety.Options{Broker: events})
	t.Cleanup(saf.Close)
	// Posts, chat and support requests raise crisis flags through
	// moderation, so it comes first.
	mod := moderation.New(store, moderation.Options{Broker: events, Crisis: saf})
	gopts.Crisis = mod
	grp := groups.New(store, render, gopts)
	lo := live.Options{Broker: events, Crisis: mod}
	if o.Generous {
		lo.SendEvery, lo.SendBurst = time.Millisecond, 1_000_000
	}
	lv := live.New(store, grp, render, lo)
	t.Cleanup(lv.Close)
	mod.SetRooms(lv)
	trn := training.New(store, render, training.Options{Broker: events})
	sup := support.New(store, lv, render, support.Options{Broker: events, Scanner: saf, Crisis: mod})
	t.Cleanup(sup.Close)
	// Uploaded images live in the test's own directory, removed with it.
	uploadsDir := filepath.Join(t.TempDir(), "uploads")
	upl := uploads.New(store, uploads.Options{Broker: events, Dir: uploadsDir})
	t.Cleanup(func() { _ = upl.Close() })
	svc := web.Services{
		Accounts: acc,
		Orgs:     org,
		Groups:   grp,
		Live:     lv,
		Training: trn,
		Support:  sup,
		Safety:   saf,
		Setup:    setup.New(acc, org),
		Markup:   render,

		Moderation: mod,
		Privacy:    privacy.New(store, privacy.Options{Broker: events, Passwords: hasher, Files: upl}),
		Blocks:     blocks.New(store, blocks.Options{Broker: events}),
		Uploads:    upl,
		Audit:      audit.NewChecker(store),
	}
	srv, err := web.NewServer(svc, web.Options{Ready: store.Ping, Broker: events, QuickExitURL: o.QuickExitURL})
	if err != nil {
		t.Fatalf("new server: %v", err)
	}
	t.Cleanup(srv.Close)
	hs.Config.Handler = srv
	hs.Start()
	t.Cleanup(hs.Close)
	return &Env{Store: store, Services: svc, Server: srv, HTTP: hs, Hasher: hasher, UploadsDir: uploadsDir}
}

// Account creates an account directly in the store with password "password-123".
func (e *Env) Account(t testing.TB, handle string, band kindred.AgeBand) *kindred.Account {
	t.Helper()
	return e.account(t, handle, band, false)
}

func (e *Env) account(t testing.TB, handle string, band kindred.AgeBand, operator bool) *kindred.Account {
	t.Helper()
	hash, err := e.Hasher.Hash(context.Background(), Password)
	if err != nil {
		t.Fatal(err)
	}
	a := &kindred.Account{ID: kindred.NewID(), Handle: handle, DisplayName: strings.ToUpper(handle[:1]) + handle[1:],
		Pronouns: "they/them", AgeBand: band, PasswordHash: hash, IsOperator: operator, CreatedAt: time.Now().UTC()}
	if err := e.Store.CreateAccount(context.Background(), a); err != nil {
		t.Fatalf("create account %s: %v", handle, err)
	}
	return a
}

// Password is the password of every account made by Account.
const Password = "password-123"

// Operator creates an instance operator account.
func (e *Env) Operator(t testing.TB, handle string) *kindred.Account {
	t.Helper()
	return e.account(t, handle, kindred.AgeAdult, true)
}

// Actor wraps an account as an actor for direct service calls.
func Actor(a *kindred.Account) *kindred.Actor { return &kindred.Actor{Account: a} }

// Org creates an organisation with admin as its first admin.
func (e *Env) Org(t testing.TB, admin *kindred.Account, slug string, policy kindred.JoinPolicy) *kindred.Organization {
	t.Helper()
	now := time.Now().UTC()
	o := &kindred.Organization{ID: kindred.NewID(), Slug: slug, Name: "Org " + slug, Kind: kindred.OrgCommunityCentre,
		JoinPolicy: policy, Description: "A test community.", CodeOfConduct: "Be kind.", Listed: true, CreatedAt: now}
	m := &kindred.Membership{OrgID: o.ID, AccountID: admin.ID, Roles: kindred.RoleMember | kindred.RoleAdmin,
		Status: kindred.StatusActive, ConductAcceptedAt: &now, CreatedAt: now}
	if err := e.Store.CreateOrganization(context.Background(), o, m); err != nil {
		t.Fatalf("create org: %v", err)
	}
	return o
}

// Member adds an account to an organisation with roles and a status.
func (e *Env) Member(t testing.TB, o *kindred.Organization, a *kindred.Account, roles kindred.Role, status kindred.MembershipStatus) {
	t.Helper()
	now := time.Now().UTC()
	m := &kindred.Membership{OrgID: o.ID, AccountID: a.ID, Roles: roles | kindred.RoleMember, Status: status,
		ConductAcceptedAt: &now, CreatedAt: now}
	if err := e.Store.CreateMembership(context.Background(), m); err != nil {
		t.Fatalf("add member: %v", err)
	}
}

// Group creates a group in an organisation, facilitated by facilitator.
func (e *Env) Group(t testing.TB, o *kindred.Organization, slug string, vis kindred.Visibility, age kindred.AgeRule, facilitator *kindred.Account) *kindred.Group {
	t.Helper()
	now := time.Now().UTC()
	g := &kindred.Group{ID: kindred.NewID(), OrgID: o.ID, Slug: slug, Name: "Group " + slug, Topic: "A topic",
		Description: "About the group.", Guidelines: "- Be kind", Visibility: vis, AgeRule: age, CreatedBy: facilitator.ID, CreatedAt: now}
	first := &kindred.GroupMember{GroupID: g.ID, AccountID: facilitator.ID, Role: kindred.GroupRoleFacilitator, Status: kindred.StatusActive, CreatedAt: now}
	if err := e.Store.CreateGroup(context.Background(), g, first); err != nil {
		t.Fatalf("create group: %v", err)
	}
	return g
}

// GroupMember adds an account to a group.
func (e *Env) GroupMember(t testing.TB, g *kindred.Group, a *kindred.Account, status kindred.MembershipStatus) {
	t.Helper()
	m := &kindred.GroupMember{GroupID: g.ID, AccountID: a.ID, Role: kindred.GroupRoleMember, Status: status, CreatedAt: time.Now().UTC()}
	if err := e.Store.CreateGroupMember(context.Background(), m); err != nil {
		t.Fatalf("add group member: %v", err)
	}
}

// Thread starts a thread with one reply, directly in the store.
func (e *Env) Thread(t testing.TB, g *kindred.Group, author *kindred.Account, title string) (*kindred.Thread, *kindred.Post) {
	t.Helper()
	now := time.Now().UTC()
	th := &kindred.Thread{ID: kindred.NewID(), GroupID: g.ID, Kind: kindred.ThreadStory, Title: title, AuthorID: author.ID, CreatedAt: now, LastPostAt: now}
	p := &kindred.Post{ID: kindred.NewID(), AuthorID: author.ID, Body: "Opening words", BodyHTML: "<p>Opening words</p>", CreatedAt: now}
	if err := e.Store.CreateThread(context.Background(), th, p); err != nil {
		t.Fatalf("create thread: %v", err)
	}
	r := &kindred.Post{ID: kindred.NewID(), ThreadID: th.ID, AuthorID: author.ID, Body: "A reply", BodyHTML: "<p>A reply</p>", CreatedAt: now.Add(time.Second)}
	if err := e.Store.CreatePost(context.Background(), r); err != nil {
		t.Fatalf("create reply: %v", err)
	}
	return th, r
}

// Client is an HTTP client that keeps cookies and does not follow
// redirects, so tests see exactly what the server answered.
type Client struct {
	*http.Client
	Base string
	t    testing.TB
}

// Visitor returns a client with no session.
func (e *Env) Visitor(t testing.TB) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{Client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		Base: e.HTTP.URL, t: t}
}

// Client returns a client signed in as a (a session is started directly).
func (e *Env) Client(t testing.TB, a *kindred.Account) *Client {
	t.Helper()
	c := e.Visitor(t)
	secret, err := e.Services.Accounts.StartSession(context.Background(), a.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(e.HTTP.URL)
	c.Jar.SetCookies(u, []*http.Cookie{{Name: web.SessionCookie, Value: secret, Path: "/"}})
	return c
}

// Do sends a request and returns the status and body. Browser-like
// same-origin headers are set so cross-origin protection lets it pass.
func (c *Client) Do(method, path string, form url.Values) (int, string) {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.Base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := c.Client.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// Get fetches a path.
func (c *Client) Get(path string) (int, string) { return c.Do(http.MethodGet, path, nil) }

// Post posts a form.
func (c *Client) Post(path string, form url.Values) (int, string) {
	if form == nil {
		form = url.Values{}
	}
	return c.Do(http.MethodPost, path, form)
}
