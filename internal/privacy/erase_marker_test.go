package privacy_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to read the test's schema raw

	"kindred"
	"kindred/internal/kindredtest"
	"kindred/internal/moderation"
	"kindred/internal/privacy"
	"kindred/internal/sqlstore"
	"kindred/internal/uploads/uploadstest"
)

// TestEraseAccountLeavesNoTrace plants a unique marker in every field a
// person can write, through the real services, with a second person
// answering them; deletes the account; and then looks for the markers in
// the database's files (SQLite: the file, its WAL and shared memory after
// the checkpoint; PostgreSQL: every row of every table as text, and the
// table files on disk) and finds none, while the other person's words
// survive.
func TestEraseAccountLeavesNoTrace(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "kindred.db")
		db := openStore(t, path)
		markerStory(t, db, func(t *testing.T, markers []plant, survivors []string) {
			for _, suffix := range []string{"", "-wal", "-shm"} {
				b, err := os.ReadFile(path + suffix)
				if errors.Is(err, fs.ErrNotExist) {
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				findMarkers(t, "kindred.db"+suffix, b, markers)
			}
			if b, _ := os.ReadFile(path); !bytes.Contains(b, []byte(survivors[0])) {
				t.Errorf("the other person's words are not in the database file either: is the search looking in the right place?")
			}
		})
	})
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv("KINDRED_TEST_POSTGRES")
		if base == "" {
			t.Skip("set KINDRED_TEST_POSTGRES=postgres://... to run on PostgreSQL as well")
		}
		schema, u := pgSchema(t, base)
		db := openStore(t, u)
		markerStory(t, db, func(t *testing.T, markers []plant, survivors []string) {
			raw, err := sql.Open("pgx", base)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			ctx := t.Context()
			tables := queryStrings(t, raw, `SELECT table_name FROM information_schema.tables
				WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`, schema)
			if len(tables) < 20 {
				t.Fatalf("only %d tables in the schema", len(tables))
			}
			var all bytes.Buffer
			for _, tbl := range tables {
				for _, row := range queryStrings(t, raw, `SELECT t::text FROM `+schema+`.`+tbl+` t`) {
					findMarkers(t, "table "+tbl, []byte(row), markers)
					all.WriteString(row)
				}
			}
			if !bytes.Contains(all.Bytes(), []byte(survivors[0])) {
				t.Errorf("the other person's words are not in any row either")
			}
			// Table files: flush what VACUUM reclaimed to disk, then read
			// every heap, TOAST and index file of the schema.
			if _, err := raw.ExecContext(ctx, "CHECKPOINT"); err != nil {
				t.Logf("the on-disk check is skipped: CHECKPOINT failed (%v)", err)
				return
			}
			dir := queryStrings(t, raw, `SELECT current_setting('data_directory')`)[0]
			files := queryStrings(t, raw, `SELECT pg_relation_filepath(c.oid) || ' ' || c.relname FROM pg_class c
				JOIN pg_namespace n ON n.oid = c.relnamespace
				WHERE (n.nspname = $1 AND c.relkind IN ('r', 'i'))
				   OR c.oid IN (SELECT reltoastrelid FROM pg_class x JOIN pg_namespace xn ON xn.oid = x.relnamespace WHERE xn.nspname = $1)
				   OR c.oid IN (SELECT i.indexrelid FROM pg_index i WHERE i.indrelid IN (SELECT reltoastrelid FROM pg_class x
				      JOIN pg_namespace xn ON xn.oid = x.relnamespace WHERE xn.nspname = $1))`, schema)
			read := 0
			for _, fr := range files {
				f, rel, _ := strings.Cut(fr, " ")
				matches, _ := filepath.Glob(filepath.Join(dir, f) + "*") // segments (.1) and forks (_fsm, _vm)
				for _, m := range matches {
					b, err := os.ReadFile(m)
					if err != nil {
						t.Logf("the on-disk check is skipped: %v", err)
						return
					}
					read++
					findMarkers(t, "the file of "+rel+" ("+m+")", b, markers)
				}
			}
			t.Logf("read %d table and index files", read)
		})
	})
}

// plant is one field a person writes, with its marker.
type plant struct {
	field, marker string
}

