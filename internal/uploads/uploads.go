// Package uploads owns uploaded images: decoded, checked against size and
// pixel limits, and re-encoded so no location or camera metadata survives
// (image.go). It decides who may see each image: an avatar, the people who
// share an organisation with its owner; a picture in a post, the readers of
// the group it was uploaded to. Anyone else gets the same "not found" as
// for an image that does not exist.
//
// Files live under one directory opened as an os.Root, so no name can reach
// outside it, at <account id>/<random name>: erasing an account's files is
// one RemoveAll, whatever the database still remembers.
package uploads

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"regexp"
	"strings"
	"time"

	"kindred"
	"kindred/internal/access"
	"kindred/internal/ratelimit"
)

// Options tune the service; zero values pick safe defaults.
type Options struct {
	Now    func() time.Time
	Logger *slog.Logger
	Broker kindred.Broker
	// Dir is where files are kept (default DefaultDir). It is created,
	// owner-only, when missing.
	Dir string
	// Limits bound what is accepted (default 8 MiB and 40 megapixels).
	Limits Limits
	// Every and Burst limit uploads per account (default 30 at once, then
	// one every 2 minutes).
	Every time.Duration
	Burst int
}

// DefaultDir is where uploads live unless configured (the default data
// directory's uploads folder).
const DefaultDir = "data/uploads"

// MaxDescription is the longest description (alt text) of a picture.
const MaxDescription = 300

// Service applies the rules.
type Service struct {
	store   kindred.Store
	now     func() time.Time
	log     *slog.Logger
	opts    Options
	root    *os.Root
	rootErr error
	limit   *ratelimit.Limiter
	// working bounds how many images are decoded at once: a 40-megapixel
	// picture takes a few hundred MiB while it is worked on.
	working chan struct{}
}

// New returns a Service on store, keeping files in o.Dir. When the
// directory cannot be opened the service still starts; uploads then fail
// with an internal error that says why, and everything else keeps working.
func New(store kindred.Store, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Dir == "" {
		o.Dir = DefaultDir
	}
	if o.Every <= 0 {
		o.Every = 2 * time.Minute
	}
	if o.Burst <= 0 {
		o.Burst = 30
	}
	o.Limits = o.Limits.withDefaults()
	s := &Service{store: store, now: o.Now, log: o.Logger, opts: o,
		limit: ratelimit.New(o.Every, o.Burst, 100_000, o.Now), working: make(chan struct{}, 2)}
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		s.rootErr = fmt.Errorf("uploads directory: %w", err)
	} else if s.root, err = os.OpenRoot(o.Dir); err != nil {
		s.rootErr = fmt.Errorf("uploads directory: %w", err)
	}
	if s.rootErr != nil {
		s.log.Error("uploads are unavailable", "err", s.rootErr)
	}
	return s
}

// Limits returns the limits in force, for forms and the request size cap.
func (s *Service) Limits() Limits { return s.opts.Limits }

// Close releases the uploads directory.
func (s *Service) Close() error {
	if s.root == nil {
		return nil
	}
	return s.root.Close()
}

var (
	errNoUpload = kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that picture.")
	errTooFast  = kindred.Errorf(kindred.ERATELIMIT, "You've uploaded a lot of pictures just now. Please wait a few minutes and try again.")
	errNoGroup  = kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that group. It may have moved, or the link may be mistyped.")
	errSignIn   = kindred.Errorf(kindred.EUNAUTHORIZED, "Please log in first.")
)

// validID matches kindred.NewID's identifiers; anything else is not found
// without asking the database.
var validID = regexp.MustCompile(`^[a-z2-7]{26}$`)

func (s *Service) uploader(actor *kindred.Actor) error {
	if !actor.SignedIn() {
		return errSignIn
	}
	if actor.Account.SuspendedAt != nil {
		return kindred.Errorf(kindred.EFORBIDDEN, "Your account is suspended, so you can't upload pictures right now.")
	}
	if !s.limit.Allow(actor.AccountID()) {
		return errTooFast
	}
	return nil
}

// process runs the pipeline, at most two at a time.
func (s *Service) process(ctx context.Context, data []byte, shape Shape) (*Image, error) {
	select {
	case s.working <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-s.working }()
	return Process(data, shape, s.opts.Limits)
}

// save writes the image under a new random name in the account's folder.
func (s *Service) save(accountID string, im *Image) (string, error) {
	if s.rootErr != nil {
		return "", s.rootErr
	}
	if err := s.root.MkdirAll(accountID, 0o700); err != nil {
		return "", fmt.Errorf("save upload: %w", err)
	}
	name := path.Join(accountID, kindred.NewID()+im.Ext())
	f, err := s.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", fmt.Errorf("save upload: %w", err)
	}
	_, err = f.Write(im.Data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = s.root.Remove(name)
		return "", fmt.Errorf("save upload: %w", err)
	}
	return name, nil
}

