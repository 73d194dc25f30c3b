// Package privacy owns a person's data rights: downloading everything
// Kindred holds about them and erasing their account for real, and
// organisations' chat retention.
//
// Erasure is not hiding. The store erases, in one transaction, everything
// the person wrote and what identifies them, leaves a tombstone account
// row that holds nothing of theirs (others' replies in their threads and
// the audit log may still point at it), and then reclaims the space the
// old copies used. Their upload files go first, through Options.Files.
// Nothing here logs what anyone wrote, or who they are.
package privacy

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"kindred"
	"kindred/internal/access"
	"kindred/internal/audit"
	"kindred/internal/ratelimit"
)

// Passwords checks a password against its stored hash;
// *accounts.Hasher is one.
type Passwords interface {
	Verify(ctx context.Context, phc, password string) (ok, rehash bool, err error)
}

// Files erases a person's uploaded files (internal/uploads).
type Files interface {
	EraseAccountFiles(ctx context.Context, accountID string) error
}

// FileExporter, when Files also is one, adds a person's uploaded files to
// their export: add is called once per file with a name inside the zip.
type FileExporter interface {
	ExportAccountFiles(ctx context.Context, accountID string, add func(name string, data []byte) error) error
}

// Options tune the service; zero values pick safe defaults.
type Options struct {
	Now    func() time.Time
	Logger *slog.Logger
	Broker kindred.Broker
	// Passwords checks the password before an account is deleted; without
	// it nobody can delete their account.
	Passwords Passwords
	// Files erases (and, when it is a FileExporter, exports) upload files;
	// nil means there are none.
	Files Files
	// MaxExportBytes bounds an export's zip; default 64 MiB.
	MaxExportBytes int
}

// Service applies the rules.
type Service struct {
	store kindred.Store
	now   func() time.Time
	log   *slog.Logger
	opts  Options
	audit *audit.Recorder
	// deleteTries slows down password guessing through the delete form by
	// someone who has only a session.
	deleteTries *ratelimit.Limiter
}

// New returns a Service on store.
func New(store kindred.Store, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.MaxExportBytes <= 0 {
		o.MaxExportBytes = 64 << 20
	}
	return &Service{store: store, now: o.Now, log: o.Logger, opts: o,
		audit:       audit.New(store, o.Now, o.Logger),
		deleteTries: ratelimit.New(3*time.Minute, 5, 100_000, o.Now)}
}

var errSignedOut = kindred.Errorf(kindred.EUNAUTHORIZED, "Please log in first.")

// ConfirmPhrase is what a person types to confirm deleting their account.
const ConfirmPhrase = "delete my account"

// DeleteAccount erases the actor's account after checking their password
// and the confirmation phrase. It refuses while they are the only admin of
// an organisation. Their sessions, tokens and open support conversations
// end, and their live connections close.
func (s *Service) DeleteAccount(ctx context.Context, actor *kindred.Actor, password, confirm string) error {
	if !actor.SignedIn() {
		return errSignedOut
	}
	id := actor.AccountID()
	v := kindred.Invalid{}
	if password == "" {
		v.Add("password", "Please enter your password, so we know it's really you.")
	}
	if !strings.EqualFold(strings.Join(strings.Fields(confirm), " "), ConfirmPhrase) {
		v.Add("confirm", fmt.Sprintf("Please type “%s” to confirm.", ConfirmPhrase))
	}
	if err := v.Err(); err != nil {
		return err
	}
	if !s.deleteTries.Allow(id) {
		return kindred.Errorf(kindred.ERATELIMIT, "That's a lot of tries. Please wait a few minutes and try again.")
	}
	if s.opts.Passwords == nil {
		return kindred.Errorf(kindred.EUNAVAILABLE, "Deleting accounts is not available right now. Please try again later.")
	}
	acc, err := s.store.FindAccount(ctx, id)
	if err != nil {
		return fmt.Errorf("delete account: %w", err)
	}
	ok, _, err := s.opts.Passwords.Verify(ctx, acc.PasswordHash, password)
	if err != nil && acc.PasswordHash != "" {
		return fmt.Errorf("delete account: check password: %w", err)
	}
	if !ok {
		v.Add("password", "That is not your current password.")
		return v.Err()
	}
	sole, err := s.store.SoleAdminOrganizations(ctx, id)
	if err != nil {
		return fmt.Errorf("delete account: %w", err)
	}
	if len(sole) > 0 {
		names := make([]string, len(sole))
		for i, o := range sole {
			names[i] = o.Name
		}
		return &kindred.Error{Code: kindred.EINVALID, Message: fmt.Sprintf("You're the only admin of %s. "+
			"Please make someone else an admin first, so the people there aren't left without one. "+
			"Then you can delete your account.", strings.Join(names, ", "))}
	}
	// Files first: their records, which say where the files are, go with
	// the account. If this fails nothing is erased yet, and trying again
	// is safe.
	if s.opts.Files != nil {
		if err := s.opts.Files.EraseAccountFiles(ctx, id); err != nil {
			return fmt.Errorf("delete account: erase files: %w", err)
		}
	}
	res, err := s.store.EraseAccount(ctx, id, s.now())
	if err != nil && res == nil {
		return fmt.Errorf("delete account: %w", err)
	}
	if err != nil {
		// Committed; only reclaiming free space failed. Say so loudly, but
		// the person's account is gone.
		s.log.ErrorContext(ctx, "account erased but space not reclaimed", "err", err)
	}
	// The entry keeps the account's id only, like every audit entry.
	s.audit.Record(ctx, "", id, "account.erase", id, "")
	for _, who := range append([]string{id}, res.Partners...) {
		if err := kindred.AnnounceAccess(ctx, s.opts.Broker, who); err != nil {
			s.log.ErrorContext(ctx, "access change not announced", "err", err)
		}
	}
	s.log.InfoContext(ctx, "account erased", "support_conversations_ended", len(res.Partners))
	return nil
}