// markerStory runs the story on db and calls check after the deletion.
func markerStory(t *testing.T, db *sqlstore.DB, check func(t *testing.T, markers []plant, survivors []string)) {
	ctx := context.Background()
	env := kindredtest.NewWithStore(t, db, kindredtest.Options{Generous: true})
	svc := env.Services
	admin := env.Account(t, "harbour_admin", kindred.AgeAdult)
	org := env.Org(t, admin, "harbour", kindred.JoinOpen)
	group := env.Group(t, org, "circle", kindred.VisibilityPublic, kindred.AgeAny, admin)
	friend := env.Account(t, "friend", kindred.AgeAdult)
	env.Member(t, org, friend, kindred.RoleMember, kindred.StatusActive)
	env.GroupMember(t, group, friend, kindred.StatusActive)
	friendActor := kindredtest.Actor(friend)
	adminActor := kindredtest.Actor(admin)

	tag := randomHex(4)
	mark := func(field string) string { return "mk" + tag + strings.ReplaceAll(field, "_", "") + "x" }

	// Sign-up carries the first markers.
	handle := mark("handle")
	acc, _, err := svc.Accounts.SignUp(ctx, kindred.SignupDraft{Handle: handle, Password: kindredtest.Password, AgeBand: kindred.AgeYoungAdult,
		DisplayName: mark("display_name"), Pronouns: mark("pronouns"), Email: mark("email") + "@example.org"}, "client", "test")
	must(t, err)
	me := kindredtest.Actor(acc)
	var threadID, friendsThreadID, friendsPostID, myReplyID string
	var survivors []string

	// Each row plants one field's marker through the service that owns it.
	plants := []struct {
		field string
		plant func(t *testing.T, m string)
	}{
		{"handle", func(t *testing.T, m string) {}},
		{"display_name", func(t *testing.T, m string) {}},
		{"pronouns", func(t *testing.T, m string) {}},
		{"email", func(t *testing.T, m string) {}},
		{"bio", func(t *testing.T, m string) {
			_, err := svc.Accounts.UpdateProfile(ctx, me, kindred.ProfileUpdate{Bio: &m})
			must(t, err)
		}},
		{"org_display_name", func(t *testing.T, m string) {
			_, err := svc.Orgs.Join(ctx, me, org.Slug, true)
			must(t, err)
			_, err = svc.Orgs.SetDisplayName(ctx, me, org.Slug, m)
			must(t, err)
			_, err = svc.Groups.Join(ctx, me, org.Slug, group.Slug)
			must(t, err)
		}},
		{"thread_title", func(t *testing.T, m string) {
			_, th, err := svc.Groups.StartThread(ctx, me, org.Slug, group.Slug, kindred.ThreadDraft{Title: m + " title",
				Body: mark("thread_body") + " words", ContentWarning: mark("thread_cw")})
			must(t, err)
			threadID = th.ID
			// The friend answers: their reply must survive.
			words := "friendreply" + tag + " I hear you"
			_, err = svc.Groups.Reply(ctx, friendActor, org.Slug, group.Slug, th.ID, kindred.ReplyDraft{Body: words})
			must(t, err)
			survivors = append(survivors, "friendreply"+tag)
		}},
		{"thread_body", func(t *testing.T, m string) {}},
		{"thread_cw", func(t *testing.T, m string) {}},
		{"anonymous_thread", func(t *testing.T, m string) {
			_, _, err := svc.Groups.StartThread(ctx, me, org.Slug, group.Slug, kindred.ThreadDraft{Title: m + " title", Body: m + " body", Anonymous: true})
			must(t, err)
		}},
		{"reply_body", func(t *testing.T, m string) {
			_, th, err := svc.Groups.StartThread(ctx, friendActor, org.Slug, group.Slug, kindred.ThreadDraft{Title: "friendthread" + tag, Body: "Hello all"})
			must(t, err)
			friendsThreadID = th.ID
			pv, err := svc.Groups.Reply(ctx, me, org.Slug, group.Slug, th.ID, kindred.ReplyDraft{Body: m + " reply", ContentWarning: mark("reply_cw")})
			must(t, err)
			myReplyID = pv.Post.ID
			view, err := svc.Groups.Thread(ctx, friendActor, org.Slug, group.Slug, th.ID, 1)
			must(t, err)
			friendsPostID = view.Posts[0].Post.ID
			_, err = svc.Groups.React(ctx, me, org.Slug, group.Slug, friendsPostID, kindred.ReactionKind("thank_you"), true)
			must(t, err)
		}},
		{"reply_cw", func(t *testing.T, m string) {}},
		{"report_note", func(t *testing.T, m string) {
			// The person reports the friend's post, with a note.
			_, err := svc.Moderation.Report(ctx, me, moderation.TargetRef{Kind: kindred.TargetPost, OrgSlug: org.Slug,
				GroupSlug: group.Slug, PostID: friendsPostID}, kindred.ReportDraft{Reason: kindred.ReasonHarassment, Note: m + " note"})
			must(t, err)
		}},
		{"appeal_note", func(t *testing.T, m string) {
			// The friend reports the person's reply, the admin warns them,
			// and they appeal in their own words.
			rc, err := svc.Moderation.Report(ctx, friendActor, moderation.TargetRef{Kind: kindred.TargetPost, OrgSlug: org.Slug,
				GroupSlug: group.Slug, PostID: myReplyID}, kindred.ReportDraft{Reason: kindred.ReasonHarassment, Note: "friendreport" + tag})
			must(t, err)
			d, err := svc.Moderation.Decide(ctx, adminActor, org.Slug, rc.Report.CaseID, kindred.DecisionDraft{Action: kindred.ActionWarn, Reason: "Please go gently"})
			must(t, err)
			_, err = svc.Moderation.Appeal(ctx, me, org.Slug, d.ID, kindred.AppealDraft{Note: m + " appeal"})
			must(t, err)
		}},
		{"hidden_topic", func(t *testing.T, m string) {
			_, err := svc.Blocks.SetTopics(ctx, me, []string{m})
			must(t, err)
		}},
		{"chat_message", func(t *testing.T, m string) {
			room, err := svc.Live.OpenConversation(ctx, me, org.Slug, friend.Handle)
			must(t, err)
			_, err = svc.Live.Send(ctx, me, room.ID, kindred.ChatDraft{Body: m + " hello"})
			must(t, err)
			_, err = svc.Live.Send(ctx, friendActor, room.ID, kindred.ChatDraft{Body: "friendchat" + tag + " hi back"})
			must(t, err)
			survivors = append(survivors, "friendchat"+tag)
		}},
		{"safety_plan", func(t *testing.T, m string) {
			_, err := svc.Safety.SavePlan(ctx, me, kindred.SafetyPlan{WarningSigns: m + "1", Coping: m + "2", Distractions: m + "3",
				People: m + "4", Professionals: m + "5", SafeSurroundings: m + "6"})
			must(t, err)
		}},
		{"token_name", func(t *testing.T, m string) {
			_, _, err := svc.Accounts.CreateToken(ctx, me, m)
			must(t, err)
		}},
		{"training_reflection", func(t *testing.T, m string) {
			_, course, err := svc.Training.AddStarterCourse(ctx, adminActor, org.Slug)
			must(t, err)
			pub := true
			_, _, err = svc.Training.UpdateCourse(ctx, adminActor, org.Slug, course.Slug, kindred.CourseUpdate{Published: &pub})
			must(t, err)
			ed, err := svc.Training.Editor(ctx, adminActor, org.Slug, course.Slug)
			must(t, err)
			for _, mod := range ed.Modules {
				if len(mod.Scenarios) > 0 {
					_, err := svc.Training.SaveReflections(ctx, me, org.Slug, course.Slug, mod.ID,
						map[string][]string{mod.Scenarios[0].ID: {m + " reflection"}})
					must(t, err)
					return
				}
			}
			t.Fatal("the starter course has no scenario to reflect on")
		}},
		{"support_request", func(t *testing.T, m string) {
			// The friend is a signed-off supporter on shift; the person asks
			// for support, talks, ends it and leaves feedback.
			supporterReady(t, env, org, admin, friend)
			v, err := svc.Support.RequestSupport(ctx, me, org.Slug, kindred.SupportRequestDraft{Topics: []string{"coming_out"}, Details: m + " details"})
			must(t, err)
			offers, err := env.Store.ListSupportOffers(ctx, kindred.SupportOfferFilter{RequestID: v.Request.ID, Status: kindred.OfferOpen, Limit: 10})
			must(t, err)
			if len(offers) != 1 {
				t.Fatalf("%d offers", len(offers))
			}
			match, err := svc.Support.AcceptOffer(ctx, friendActor, org.Slug, offers[0].ID)
			must(t, err)
			_, err = svc.Live.Send(ctx, me, match.RoomID, kindred.ChatDraft{Body: mark("support_chat") + " thanks"})
			must(t, err)
			_, err = svc.Support.Escalate(ctx, me, org.Slug, match.ID, mark("escalation")+" worried", false)
			must(t, err)
			must(t, svc.Support.EndConversation(ctx, me, org.Slug, match.ID))
			must(t, svc.Support.SubmitFeedback(ctx, me, org.Slug, match.ID, kindred.HelpedYes, mark("feedback")))
			must(t, svc.Support.WriteDebrief(ctx, friendActor, org.Slug, match.ID, "friendebrief"+tag+" went well", false))
			survivors = append(survivors, "friendebrief"+tag)
		}},
		{"support_chat", func(t *testing.T, m string) {}},
		{"feedback", func(t *testing.T, m string) {}},
		{"escalation", func(t *testing.T, m string) {}},
	}
	// A picture: its file must go with the account.
	if _, err := svc.Uploads.SetAvatar(ctx, me, uploadstest.GPSJPEG(t, 64, 32, 1)); err != nil {
		t.Fatalf("avatar: %v", err)
	}
	if n := countFiles(t, env.UploadsDir); n == 0 {
		t.Fatal("the avatar left no file in the upload directory")
	}
	var markers []plant
	for _, p := range plants {
		markers = append(markers, plant{p.field, mark(p.field)})
		t.Run("plant "+p.field, func(t *testing.T) { p.plant(t, mark(p.field)) })
	}
	if t.Failed() {
		t.FailNow()
	}
	// Everything is there before the deletion: otherwise finding nothing
	// afterwards would prove nothing.
	ex, err := svc.Privacy.Export(ctx, me)
	must(t, err)
	exText := zipText(t, ex.Zip)
	for _, p := range markers {
		if !strings.Contains(exText, p.marker) {
			t.Errorf("before deletion, the export lacks %s (%s)", p.field, p.marker)
		}
	}

	fresh, err := env.Store.FindAccount(ctx, acc.ID)
	must(t, err)
	// The environment's own service, but with a logger that shows whether
	// reclaiming the space after the erasure reported a problem.
	deleter := privacy.New(db, privacy.Options{Passwords: env.Hasher, Files: svc.Uploads, Logger: slog.New(slog.NewTextHandler(testLog{t}, nil))})
	must(t, deleter.DeleteAccount(ctx, kindredtest.Actor(fresh), kindredtest.Password, privacy.ConfirmPhrase))

	if n := countFiles(t, env.UploadsDir); n != 0 {
		t.Errorf("%d files are left in the upload directory after the erasure", n)
	}

	// The other person's content survived.
	view, err := svc.Groups.Thread(ctx, friendActor, org.Slug, group.Slug, threadID, 1)
	must(t, err)
	var kept bool
	for _, pv := range view.Posts {
		kept = kept || strings.Contains(pv.Post.Body, "friendreply"+tag)
	}
	if !kept {
		t.Error("the friend's reply in the erased person's thread is gone")
	}
	if _, err := svc.Groups.Thread(ctx, friendActor, org.Slug, group.Slug, friendsThreadID, 1); err != nil {
		t.Errorf("the friend's own thread: %v", err)
	}
	check(t, markers, survivors)
}