// removeFile deletes a stored file; one already gone is fine.
func (s *Service) removeFile(ctx context.Context, name string) {
	if s.root == nil || name == "" {
		return
	}
	if err := s.root.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		s.log.ErrorContext(ctx, "upload file not removed", "err", err)
	}
}

func (s *Service) record(accountID string, kind kindred.UploadKind, file string, im *Image) *kindred.Upload {
	return &kindred.Upload{ID: kindred.NewID(), AccountID: accountID, Kind: kind, File: file, ContentType: im.ContentType,
		Size: int64(len(im.Data)), Width: im.Width, Height: im.Height, CreatedAt: s.now().UTC()}
}

// SetAvatar makes the picture the actor's avatar, replacing any before it
// (whose file is removed).
func (s *Service) SetAvatar(ctx context.Context, actor *kindred.Actor, data []byte) (*kindred.Upload, error) {
	if err := s.uploader(actor); err != nil {
		return nil, err
	}
	im, err := s.process(ctx, data, ShapeAvatar)
	if err != nil {
		return nil, err
	}
	file, err := s.save(actor.AccountID(), im)
	if err != nil {
		return nil, err
	}
	u := s.record(actor.AccountID(), kindred.UploadAvatar, file, im)
	prev, err := s.store.ReplaceAvatar(ctx, u)
	if err != nil {
		s.removeFile(ctx, file)
		return nil, fmt.Errorf("set avatar: %w", err)
	}
	if prev != nil {
		s.removeFile(ctx, prev.File)
	}
	return u, nil
}

// RemoveAvatar deletes the actor's avatar, if they have one.
func (s *Service) RemoveAvatar(ctx context.Context, actor *kindred.Actor) error {
	if !actor.SignedIn() {
		return errSignIn
	}
	av, err := s.store.FindAvatars(ctx, []string{actor.AccountID()})
	if err != nil {
		return fmt.Errorf("remove avatar: %w", err)
	}
	u := av[actor.AccountID()]
	if u == nil {
		return nil
	}
	if err := s.store.DeleteUpload(ctx, u.ID); err != nil && kindred.ErrorCode(err) != kindred.ENOTFOUND {
		return fmt.Errorf("remove avatar: %w", err)
	}
	s.removeFile(ctx, u.File)
	return nil
}

// Avatar returns the actor's own avatar, or nil.
func (s *Service) Avatar(ctx context.Context, actor *kindred.Actor) (*kindred.Upload, error) {
	if !actor.SignedIn() {
		return nil, errSignIn
	}
	av, err := s.store.FindAvatars(ctx, []string{actor.AccountID()})
	if err != nil {
		return nil, fmt.Errorf("avatar: %w", err)
	}
	return av[actor.AccountID()], nil
}

// Avatars returns, for each account given, the URL of its avatar when it
// has one the actor may see: their own, or of someone they share an
// organisation with and have not blocked (nor been blocked by).
func (s *Service) Avatars(ctx context.Context, actor *kindred.Actor, accountIDs []string) (map[string]string, error) {
	out := map[string]string{}
	if !actor.SignedIn() || len(accountIDs) == 0 {
		return out, nil
	}
	av, err := s.store.FindAvatars(ctx, accountIDs)
	if err != nil || len(av) == 0 {
		return out, err
	}
	blocked, err := s.blockedWith(ctx, actor)
	if err != nil {
		return nil, err
	}
	for id, u := range av {
		ok, err := s.avatarVisible(ctx, actor, u, blocked)
		if err != nil {
			return nil, err
		}
		if ok {
			out[id] = URL(u.ID)
		}
	}
	return out, nil
}

// URL is where an upload is served.
func URL(id string) string { return "/uploads/" + id }

func (s *Service) blockedWith(ctx context.Context, actor *kindred.Actor) (map[string]bool, error) {
	ids, err := s.store.BlockedWith(ctx, actor.AccountID())
	if err != nil {
		return nil, fmt.Errorf("blocks: %w", err)
	}
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m, nil
}

func (s *Service) avatarVisible(ctx context.Context, actor *kindred.Actor, u *kindred.Upload, blocked map[string]bool) (bool, error) {
	if u.AccountID == actor.AccountID() {
		return true, nil
	}
	if blocked[u.AccountID] {
		return false, nil
	}
	ok, err := s.store.ShareOrganization(ctx, actor.AccountID(), u.AccountID)
	if err != nil {
		return false, fmt.Errorf("avatar visibility: %w", err)
	}
	return ok, nil
}

