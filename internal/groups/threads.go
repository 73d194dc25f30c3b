package groups

import (
	"context"
	"fmt"

	"kindred"
	"kindred/internal/access"
)

// PostView is a post as one reader may see it. For an anonymous post the
// author fields are blank unless the reader wrote it, or moderates and
// asked to see who wrote it (RevealAuthor, audited).
type PostView struct {
	kindred.Post
	Mine      bool // the reader wrote it
	Masked    bool // anonymous, and the author is hidden from this reader
	Unmasked  bool // anonymous, shown to a moderator by RevealAuthor
	CanReveal bool // masked, and the reader may ask who wrote it (audited)
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
	// HiddenByTopics counts the threads on this page left out because
	// their opening warning names one of the reader's hidden topics.
	HiddenByTopics int
}

// ThreadView is a page of a thread as one reader sees it.
type ThreadView struct {
	*Place
	Thread  *kindred.Thread
	Posts   []*PostView // on page 1 the first is the opening post
	Page    int
	Pages   int
	CanPost bool
	// HiddenByTopics counts the posts on this page left out because their
	// warning names one of the reader's hidden topics (hidden.go).
	HiddenByTopics int
}

// maskThread hides an anonymous thread's author from everyone but its
// author. Moderators too: they see who wrote it only by asking, one post at
// a time, and each time is audited (RevealAuthor).
func (p *Place) maskThread(t *kindred.Thread) {
	if t.Anonymous && t.AuthorID != p.Subject.Account.ID {
		t.AuthorID, t.AuthorHandle, t.AuthorName = "", "", ""
	}
}

