package groups

import (
	"context"
	"fmt"

	"kindred"
	"kindred/internal/access"
)

// PostView is a post as one reader may see it. For an anonymous post the
// author fields are blank unless the reader wrote it or moderates.
type PostView struct {
	kindred.Post
	Mine      bool // the reader wrote it
	Masked    bool // anonymous, and the author is hidden from this reader
	Unmasked  bool // anonymous, but shown to this reader because they moderate
	Opening   bool // the thread's first post
	CanEdit   bool
	CanDelete bool
	Reactions *kindred.ReactionSummary
}

// ThreadList is a page of a group's threads.
type ThreadList struct {
	*Place
	Threads []*kindred.Thread
	Page    int
	More    bool
}

// ThreadView is a page of a thread as one reader sees it.
type ThreadView struct {
	*Place
	Thread  *kindred.Thread
	Posts   []*PostView // on page 1 the first is the opening post
	Page    int
	Pages   int
	CanPost bool
}

func (p *Place) maskThread(t *kindred.Thread) {
	if t.Anonymous && t.AuthorID != p.Subject.Account.ID && !p.Can(access.SeeAnonymous) {
		t.AuthorID, t.AuthorHandle, t.AuthorName = "", "", ""
	}
}

func (p *Place) viewPost(post *kindred.Post, opening bool) *PostView {
	v := &PostView{Post: *post, Opening: opening}
	v.Mine = post.AuthorID == p.Subject.Account.ID
	if post.Anonymous && !v.Mine {
		if p.Can(access.SeeAnonymous) {
			v.Unmasked = true
		} else {
			v.Masked = true
			v.AuthorID, v.AuthorHandle, v.AuthorName, v.AuthorPronouns = "", "", "", ""
		}
	}
	if !post.Deleted() {
		v.CanEdit = v.Mine && p.Can(access.EditOwnPost)
		v.CanDelete = (v.Mine && p.Can(access.DeleteOwnPost)) || p.Can(access.ModerateGroup)
	}
	return v
}

func (s *Service) readable(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug string) (*Place, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	p, err := s.place(ctx, actor, orgSlug, groupSlug)
	if err != nil {
		return nil, err
	}
	if !p.Can(access.ReadGroup) {
		return nil, cannotRead(p)
	}
	return p, nil
}

func cannotRead(p *Place) error {
	switch {
	case !p.AgeFits():
		return kindred.Errorf(kindred.EAGE, "This group is %s, so its conversations are only open to its members.", ageWords(p.Group.AgeRule))
	case p.IsPending():
		return kindred.Errorf(kindred.EFORBIDDEN, "Your request to join is waiting for a facilitator. You'll be able to read along once it's approved.")
	}
	return kindred.Errorf(kindred.EFORBIDDEN, "Conversations in this group are for its members. You can ask to join.")
}

// Threads returns a page (from 1) of a group's threads, most recent first.
func (s *Service) Threads(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug string, page int) (*ThreadList, error) {
	p, err := s.readable(ctx, actor, orgSlug, groupSlug)
	if err != nil {
		return nil, err
	}
	page = max(page, 1)
	ts, err := s.store.ListThreads(ctx, kindred.ThreadFilter{GroupID: p.Group.ID, Limit: ThreadsPerPage + 1, Offset: (page - 1) * ThreadsPerPage})
	if err != nil {
		return nil, fmt.Errorf("list threads: %w", err)
	}
	l := &ThreadList{Place: p, Page: page}
	if len(ts) > ThreadsPerPage {
		l.More, ts = true, ts[:ThreadsPerPage]
	}
	for _, t := range ts {
		p.maskThread(t)
	}
	l.Threads = ts
	return l, nil
}

// StartThread posts a story, question or check-in in a group.
func (s *Service) StartThread(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug string, d kindred.ThreadDraft) (*Place, *kindred.Thread, error) {
	p, err := s.postable(ctx, actor, orgSlug, groupSlug)
	if err != nil {
		return nil, nil, err
	}
	if err := d.Validate(); err != nil {
		return nil, nil, err
	}
	if !s.posts.Allow(actor.AccountID()) {
		return nil, nil, errTooFast
	}
	now := s.now().UTC()
	t := &kindred.Thread{ID: kindred.NewID(), GroupID: p.Group.ID, Kind: d.Kind, Title: d.Title,
		AuthorID: actor.AccountID(), Anonymous: d.Anonymous, CreatedAt: now, LastPostAt: now}
	post := &kindred.Post{ID: kindred.NewID(), ThreadID: t.ID, AuthorID: actor.AccountID(), Anonymous: d.Anonymous,
		Body: d.Body, BodyHTML: s.render.Render(d.Body), ContentWarning: d.ContentWarning, CreatedAt: now}
	if err := s.store.CreateThread(ctx, t, post); err != nil {
		return nil, nil, fmt.Errorf("start thread: %w", err)
	}
	return p, t, nil
}