// groupPlace finds a group by slugs and the actor's standing in it; a group
// the actor may not see is not found.
func (s *Service) groupPlace(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug string) (*kindred.Group, access.Subject, error) {
	o, err := s.store.FindOrganizationBySlug(ctx, orgSlug)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil, access.Subject{}, errNoGroup
	}
	if err != nil {
		return nil, access.Subject{}, fmt.Errorf("find organisation: %w", err)
	}
	// As the groups service answers: an unlisted organisation looks
	// missing to outsiders; a listed one is for its members.
	sub, err := access.Load(ctx, s.store, actor, o.ID, "")
	if err != nil {
		return nil, sub, err
	}
	if !o.Listed && sub.Membership == nil {
		return nil, sub, errNoGroup
	}
	if !access.Can(sub, access.ViewOrg, nil) {
		return nil, sub, kindred.Errorf(kindred.EFORBIDDEN, "Groups are for members of %s. Join the organisation to add pictures.", o.Name)
	}
	g, err := s.store.FindGroupBySlug(ctx, o.ID, groupSlug)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil, sub, errNoGroup
	}
	if err != nil {
		return nil, sub, fmt.Errorf("find group: %w", err)
	}
	sub, err = access.Load(ctx, s.store, actor, o.ID, g.ID)
	if err != nil {
		return nil, sub, err
	}
	if !access.Can(sub, access.ViewGroup, g) {
		return nil, sub, errNoGroup
	}
	return g, sub, nil
}

// CanUpload reports (nil) whether the actor may add pictures to posts in
// the group, with the error to show when not.
func (s *Service) CanUpload(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug string) error {
	if !actor.SignedIn() {
		return errSignIn
	}
	g, sub, err := s.groupPlace(ctx, actor, orgSlug, groupSlug)
	if err != nil {
		return err
	}
	if !access.Can(sub, access.PostInGroup, g) {
		return errCannotUpload
	}
	return nil
}

var errCannotUpload = kindred.Errorf(kindred.EFORBIDDEN, "Join this group to add pictures to posts.")

// UploadImage stores a picture for a post in a group and returns its record
// and the Markdown that shows it. Only people who may post in the group may
// upload there, and a description (the alt text read out by screen
// readers) is required.
func (s *Service) UploadImage(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug string, data []byte, description string) (*kindred.Upload, string, error) {
	if !actor.SignedIn() {
		return nil, "", errSignIn
	}
	g, sub, err := s.groupPlace(ctx, actor, orgSlug, groupSlug)
	if err != nil {
		return nil, "", err
	}
	if !access.Can(sub, access.PostInGroup, g) {
		return nil, "", errCannotUpload
	}
	description = strings.Join(strings.Fields(description), " ")
	v := kindred.Invalid{}
	switch n := len([]rune(description)); {
	case n == 0:
		v.Add("description", "Please describe the picture in a few words, for people who use screen readers or can't load it.")
	case n > MaxDescription:
		v.Add("description", fmt.Sprintf("Please keep the description to %d characters or fewer (it is %d now).", MaxDescription, n))
	}
	if len(data) == 0 {
		v.Add("file", "Please choose a picture to upload.")
	}
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	if err := s.uploader(actor); err != nil {
		return nil, "", err
	}
	im, err := s.process(ctx, data, ShapePost)
	if err != nil {
		return nil, "", err
	}
	file, err := s.save(actor.AccountID(), im)
	if err != nil {
		return nil, "", err
	}
	u := s.record(actor.AccountID(), kindred.UploadPostImage, file, im)
	u.OrgID, u.GroupID = g.OrgID, g.ID
	if err := s.store.CreateUpload(ctx, u); err != nil {
		s.removeFile(ctx, file)
		return nil, "", fmt.Errorf("upload image: %w", err)
	}
	return u, Markdown(description, u.ID), nil
}

// Markdown is the snippet that shows an uploaded picture in a post.
func Markdown(description, id string) string {
	return "![" + escapeAlt(description) + "](" + URL(id) + ")"
}