// SoleAdminOf lists the organisations the actor is the only admin of: the
// data page says so before they try to delete their account.
func (s *Service) SoleAdminOf(ctx context.Context, actor *kindred.Actor) ([]*kindred.Organization, error) {
	if !actor.SignedIn() {
		return nil, errSignedOut
	}
	return s.store.SoleAdminOrganizations(ctx, actor.AccountID())
}

// OrgPrivacy is an organisation's privacy settings as its admins see them.
type OrgPrivacy struct {
	Org      *kindred.Organization
	Settings *kindred.PrivacySettings
}

var errNoOrg = kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that organisation.")

// manage returns the organisation when the actor administers it; an
// unlisted organisation looks missing to people outside it.
func (s *Service) manage(ctx context.Context, actor *kindred.Actor, slug string) (*kindred.Organization, error) {
	if !actor.SignedIn() {
		return nil, errSignedOut
	}
	o, err := s.store.FindOrganizationBySlug(ctx, slug)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil, errNoOrg
	}
	if err != nil {
		return nil, fmt.Errorf("find organisation: %w", err)
	}
	sub, err := access.Load(ctx, s.store, actor, o.ID, "")
	if err != nil {
		return nil, err
	}
	if !o.Listed && sub.Membership == nil {
		return nil, errNoOrg
	}
	if !access.Can(sub, access.ManageOrg, nil) {
		return nil, kindred.Errorf(kindred.EFORBIDDEN, "This page is for the organisation's admins.")
	}
	return o, nil
}

// Settings returns an organisation's privacy settings for its admins.
func (s *Service) Settings(ctx context.Context, actor *kindred.Actor, orgSlug string) (*OrgPrivacy, error) {
	o, err := s.manage(ctx, actor, orgSlug)
	if err != nil {
		return nil, err
	}
	set, err := s.store.FindPrivacySettings(ctx, o.ID)
	if err != nil {
		return nil, fmt.Errorf("privacy settings: %w", err)
	}
	return &OrgPrivacy{Org: o, Settings: set}, nil
}

// SaveSettings sets how long the organisation keeps chat messages (days,
// one of kindred.ChatRetentionChoices; 0 keeps them). It is audited.
func (s *Service) SaveSettings(ctx context.Context, actor *kindred.Actor, orgSlug string, chatRetentionDays int) (*OrgPrivacy, error) {
	o, err := s.manage(ctx, actor, orgSlug)
	if err != nil {
		return nil, err
	}
	set := &kindred.PrivacySettings{OrgID: o.ID, ChatRetentionDays: chatRetentionDays, UpdatedAt: s.now().UTC()}
	if err := set.Validate(); err != nil {
		return nil, err
	}
	if err := s.store.SavePrivacySettings(ctx, set); err != nil {
		return nil, fmt.Errorf("save privacy settings: %w", err)
	}
	s.audit.Record(ctx, o.ID, actor.AccountID(), "privacy.settings", o.ID, fmt.Sprintf("chat_retention_days=%d", chatRetentionDays))
	return &OrgPrivacy{Org: o, Settings: set}, nil
}

// PrivacySettings returns an organisation's settings for anyone who may
// see the organisation (its transparency page says how long chat is kept);
// the caller checks that.
func (s *Service) PrivacySettings(ctx context.Context, orgID string) (*kindred.PrivacySettings, error) {
	return s.store.FindPrivacySettings(ctx, orgID)
}

// SweepChat deletes, for good, chat messages older than their
// organisation keeps them, and returns how many went. kindred serve runs
// it hourly.
func (s *Service) SweepChat(ctx context.Context) (int, error) {
	list, err := s.store.ListChatRetention(ctx)
	if err != nil {
		return 0, fmt.Errorf("sweep chat: %w", err)
	}
	total := 0
	now := s.now().UTC()
	for _, p := range list {
		n, err := s.store.DeleteChatBefore(ctx, p.OrgID, now.AddDate(0, 0, -p.ChatRetentionDays))
		total += n
		if err != nil {
			return total, fmt.Errorf("sweep chat: %w", err)
		}
	}
	return total, nil
}
