package kindred

import (
	"context"
	"time"
)

// Uploaded images (issue 5, item 7): avatars and pictures in posts,
// decoded and re-encoded so no location or camera metadata survives.

// UploadKind says what an image is for, which decides who may see it.
type UploadKind string

const (
	// UploadAvatar is a person's picture, one per account; people who share
	// an organisation with them may see it.
	UploadAvatar UploadKind = "avatar"
	// UploadPostImage is a picture for a post in a group; the group's
	// readers may see it.
	UploadPostImage UploadKind = "post"
)

// Upload is one stored image. The bytes live on disk under File, a random
// name that is never shown; only the re-encoded image is ever stored.
type Upload struct {
	ID          string // public, random
	AccountID   string // who uploaded it
	OrgID       string // post images: the organisation and group it was uploaded to
	GroupID     string
	Kind        UploadKind
	File        string // path under the uploads directory, e.g. "<account>/<random>.jpg"
	ContentType string // image/jpeg or image/png
	Size        int64  // bytes of the stored file
	Width       int
	Height      int
	CreatedAt   time.Time
}

// UploadStore keeps uploads' records; the bytes live on disk.
type UploadStore interface {
	CreateUpload(ctx context.Context, u *Upload) error // fills ID and CreatedAt when empty
	FindUpload(ctx context.Context, id string) (*Upload, error)
	// ListAccountUploads returns everything the account uploaded, oldest first.
	ListAccountUploads(ctx context.Context, accountID string) ([]*Upload, error)
	DeleteUpload(ctx context.Context, id string) error
	// ReplaceAvatar stores u as the account's avatar and removes the record
	// of the one before, which it returns (nil when there was none) so its
	// file can be removed too. One transaction.
	ReplaceAvatar(ctx context.Context, u *Upload) (previous *Upload, err error)
	// FindAvatars returns the avatar of each account given that has one.
	FindAvatars(ctx context.Context, accountIDs []string) (map[string]*Upload, error)
	// ShareOrganization reports whether both accounts are active members of
	// at least one organisation together.
	ShareOrganization(ctx context.Context, a, b string) (bool, error)
}