var errTooFast = kindred.Errorf(kindred.ERATELIMIT, "You're posting faster than we allow. Please take a breath and try again in a minute — your words are still here.")

func (s *Service) postable(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug string) (*Place, error) {
	p, err := s.readable(ctx, actor, orgSlug, groupSlug)
	if err != nil {
		return nil, err
	}
	if !p.Can(access.PostInGroup) {
		return nil, cannotPost(p)
	}
	return p, nil
}

func cannotPost(p *Place) error {
	if p.Subject.Account != nil && p.Subject.Account.SuspendedAt != nil {
		return kindred.Errorf(kindred.EFORBIDDEN, "Your account is suspended, so you can't post right now.")
	}
	return kindred.Errorf(kindred.EFORBIDDEN, "Join this group to post and reply.")
}

// threadPlace loads a thread and checks it belongs to the group named in
// the path, and that the actor can read it.
func (s *Service) threadPlace(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug, threadID string) (*Place, *kindred.Thread, error) {
	p, err := s.readable(ctx, actor, orgSlug, groupSlug)
	if err != nil {
		return nil, nil, err
	}
	t, err := s.store.FindThread(ctx, threadID)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND || (err == nil && t.GroupID != p.Group.ID) {
		return nil, nil, errNoThread
	}
	if err != nil {
		return nil, nil, fmt.Errorf("find thread: %w", err)
	}
	return p, t, nil
}

// Thread returns a page (from 1) of a thread with its reactions.
func (s *Service) Thread(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug, threadID string, page int) (*ThreadView, error) {
	p, t, err := s.threadPlace(ctx, actor, orgSlug, groupSlug, threadID)
	if err != nil {
		return nil, err
	}
	total := t.ReplyCount + 1
	pages := max((total+PostsPerPage-1)/PostsPerPage, 1)
	page = min(max(page, 1), pages)
	posts, err := s.store.ListPosts(ctx, kindred.PostFilter{ThreadID: t.ID, Limit: PostsPerPage, Offset: (page - 1) * PostsPerPage})
	if err != nil {
		return nil, fmt.Errorf("list posts: %w", err)
	}
	ids := make([]string, len(posts))
	for i, post := range posts {
		ids[i] = post.ID
	}
	sums, err := s.store.SummarizeReactions(ctx, ids, actor.AccountID())
	if err != nil {
		return nil, fmt.Errorf("reactions: %w", err)
	}
	p.maskThread(t)
	v := &ThreadView{Place: p, Thread: t, Page: page, Pages: pages, CanPost: p.Can(access.PostInGroup)}
	for _, post := range posts {
		pv := p.viewPost(post, post.ID == t.OpeningPost)
		pv.Reactions = sums[post.ID]
		v.Posts = append(v.Posts, pv)
	}
	return v, nil
}

// Reply adds a reply to a thread.
func (s *Service) Reply(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug, threadID string, d kindred.ReplyDraft) (*PostView, error) {
	p, t, err := s.threadPlace(ctx, actor, orgSlug, groupSlug, threadID)
	if err != nil {
		return nil, err
	}
	if !p.Can(access.PostInGroup) {
		return nil, cannotPost(p)
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if !s.posts.Allow(actor.AccountID()) {
		return nil, errTooFast
	}
	post := &kindred.Post{ID: kindred.NewID(), ThreadID: t.ID, AuthorID: actor.AccountID(), Anonymous: d.Anonymous,
		Body: d.Body, BodyHTML: s.render.Render(d.Body), ContentWarning: d.ContentWarning, CreatedAt: s.now().UTC()}
	if err := s.store.CreatePost(ctx, post); err != nil {
		return nil, fmt.Errorf("reply: %w", err)
	}
	return p.viewPost(post, false), nil
}

// postPlace loads a post, its thread and group, checking the path.
func (s *Service) postPlace(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug, postID string) (*Place, *kindred.Thread, *kindred.Post, error) {
	// The group is checked before the post is looked up, so whether a post
	// id exists is never revealed to someone who may not read the group.
	p, err := s.readable(ctx, actor, orgSlug, groupSlug)
	if err != nil {
		return nil, nil, nil, err
	}
	post, err := s.store.FindPost(ctx, postID)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil, nil, nil, errNoPost
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("find post: %w", err)
	}
	t, err := s.store.FindThread(ctx, post.ThreadID)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND || (err == nil && t.GroupID != p.Group.ID) {
		return nil, nil, nil, errNoPost
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("find thread: %w", err)
	}
	return p, t, post, nil
}

