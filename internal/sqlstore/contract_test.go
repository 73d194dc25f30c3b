package sqlstore

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"kindred"
	"kindred/internal/sqlstore/internal/pgtest"
)

// The contract suite: every kindred.Store method, run against each
// database. TestSQLite always runs; TestPostgres runs when
// KINDRED_TEST_POSTGRES names a database it may create schemas in.

func TestSQLite(t *testing.T) {
	runContract(t, func(t testing.TB) *DB {
		return openTestDB(t, filepath.Join(t.TempDir(), "kindred.db"))
	})
}

func TestPostgres(t *testing.T) {
	base := os.Getenv("KINDRED_TEST_POSTGRES")
	if base == "" {
		t.Skip("set KINDRED_TEST_POSTGRES=postgres://... to run the PostgreSQL contract tests")
	}
	runContract(t, func(t testing.TB) *DB {
		return openTestDB(t, pgtest.Schema(t, base))
	})
}

func runContract(t *testing.T, open func(t testing.TB) *DB) {
	tests := []struct {
		name string
		fn   func(t *testing.T, db *DB)
	}{
		{"Database", testDatabase},
		{"Accounts", testAccounts},
		{"Sessions", testSessions},
		{"Tokens", testTokens},
		{"Organizations", testOrganizations},
		{"Memberships", testMemberships},
		{"DeleteMembership", testDeleteMembership},
		{"Invites", testInvites},
		{"UseInviteConcurrently", testUseInviteConcurrently},
		{"Groups", testGroups},
		{"GroupMembers", testGroupMembers},
		{"Threads", testThreads},
		{"Posts", testPosts},
		{"PageSizes", testPageSizes},
		{"RepliesConcurrently", testRepliesConcurrently},
		{"Reactions", testReactions},
		{"Audit", testAudit},
		{"AuditConcurrently", testAuditConcurrently},
		{"Cascade", testCascade},
		// Live: contract_live_test.go.
		{"GroupSessions", testGroupSessions},
		{"RSVPs", testRSVPs},
		{"RSVPCapacityConcurrently", testRSVPCapacityConcurrently},
		{"Rooms", testRooms},
		{"EnsureRoomConcurrently", testEnsureRoomConcurrently},
		{"RoomMembers", testRoomMembers},
		{"RoomMembersConcurrently", testRoomMembersConcurrently},
		{"ChatMessages", testChatMessages},
		{"ChatPaging", testChatPaging},
		{"RemoveChatMessage", testRemoveChatMessage},
		{"ChatSeqConcurrently", testChatSeqConcurrently},
		{"ChatNonceConcurrently", testChatNonceConcurrently},
		{"ChatSharedCommits", testChatSharedCommits},
		{"Conversations", testConversations},
		{"Blocks", testBlocks},
		{"LiveCascade", testLiveCascade},
	}
	// Training, support and safety plans: contract_training_test.go,
	// contract_support_test.go, contract_safety_test.go.
	tests = append(tests, trainingContract...)
	tests = append(tests, supportContract...)
	tests = append(tests, safetyContract...)
	tests = append(tests, moderationContract...) // contract_moderation_test.go
	tests = append(tests, mutesContract...)      // contract_mutes_test.go
	tests = append(tests, privacyContract...)
	tests = append(tests, securityContract...) // contract_security_test.go
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

// openTestDB opens and migrates a store that is closed when the test ends.
func openTestDB(t testing.TB, databaseURL string) *DB {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, databaseURL, Options{})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}

func testDatabase(t *testing.T, db *DB) {
	ctx := t.Context()
	if d := db.Dialect(); d != "sqlite" && d != "postgres" {
		t.Errorf("Dialect() = %q", d)
	}
	if err := db.Ping(ctx); err != nil {
		t.Errorf("Ping: %v", err)
	}
	// Every node migrates at start, so migrating a current schema must be
	// a harmless no-op.
	if err := db.Migrate(ctx); err != nil {
		t.Errorf("second Migrate: %v", err)
	}
	if n, err := db.CountAccounts(ctx); err != nil || n != 0 {
		t.Errorf("CountAccounts on a new database = %d, %v; want 0", n, err)
	}
}

// Fixtures. Times are fixed so orderings are certain.

var base = time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)

func at(minutes int) time.Time { return base.Add(time.Duration(minutes) * time.Minute) }

func ptr[T any](v T) *T { return &v }

// wantCode fails the test unless err carries the kindred error code.
func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := kindred.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantEqual[T any](t testing.TB, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

func newAccount(t testing.TB, db *DB, handle, displayName string) *kindred.Account {
	t.Helper()
	a := &kindred.Account{Handle: handle, DisplayName: displayName, Pronouns: "they/them",
		AgeBand: kindred.AgeAdult, PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", CreatedAt: base}
	must(t, db.CreateAccount(t.Context(), a))
	return a
}

func newOrg(t testing.TB, db *DB, slug, name string, admin *kindred.Account) *kindred.Organization {
	t.Helper()
	o := &kindred.Organization{Slug: slug, Name: name, Kind: kindred.OrgCommunityCentre,
		JoinPolicy: kindred.JoinRequest, Listed: true, CreatedAt: base}
	var first *kindred.Membership
	if admin != nil {
		first = &kindred.Membership{AccountID: admin.ID, Roles: kindred.RoleMember | kindred.RoleAdmin}
	}
	must(t, db.CreateOrganization(t.Context(), o, first))
	return o
}

func newGroup(t testing.TB, db *DB, org *kindred.Organization, slug, name string, creator *kindred.Account) *kindred.Group {
	t.Helper()
	g := &kindred.Group{OrgID: org.ID, Slug: slug, Name: name, Topic: "Talking it through",
		Visibility: kindred.VisibilityPublic, AgeRule: kindred.AgeAny, CreatedBy: creator.ID, CreatedAt: base}
	must(t, db.CreateGroup(t.Context(), g, nil))
	return g
}

func newMember(t testing.TB, db *DB, org *kindred.Organization, a *kindred.Account, displayName string) *kindred.Membership {
	t.Helper()
	m := &kindred.Membership{OrgID: org.ID, AccountID: a.ID, Roles: kindred.RoleMember,
		Status: kindred.StatusActive, DisplayName: displayName, CreatedAt: base}
	must(t, db.CreateMembership(t.Context(), m))
	return m
}

func newThread(t testing.TB, db *DB, g *kindred.Group, author *kindred.Account, title string, when time.Time) (*kindred.Thread, *kindred.Post) {
	t.Helper()
	th := &kindred.Thread{GroupID: g.ID, Kind: kindred.ThreadStory, Title: title, AuthorID: author.ID, CreatedAt: when}
	op := &kindred.Post{Body: "opening of " + title, BodyHTML: "<p>opening of " + title + "</p>"}
	must(t, db.CreateThread(t.Context(), th, op))
	return th, op
}

func newReply(t testing.TB, db *DB, th *kindred.Thread, author *kindred.Account, body string, when time.Time) *kindred.Post {
	t.Helper()
	p := &kindred.Post{ThreadID: th.ID, AuthorID: author.ID, Body: body, BodyHTML: "<p>" + body + "</p>", CreatedAt: when}
	must(t, db.CreatePost(t.Context(), p))
	return p
}

// rawExec runs SQL outside the Store API, to tamper with or delete rows the
// way an attacker or a future feature might.
func rawExec(t testing.TB, db *DB, query string, args ...any) {
	t.Helper()
	if _, err := (conn{e: db.write, bind: db.bind}).exec(t.Context(), query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}
