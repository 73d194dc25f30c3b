package groups

import (
	"context"
	"fmt"

	"kindred"
)

// What a reader chose not to see (internal/blocks): people they blocked,
// who blocked them, or whom they muted, and content-warning topics.
//
// Hidden people's named threads and posts are left out by the store
// (ThreadFilter.HideAuthors, PostFilter.HideAuthors), which also keeps
// them out of reply counts and activity times, so neither pages nor counts
// reveal them. Anonymous posts are never left out: a post that vanished
// for the blocker alone would tell them who wrote it. Posts whose warning
// names a hidden topic are left out here and counted, so the page can say
// how many it held back and offer to show them once.

// ViewOptions are a reader's choices for one page view.
type ViewOptions struct {
	// RevealTopics shows, this once, what the reader's hidden topics
	// would hold back.
	RevealTopics bool
}

// readerFilter is what one reader does not see, read once per request.
type readerFilter struct {
	me      string
	authors []string
	hidden  map[string]bool
	topics  kindred.TopicSet
}

func (s *Service) readerFilter(ctx context.Context, actor *kindred.Actor) (*readerFilter, error) {
	f := &readerFilter{me: actor.AccountID(), hidden: map[string]bool{}}
	ids, err := s.store.HiddenFrom(ctx, f.me)
	if err != nil {
		return nil, fmt.Errorf("hidden people: %w", err)
	}
	for _, id := range ids {
		f.hidden[id] = true
	}
	f.authors = ids
	topics, err := s.store.ListHiddenTopics(ctx, f.me)
	if err != nil {
		return nil, fmt.Errorf("hidden topics: %w", err)
	}
	f.topics = kindred.NewTopicSet(topics)
	return f, nil
}

// hidesAuthor reports whether something written under the author's name
// is hidden from the reader. Anonymous words never are.
func (f *readerFilter) hidesAuthor(authorID string, anonymous bool) bool {
	return !anonymous && f.hidden[authorID]
}

// hidesTopic reports whether a warning names one of the reader's hidden
// topics. One's own words are never held back from oneself.
func (f *readerFilter) hidesTopic(authorID, contentWarning string) bool {
	return authorID != f.me && f.topics.Matches(contentWarning)
}

// visibleThread checks that the reader may see the thread at all (its
// opener is not hidden from them), and corrects its counts for what they
// do not see.
func (s *Service) visibleThread(ctx context.Context, actor *kindred.Actor, t *kindred.Thread) (*readerFilter, error) {
	f, err := s.readerFilter(ctx, actor)
	if err != nil {
		return nil, err
	}
	if f.hidesAuthor(t.AuthorID, t.Anonymous) {
		return nil, errNoThread
	}
	if err := s.store.HidePostsInThreads(ctx, []*kindred.Thread{t}, f.authors); err != nil {
		return nil, fmt.Errorf("hide posts: %w", err)
	}
	return f, nil
}

// visiblePost answers as for a missing post when the reader does not see
// the post's author.
func (s *Service) visiblePost(ctx context.Context, actor *kindred.Actor, post *kindred.Post) error {
	f, err := s.readerFilter(ctx, actor)
	if err != nil {
		return err
	}
	if f.hidesAuthor(post.AuthorID, post.Anonymous) {
		return errNoPost
	}
	return nil
}