// Post returns one post as the actor sees it (for the edit form).
func (s *Service) Post(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug, postID string) (*Place, *kindred.Thread, *PostView, error) {
	p, t, post, err := s.postPlace(ctx, actor, orgSlug, groupSlug, postID)
	if err != nil {
		return nil, nil, nil, err
	}
	p.maskThread(t)
	return p, t, p.viewPost(post, post.ID == t.OpeningPost), nil
}

// EditPost changes the text of one's own post.
func (s *Service) EditPost(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug, postID string, e kindred.PostEdit) (*PostView, error) {
	p, t, post, err := s.postPlace(ctx, actor, orgSlug, groupSlug, postID)
	if err != nil {
		return nil, err
	}
	if post.Deleted() {
		return nil, errNoPost
	}
	if post.AuthorID != actor.AccountID() {
		return nil, kindred.Errorf(kindred.EFORBIDDEN, "You can only edit your own posts.")
	}
	if !p.Can(access.EditOwnPost) {
		return nil, cannotPost(p)
	}
	if err := e.Validate(); err != nil {
		return nil, err
	}
	updated, err := s.store.UpdatePost(ctx, post.ID, kindred.PostUpdate{Body: e.Body, BodyHTML: s.render.Render(e.Body),
		ContentWarning: e.ContentWarning, EditedAt: s.now().UTC()})
	if err != nil {
		return nil, fmt.Errorf("edit post: %w", err)
	}
	s.postChanged(ctx, updated.ID)
	return p.viewPost(updated, updated.ID == t.OpeningPost), nil
}

// DeletePost deletes one's own post, or, for moderators and the group's
// facilitators, anyone's (audited). Replies to it stay.
func (s *Service) DeletePost(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug, postID string) (*Place, *kindred.Thread, error) {
	p, t, post, err := s.postPlace(ctx, actor, orgSlug, groupSlug, postID)
	if err != nil {
		return nil, nil, err
	}
	if post.Deleted() {
		return p, t, nil
	}
	mine := post.AuthorID == actor.AccountID()
	switch {
	case mine && p.Can(access.DeleteOwnPost):
	case p.Can(access.ModerateGroup):
	default:
		return nil, nil, kindred.Errorf(kindred.EFORBIDDEN, "You can only delete your own posts.")
	}
	if err := s.store.DeletePost(ctx, post.ID, actor.AccountID(), s.now().UTC()); err != nil {
		return nil, nil, fmt.Errorf("delete post: %w", err)
	}
	action := "post.delete_own"
	if !mine {
		action = "post.remove"
	}
	s.audit.Record(ctx, p.Org.ID, actor.AccountID(), action, post.ID, "thread "+t.ID)
	s.postChanged(ctx, post.ID)
	return p, t, nil
}

// postChanged tells every node that a post's text changed, so none keeps
// serving (or keeping in memory) its old rendering.
func (s *Service) postChanged(ctx context.Context, postID string) {
	if s.broker == nil {
		return
	}
	if err := s.broker.Publish(context.WithoutCancel(ctx), kindred.PostsTopic, []byte(postID)); err != nil {
		s.log.ErrorContext(ctx, "post change not announced", "err", err)
	}
}

// React adds (on) or takes back (off) a supportive reaction.
func (s *Service) React(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug, postID string, kind kindred.ReactionKind, on bool) (*PostView, error) {
	p, t, post, err := s.postPlace(ctx, actor, orgSlug, groupSlug, postID)
	if err != nil {
		return nil, err
	}
	if !kind.Valid() {
		return nil, &kindred.Error{Code: kindred.EINVALID, Message: "Unknown reaction.",
			Fields: map[string]string{"kind": "Choose “me too”, “sending strength” or “thank you for sharing”."}}
	}
	if !p.Can(access.PostInGroup) {
		return nil, cannotPost(p)
	}
	if post.Deleted() {
		return nil, errNoPost
	}
	if on {
		err = s.store.AddReaction(ctx, &kindred.Reaction{PostID: post.ID, AccountID: actor.AccountID(), Kind: kind, CreatedAt: s.now().UTC()})
	} else {
		err = s.store.RemoveReaction(ctx, post.ID, actor.AccountID(), kind)
		if kindred.ErrorCode(err) == kindred.ENOTFOUND {
			err = nil
		}
	}
	if err != nil {
		return nil, fmt.Errorf("react: %w", err)
	}
	sums, err := s.store.SummarizeReactions(ctx, []string{post.ID}, actor.AccountID())
	if err != nil {
		return nil, fmt.Errorf("react: %w", err)
	}
	v := p.viewPost(post, post.ID == t.OpeningPost)
	v.Reactions = sums[post.ID]
	return v, nil
}