// supporterReady signs a member off as a peer supporter, saves their
// profile and starts their shift.
func supporterReady(t *testing.T, env *kindredtest.Env, org *kindred.Organization, admin, a *kindred.Account) {
	ctx := context.Background()
	now := time.Now().UTC()
	course := &kindred.Course{OrgID: org.ID, Slug: "peer-" + randomHex(3), Title: "Peer support", Published: true, CreatedAt: now, UpdatedAt: now}
	must(t, env.Store.CreateCourse(ctx, course))
	must(t, env.Store.CreateCertification(ctx, &kindred.Certification{OrgID: org.ID, CourseID: course.ID, AccountID: a.ID,
		Decision: kindred.SignOffGranted, RequestedAt: now, DecidedBy: admin.ID, DecidedAt: &now}))
	_, err := env.Services.Support.SaveProfile(ctx, kindredtest.Actor(a), org.Slug, kindred.SupporterProfileDraft{Intro: "Hi, I'm here.",
		Experiences: []string{"coming_out"}, Languages: []string{"en"}, Capacity: 3})
	must(t, err)
	must(t, env.Services.Support.StartShift(ctx, kindredtest.Actor(a), org.Slug))
}

// countFiles counts the regular files under dir.
func countFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			n++
		}
		return err
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return n
}

// findMarkers reports every marker found in b.
func findMarkers(t *testing.T, where string, b []byte, markers []plant) {
	t.Helper()
	lower := bytes.ToLower(b)
	for _, p := range markers {
		if bytes.Contains(lower, []byte(strings.ToLower(p.marker))) {
			t.Errorf("%s still holds the %s marker after the account was deleted", where, p.field)
		}
	}
}

func openStore(t *testing.T, u string) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), u, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	must(t, db.Migrate(context.Background()))
	return db
}

// pgSchema makes a schema of its own for the test and returns its name and
// a URL whose connections work in it.
func pgSchema(t *testing.T, base string) (string, string) {
	t.Helper()
	schema := "kindred_marker_" + randomHex(6)
	raw, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = raw.Exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE")
		raw.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return schema, u.String()
}

func queryStrings(t *testing.T, db *sql.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// testLog writes log lines to the test's log.
type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Helper()
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