// escapeAlt keeps a description from ending the image's brackets early or
// starting other Markdown.
func escapeAlt(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`\[]*_<>!`+"`", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// File is an upload opened for serving.
type File struct {
	*kindred.Upload
	io.ReadSeekCloser
	ModTime time.Time
}

// Open returns the upload for the actor to read, when they may see it:
// their own; an avatar of someone they share an organisation with; a
// picture in a group they may read. Otherwise it is not found, exactly as
// a missing one.
func (s *Service) Open(ctx context.Context, actor *kindred.Actor, id string) (*File, error) {
	u, err := s.visible(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if s.rootErr != nil {
		return nil, s.rootErr
	}
	f, err := s.root.Open(u.File)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errNoUpload
	}
	if err != nil {
		return nil, fmt.Errorf("open upload: %w", err)
	}
	return &File{Upload: u, ReadSeekCloser: f, ModTime: u.CreatedAt}, nil
}

func (s *Service) visible(ctx context.Context, actor *kindred.Actor, id string) (*kindred.Upload, error) {
	if !actor.SignedIn() || !validID.MatchString(id) {
		return nil, errNoUpload
	}
	u, err := s.store.FindUpload(ctx, id)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil, errNoUpload
	}
	if err != nil {
		return nil, fmt.Errorf("find upload: %w", err)
	}
	if u.AccountID == actor.AccountID() {
		return u, nil
	}
	switch u.Kind {
	case kindred.UploadAvatar:
		blocked, err := s.blockedWith(ctx, actor)
		if err != nil {
			return nil, err
		}
		ok, err := s.avatarVisible(ctx, actor, u, blocked)
		if err != nil {
			return nil, err
		}
		if ok {
			return u, nil
		}
	case kindred.UploadPostImage:
		g, err := s.store.FindGroup(ctx, u.GroupID)
		if kindred.ErrorCode(err) == kindred.ENOTFOUND {
			return nil, errNoUpload
		}
		if err != nil {
			return nil, fmt.Errorf("find group: %w", err)
		}
		sub, err := access.Load(ctx, s.store, actor, g.OrgID, g.ID)
		if err != nil {
			return nil, err
		}
		if access.Can(sub, access.ReadGroup, g) {
			return u, nil
		}
	}
	return nil, errNoUpload
}

// Delete removes a picture the actor uploaded. A picture still linked
// from a post then shows as missing.
func (s *Service) Delete(ctx context.Context, actor *kindred.Actor, id string) error {
	if !actor.SignedIn() {
		return errSignIn
	}
	u, err := s.visible(ctx, actor, id)
	if err != nil {
		return err
	}
	if u.AccountID != actor.AccountID() {
		return kindred.Errorf(kindred.EFORBIDDEN, "You can only delete pictures you uploaded.")
	}
	if err := s.store.DeleteUpload(ctx, u.ID); err != nil && kindred.ErrorCode(err) != kindred.ENOTFOUND {
		return fmt.Errorf("delete upload: %w", err)
	}
	s.removeFile(ctx, u.File)
	return nil
}

// EraseAccountFiles removes every file the account uploaded, whatever the
// database still says about them. Account erasure calls it; the records go
// with the account (sqlstore's eraseUploads).
func (s *Service) EraseAccountFiles(ctx context.Context, accountID string) error {
	if accountID == "" || strings.ContainsAny(accountID, `/\.`) {
		return fmt.Errorf("erase upload files: unexpected account id")
	}
	if s.rootErr != nil {
		return s.rootErr
	}
	if err := s.root.RemoveAll(accountID); err != nil {
		return fmt.Errorf("erase upload files: %w", err)
	}
	return nil
}

// AccountFiles lists what the account uploaded, oldest first, for the
// export of their data.
func (s *Service) AccountFiles(ctx context.Context, accountID string) ([]kindred.Upload, error) {
	list, err := s.store.ListAccountUploads(ctx, accountID)
	if err != nil {
		return nil, fmt.Errorf("account files: %w", err)
	}
	out := make([]kindred.Upload, len(list))
	for i, u := range list {
		out[i] = *u
	}
	return out, nil
}

// ExportAccountFiles hands each of the account's stored images to add,
// named "<kind>-<id>.<ext>", for the export of their data. Images whose
// file is missing are left out.
func (s *Service) ExportAccountFiles(ctx context.Context, accountID string, add func(name string, data []byte) error) error {
	list, err := s.store.ListAccountUploads(ctx, accountID)
	if err != nil {
		return fmt.Errorf("export files: %w", err)
	}
	if len(list) > 0 && s.rootErr != nil {
		return s.rootErr
	}
	for _, u := range list {
		if u.AccountID != accountID || !strings.HasPrefix(u.File, accountID+"/") {
			continue
		}
		b, err := s.root.ReadFile(u.File)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("export files: %w", err)
		}
		if err := add(string(u.Kind)+"-"+u.ID+path.Ext(u.File), b); err != nil {
			return err
		}
	}
	return nil
}