func (p *Place) viewPost(post *kindred.Post, opening bool) *PostView {
	v := &PostView{Post: *post, Opening: opening}
	v.Mine = post.AuthorID == p.Subject.Account.ID
	if post.Anonymous && !v.Mine {
		v.Masked = true
		v.CanReveal = p.Can(access.SeeAnonymous) && !post.Deleted()
		v.AuthorID, v.AuthorHandle, v.AuthorName, v.AuthorPronouns = "", "", "", ""
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
	return s.ThreadsFor(ctx, actor, orgSlug, groupSlug, page, ViewOptions{})
}

// ThreadsFor is Threads with the reader's choices for this view. Threads
// opened under the name of someone hidden from the reader are left out,
// and so are threads whose opening warning names a hidden topic, unless
// o.RevealTopics.
func (s *Service) ThreadsFor(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug string, page int, o ViewOptions) (*ThreadList, error) {
	p, err := s.readable(ctx, actor, orgSlug, groupSlug)
	if err != nil {
		return nil, err
	}
	rf, err := s.readerFilter(ctx, actor)
	if err != nil {
		return nil, err
	}
	page = max(page, 1)
	ts, err := s.store.ListThreads(ctx, kindred.ThreadFilter{GroupID: p.Group.ID, Limit: ThreadsPerPage + 1, Offset: (page - 1) * ThreadsPerPage,
		HideAuthors: rf.authors})
	if err != nil {
		return nil, fmt.Errorf("list threads: %w", err)
	}
	l := &ThreadList{Place: p, Page: page}
	if len(ts) > ThreadsPerPage {
		l.More, ts = true, ts[:ThreadsPerPage]
	}
	l.Threads = ts[:0]
	for _, t := range ts {
		if t.OpeningHidden != kindred.PostVisible && t.AuthorID != actor.AccountID() {
			continue // held back by moderation: as if it did not exist
		}
		if !o.RevealTopics && rf.hidesTopic(t.AuthorID, t.ContentWarning) {
			l.HiddenByTopics++
			continue
		}
		p.maskThread(t)
		l.Threads = append(l.Threads, t)
	}
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
	crisis := s.screen(ctx, p, post, d.Title+"\n"+d.ContentWarning+"\n"+d.Body)
	if err := s.store.CreateThread(ctx, t, post); err != nil {
		return nil, nil, fmt.Errorf("start thread: %w", err)
	}
	if crisis {
		t.Crisis = true
		s.raise(ctx, p, post)
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
	if p.Subject.SuspendedUntil != nil {
		return kindred.Errorf(kindred.EFORBIDDEN, "A moderator suspended you here until %s, so you can't post until then. You can still read, and you'll find the reason under My reports.",
			p.Subject.SuspendedUntil.UTC().Format("2 January 2006, 15:04 UTC"))
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
	if kindred.ErrorCode(err) == kindred.ENOTFOUND || (err == nil && t.GroupID != p.Group.ID) ||
		(err == nil && t.OpeningHidden != kindred.PostVisible && t.AuthorID != actor.AccountID()) {
		return nil, nil, errNoThread
	}
	if err != nil {
		return nil, nil, fmt.Errorf("find thread: %w", err)
	}
	return p, t, nil
}

// Thread returns a page (from 1) of a thread with its reactions.
func (s *Service) Thread(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug, threadID string, page int) (*ThreadView, error) {
	return s.ThreadFor(ctx, actor, orgSlug, groupSlug, threadID, page, ViewOptions{})
}

// ThreadFor is Thread with the reader's choices for this view. A thread
// opened under the name of someone hidden from the reader is not found;
// their named replies are left out (pages and counts included), and posts
// whose warning names a hidden topic are counted instead of shown, unless
// o.RevealTopics.
func (s *Service) ThreadFor(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug, threadID string, page int, o ViewOptions) (*ThreadView, error) {
	p, t, err := s.threadPlace(ctx, actor, orgSlug, groupSlug, threadID)
	if err != nil {
		return nil, err
	}
	rf, err := s.visibleThread(ctx, actor, t)
	if err != nil {
		return nil, err
	}
	total := t.ReplyCount + 1
	pages := max((total+PostsPerPage-1)/PostsPerPage, 1)
	page = min(max(page, 1), pages)
	posts, err := s.store.ListPosts(ctx, kindred.PostFilter{ThreadID: t.ID, Limit: PostsPerPage, Offset: (page - 1) * PostsPerPage,
		HideAuthors: rf.authors, ViewerID: actor.AccountID()})
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
		if !o.RevealTopics && rf.hidesTopic(post.AuthorID, post.ContentWarning) {
			v.HiddenByTopics++
			continue
		}
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
	if _, err := s.visibleThread(ctx, actor, t); err != nil {
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
	crisis := s.screen(ctx, p, post, d.ContentWarning+"\n"+d.Body)
	if err := s.store.CreatePost(ctx, post); err != nil {
		return nil, fmt.Errorf("reply: %w", err)
	}
	if crisis {
		post.Crisis = true
		s.raise(ctx, p, post)
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
	if kindred.ErrorCode(err) == kindred.ENOTFOUND ||
		(err == nil && post.Hidden != kindred.PostVisible && post.AuthorID != actor.AccountID()) {
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

// RevealAuthor shows a moderator who wrote an anonymous post. Nobody sees
// it in passing: each reveal is a deliberate request, for one post, and
// writes one audit record (ids only). People without access.SeeAnonymous
// get EFORBIDDEN; a post that is not anonymous has nothing to reveal.
func (s *Service) RevealAuthor(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug, postID string) (*Place, *kindred.Thread, *PostView, error) {
	p, t, post, err := s.postPlace(ctx, actor, orgSlug, groupSlug, postID)
	if err != nil {
		return nil, nil, nil, err
	}
	if !p.Can(access.SeeAnonymous) {
		return nil, nil, nil, kindred.Errorf(kindred.EFORBIDDEN, "Only the organisation's moderators and admins can see who wrote an anonymous post.")
	}
	if !post.Anonymous || post.Deleted() {
		return nil, nil, nil, kindred.Errorf(kindred.EINVALID, "This post isn't anonymous, so there is nothing to reveal.")
	}
	s.audit.Record(ctx, p.Org.ID, actor.AccountID(), "post.reveal_author", post.ID, "thread "+t.ID)
	p.maskThread(t)
	v := &PostView{Post: *post, Opening: post.ID == t.OpeningPost, Mine: post.AuthorID == actor.AccountID(), Unmasked: true}
	return p, t, v, nil
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
	if s.screen(ctx, p, updated, e.ContentWarning+"\n"+e.Body) {
		if updated.Hidden != post.Hidden {
			if err := s.store.SetPostHidden(ctx, updated.ID, updated.Hidden); err != nil {
				return nil, fmt.Errorf("hold post: %w", err)
			}
		}
		updated.Crisis = true
		s.raise(ctx, p, updated)
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
	if err := s.visiblePost(ctx, actor, post); err != nil {
		return nil, err
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

// screen scans what is about to be posted for crisis language. When the
// organisation holds such posts for review, a post not already hidden is
// held (its author still sees it, marked). It reports whether the words
// hold crisis language.
func (s *Service) screen(ctx context.Context, p *Place, post *kindred.Post, text string) bool {
	if s.crisis == nil {
		return false
	}
	crisis, hold := s.crisis.ScreenCrisis(ctx, p.Org.ID, text)
	if crisis && hold && post.Hidden == kindred.PostVisible {
		post.Hidden = kindred.HiddenCrisisHold
	}
	return crisis
}

// raise tells moderation about crisis language in a stored post, after the
// commit; it never fails the posting.
func (s *Service) raise(ctx context.Context, p *Place, post *kindred.Post) {
	s.crisis.RaiseCrisis(ctx, kindred.CrisisFlag{OrgID: p.Org.ID, Kind: kindred.TargetPost, TargetID: post.ID,
		ContextID: post.ThreadID, AuthorID: post.AuthorID})
}
