package sqlstore

import (
	"os"
	"path/filepath"
	"testing"

	"kindred"
	"kindred/internal/sqlstore/internal/pgtest"
)

// The uploads' records on both databases: their own tests, so the shared
// contract list stays untouched.

func TestUploadsSQLite(t *testing.T) {
	testUploads(t, openTestDB(t, filepath.Join(t.TempDir(), "kindred.db")))
}

func TestUploadsPostgres(t *testing.T) {
	base := os.Getenv("KINDRED_TEST_POSTGRES")
	if base == "" {
		t.Skip("set KINDRED_TEST_POSTGRES=postgres://... to run the PostgreSQL contract tests")
	}
	testUploads(t, openTestDB(t, pgtest.Schema(t, base)))
}

func testUploads(t *testing.T, db *DB) {
	ctx := t.Context()
	ana := newAccount(t, db, "ana", "")
	ben := newAccount(t, db, "ben", "")
	cal := newAccount(t, db, "cal", "")
	org := newOrg(t, db, "org", "Org", ana)
	newMember(t, db, org, ben, "")
	g := newGroup(t, db, org, "g", "G", ana)

	pic := &kindred.Upload{AccountID: ana.ID, OrgID: org.ID, GroupID: g.ID, Kind: kindred.UploadPostImage,
		File: ana.ID + "/a.jpg", ContentType: "image/jpeg", Size: 1234, Width: 300, Height: 600, CreatedAt: at(0)}
	must(t, db.CreateUpload(ctx, pic))
	if pic.ID == "" {
		t.Fatal("CreateUpload left ID empty")
	}
	got, err := db.FindUpload(ctx, pic.ID)
	must(t, err)
	wantEqual(t, "upload", got, pic)
	_, err = db.FindUpload(ctx, kindred.NewID())
	wantCode(t, err, kindred.ENOTFOUND)

	t.Run("avatars", func(t *testing.T) {
		first := &kindred.Upload{AccountID: ana.ID, File: ana.ID + "/b.jpg", ContentType: "image/jpeg", Width: 512, Height: 512, CreatedAt: at(1)}
		prev, err := db.ReplaceAvatar(ctx, first)
		must(t, err)
		if prev != nil || first.Kind != kindred.UploadAvatar {
			t.Fatalf("first avatar: previous %+v, kind %q", prev, first.Kind)
		}
		second := &kindred.Upload{AccountID: ana.ID, File: ana.ID + "/c.png", ContentType: "image/png", Width: 64, Height: 64, CreatedAt: at(2)}
		prev, err = db.ReplaceAvatar(ctx, second)
		must(t, err)
		if prev == nil || prev.ID != first.ID {
			t.Fatalf("replacing returned %+v; want the first avatar", prev)
		}
		av, err := db.FindAvatars(ctx, []string{ana.ID, ben.ID})
		must(t, err)
		if len(av) != 1 || av[ana.ID] == nil || av[ana.ID].ID != second.ID {
			t.Errorf("FindAvatars = %+v; want ana's second only", av)
		}
		// A second avatar row for one account breaks the one-per-account rule.
		dup := &kindred.Upload{ID: kindred.NewID(), AccountID: ana.ID, Kind: kindred.UploadAvatar, File: ana.ID + "/d.png",
			ContentType: "image/png", CreatedAt: at(3)}
		wantCode(t, db.CreateUpload(ctx, dup), kindred.ECONFLICT)
		none, err := db.FindAvatars(ctx, nil)
		must(t, err)
		if len(none) != 0 {
			t.Errorf("FindAvatars(nil) = %v", none)
		}
	})

	t.Run("list and delete", func(t *testing.T) {
		list, err := db.ListAccountUploads(ctx, ana.ID)
		must(t, err)
		if len(list) != 2 || list[0].ID != pic.ID {
			t.Errorf("ListAccountUploads = %d, first %v; want the picture then the avatar", len(list), list)
		}
		must(t, db.DeleteUpload(ctx, pic.ID))
		wantCode(t, db.DeleteUpload(ctx, pic.ID), kindred.ENOTFOUND)
	})

	t.Run("share an organisation", func(t *testing.T) {
		for _, tc := range []struct {
			a, b *kindred.Account
			want bool
		}{{ana, ben, true}, {ben, ana, true}, {ana, cal, false}, {cal, cal, false}} {
			got, err := db.ShareOrganization(ctx, tc.a.ID, tc.b.ID)
			must(t, err)
			if got != tc.want {
				t.Errorf("ShareOrganization(%s, %s) = %v", tc.a.Handle, tc.b.Handle, got)
			}
		}
	})

	t.Run("erase", func(t *testing.T) {
		must(t, db.CreateUpload(ctx, &kindred.Upload{AccountID: ben.ID, Kind: kindred.UploadPostImage, OrgID: org.ID, GroupID: g.ID,
			File: ben.ID + "/e.jpg", ContentType: "image/jpeg"}))
		must(t, db.inTx(ctx, func(tx conn) error { return eraseUploads(ctx, tx, ana.ID) }))
		list, err := db.ListAccountUploads(ctx, ana.ID)
		must(t, err)
		if len(list) != 0 {
			t.Errorf("%d of ana's uploads survived erasure", len(list))
		}
		list, err = db.ListAccountUploads(ctx, ben.ID)
		must(t, err)
		if len(list) != 1 {
			t.Errorf("ben's upload went with ana's: %d left", len(list))
		}
	})
}
