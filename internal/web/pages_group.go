package web

import (
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"kindred"
	"kindred/internal/groups"
)

type groupsData struct {
	Org    *kindred.Organization
	Groups []*groups.Place
}

func (s *Server) handleGroups(w http.ResponseWriter, r *http.Request) {
	o, list, err := s.svc.Groups.List(r.Context(), actorOf(r), r.PathValue("org"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	s.render(w, r, http.StatusOK, "groups", &page{Title: "Groups · " + o.Name, Org: o, Data: groupsData{Org: o, Groups: list}})
}

func (s *Server) groupFormPage(w http.ResponseWriter, r *http.Request, status int, f *form) {
	p, err := s.svc.Orgs.Get(r.Context(), actorOf(r), r.PathValue("org"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	if !actorOf(r).SignedIn() {
		s.fail(w, r, kindred.Errorf(kindred.EUNAUTHORIZED, "Please log in first."), p.Org)
		return
	}
	if !p.CanCreateGroup() {
		s.fail(w, r, kindred.Errorf(kindred.EFORBIDDEN, "Only admins and facilitators can start groups. If you'd like a new group, ask one of them."), p.Org)
		return
	}
	s.render(w, r, status, "group_new", &page{Title: "Start a group", Org: p.Org, Form: f, Data: p})
}

func (s *Server) handleGroupNewForm(w http.ResponseWriter, r *http.Request) {
	s.groupFormPage(w, r, http.StatusOK, newForm(r, nil))
}

func (s *Server) handleGroupCreate(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	d := kindred.GroupDraft{Name: r.PostFormValue("name"), Slug: r.PostFormValue("slug"), Topic: r.PostFormValue("topic"),
		Description: r.PostFormValue("description"), Guidelines: r.PostFormValue("guidelines"),
		Visibility: kindred.Visibility(r.PostFormValue("visibility")), AgeRule: kindred.AgeRule(r.PostFormValue("age_rule"))}
	p, err := s.svc.Groups.Create(r.Context(), actorOf(r), r.PathValue("org"), d)
	if s.formFailed(w, r, err, func(st int, f *form) { s.groupFormPage(w, r, st, f) }) {
		return
	}
	s.flash(w, "Your group is ready. Write a first post to welcome people.")
	http.Redirect(w, r, groupURL(p), http.StatusSeeOther)
}

// viewOptions reads the reader's one-off choices for a group or thread
// page: ?show=topics shows what their hidden topics hold back.
func viewOptions(r *http.Request) groups.ViewOptions {
	return groups.ViewOptions{RevealTopics: r.URL.Query().Get("show") == "topics"}
}

func groupURL(p *groups.Place) string { return "/o/" + p.Org.Slug + "/g/" + p.Group.Slug }

func threadURL(p *groups.Place, threadID string) string { return groupURL(p) + "/t/" + threadID }

type groupData struct {
	Place *groups.Place
	List  *groups.ThreadList // nil when the actor may not read
	Why   string             // why the conversations are not shown
}

func pageNumber(r *http.Request) int {
	q := r.URL.Query().Get("page")
	if q == "last" {
		return math.MaxInt32 // the service clamps to the last page
	}
	n, _ := strconv.Atoi(q)
	return max(n, 1)
}

func (s *Server) groupPage(w http.ResponseWriter, r *http.Request, status int, f *form) {
	actor := actorOf(r)
	p, err := s.svc.Groups.Get(r.Context(), actor, r.PathValue("org"), r.PathValue("group"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	d := groupData{Place: p}
	d.List, err = s.svc.Groups.ThreadsFor(r.Context(), actor, p.Org.Slug, p.Group.Slug, pageNumber(r), viewOptions(r))
	switch kindred.ErrorCode(err) {
	case "":
	case kindred.EFORBIDDEN, kindred.EAGE:
		d.Why = kindred.ErrorMessage(err)
	default:
		s.fail(w, r, err, p.Org)
		return
	}
	if f == nil {
		f = newForm(r, nil)
	}
	s.render(w, r, status, "group", &page{Title: p.Group.Name, Org: p.Org, Form: f, Data: d})
}

func (s *Server) handleGroup(w http.ResponseWriter, r *http.Request) {
	s.groupPage(w, r, http.StatusOK, nil)
}

func (s *Server) handleGroupJoin(w http.ResponseWriter, r *http.Request) {
	m, err := s.svc.Groups.Join(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("group"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	if m.Status == kindred.StatusPending {
		s.flash(w, "Your request to join is sent. A facilitator will look at it soon.")
	} else {
		s.flash(w, "You've joined the group. Welcome — read the group's agreements, then say hello whenever you're ready.")
	}
	http.Redirect(w, r, "/o/"+r.PathValue("org")+"/g/"+r.PathValue("group"), http.StatusSeeOther)
}

func (s *Server) handleGroupLeave(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.Groups.Leave(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("group")); err != nil {
		s.fail(w, r, err, nil)
		return
	}
	s.flash(w, "You've left the group.")
	http.Redirect(w, r, "/o/"+r.PathValue("org")+"/groups", http.StatusSeeOther)
}

type manageData struct {
	Place   *groups.Place
	Members []*kindred.GroupMember
}

func (s *Server) manageGroupPage(w http.ResponseWriter, r *http.Request, status int, f *form) {
	p, members, err := s.svc.Groups.Members(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("group"), "")
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	if f == nil {
		f = newForm(r, nil)
		g := p.Group
		f.Values = url.Values{"name": {g.Name}, "topic": {g.Topic}, "description": {g.Description}, "guidelines": {g.Guidelines},
			"visibility": {string(g.Visibility)}, "age_rule": {string(g.AgeRule)}}
	}
	s.render(w, r, status, "group_manage", &page{Title: "Manage · " + p.Group.Name, Org: p.Org, Form: f, Data: manageData{Place: p, Members: members}})
}

func (s *Server) handleGroupManage(w http.ResponseWriter, r *http.Request) {
	s.manageGroupPage(w, r, http.StatusOK, nil)
}

func (s *Server) handleGroupUpdate(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	name, topic, desc, guide := r.PostFormValue("name"), r.PostFormValue("topic"), r.PostFormValue("description"), r.PostFormValue("guidelines")
	vis, age := kindred.Visibility(r.PostFormValue("visibility")), kindred.AgeRule(r.PostFormValue("age_rule"))
	_, err := s.svc.Groups.Update(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("group"), kindred.GroupUpdate{
		Name: &name, Topic: &topic, Description: &desc, Guidelines: &guide, Visibility: &vis, AgeRule: &age})
	if s.formFailed(w, r, err, func(st int, f *form) { s.manageGroupPage(w, r, st, f) }) {
		return
	}
	s.flash(w, "Group settings saved.")
	http.Redirect(w, r, "/o/"+r.PathValue("org")+"/g/"+r.PathValue("group")+"/manage", http.StatusSeeOther)
}

func (s *Server) groupDone(w http.ResponseWriter, r *http.Request, err error, msg string) {
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	s.flash(w, msg)
	http.Redirect(w, r, "/o/"+r.PathValue("org")+"/g/"+r.PathValue("group")+"/manage", http.StatusSeeOther)
}

func (s *Server) handleGroupApprove(w http.ResponseWriter, r *http.Request) {
	_, err := s.svc.Groups.Approve(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("group"), r.PathValue("account"))
	s.groupDone(w, r, err, "Approved. They can read and post now.")
}

func (s *Server) handleGroupRemove(w http.ResponseWriter, r *http.Request) {
	err := s.svc.Groups.RemoveMember(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("group"), r.PathValue("account"))
	s.groupDone(w, r, err, "Removed from the group.")
}

func (s *Server) handleGroupRole(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	role := kindred.GroupRole(r.PostFormValue("role"))
	_, err := s.svc.Groups.SetMemberRole(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("group"), r.PathValue("account"), role)
	msg := "They are a member of the group now, no longer a facilitator."
	if role == kindred.GroupRoleFacilitator {
		msg = "They facilitate this group now."
	}
	s.groupDone(w, r, err, msg)
}

func (s *Server) handleThreadCreate(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	d := kindred.ThreadDraft{Kind: kindred.ThreadKind(r.PostFormValue("kind")), Title: r.PostFormValue("title"),
		Body: r.PostFormValue("body"), ContentWarning: r.PostFormValue("content_warning"), Anonymous: r.PostFormValue("anonymous") != ""}
	p, t, err := s.svc.Groups.StartThread(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("group"), d)
	if s.formFailed(w, r, err, func(st int, f *form) { s.groupPage(w, r, st, f) }) {
		return
	}
	s.posted(w, "thread-"+p.Group.ID)
	if t.Crisis {
		s.noteCrisis(w)
	}
	http.Redirect(w, r, threadURL(p, t.ID), http.StatusSeeOther)
}

// threadData is the thread page, flattened: the page renders dozens of
// posts, and html/template resolves fields of embedded structs by a slow
// reflective search, so everything a post shows is computed here once.
type threadData struct {
	Place                        *groups.Place // for breadcrumbs
	OrgSlug, GroupSlug, ThreadID string
	Title, KindLabel             string
	Replies, Page, Pages         int
	CanPost                      bool
	Posts                        []postRow
	// HiddenByTopics counts posts on this page held back by the reader's
	// hidden topics; RevealURL shows them this once.
	HiddenByTopics int
	RevealURL      string
	// Crisis holds crisis lines when the reader just wrote crisis
	// language here (pages_moderation.go).
	Crisis []supportResourceRow
}

type postRow struct {
	V                                              *threadData
	ID, AuthorName, AuthorPronouns, ContentWarning string
	Created, CreatedISO, CreatedTitle              string
	HTML                                           template.HTML
	Opening, Deleted, Edited, Mine, Anonymous      bool
	Masked, Unmasked, CanEdit, CanDelete           bool
	Reactions                                      []reactionButton
	// ReactionsHTML is the reaction buttons, written here rather than in
	// the template: they are most of a thread page's template actions, and
	// every value in them is an id, a number or a fixed label.
	ReactionsHTML template.HTML
	// PostURL is /o/{org}/g/{group}/p/{post}, the base of its actions.
	PostURL string
	// Rendered is the whole post, from the "post" template or the cache.
	Rendered template.HTML
	// HiddenNote tells the author why moderation keeps their post from
	// others. Such posts are rendered afresh, never cached.
	HiddenNote string
	// CanReveal offers a moderator the audited "Show who wrote this" on a
	// masked anonymous post; AvatarURL is the author's picture, when the
	// post names its author and the reader may see it. Both are in the
	// fragment key.
	CanReveal bool
	AvatarURL string
	// BlockURL and MuteURL are the author's block and mute pages; empty
	// for one's own, anonymous and deleted posts. They need no place in
	// the fragment key: they follow from the post (its author and thread),
	// PostURL and the Mine, Anonymous and Deleted flags, all in the key.
	BlockURL, MuteURL string
}

type reactionButton struct {
	Kind, Label, Next string // Next is "true" to add, "false" to take back
	Count             int
	Mine              bool
}

func (s *Server) threadData(v *groups.ThreadView) *threadData {
	now := s.now()
	d := &threadData{Place: v.Place, OrgSlug: v.Org.Slug, GroupSlug: v.Group.Slug, ThreadID: v.Thread.ID,
		Title: v.Thread.Title, KindLabel: v.Thread.Kind.Label(), Replies: v.Thread.ReplyCount, Page: v.Page, Pages: v.Pages,
		CanPost: v.CanPost, Posts: make([]postRow, len(v.Posts))}
	for i, p := range v.Posts {
		row := postRow{V: d, ID: p.ID, AuthorName: p.AuthorName, AuthorPronouns: p.AuthorPronouns, ContentWarning: p.ContentWarning,
			Created: ago(now, p.CreatedAt), CreatedISO: p.CreatedAt.UTC().Format(time.RFC3339),
			CreatedTitle: p.CreatedAt.UTC().Format("2 January 2006, 15:04 UTC"),
			HTML:         template.HTML(p.BodyHTML), // sanitized by internal/markup when stored
			Opening:      p.Opening, Deleted: p.Deleted(), Edited: p.EditedAt != nil, Mine: p.Mine, Anonymous: p.Anonymous,
			Masked: p.Masked, Unmasked: p.Unmasked, CanEdit: p.CanEdit, CanDelete: p.CanDelete}
		for _, k := range kindred.ReactionKinds {
			b := reactionButton{Kind: string(k), Label: k.Label(), Next: "true"}
			if p.Reactions != nil {
				b.Count, b.Mine = p.Reactions.Counts[k], p.Reactions.Mine[k]
			}
			if b.Mine {
				b.Next = "false"
			}
			row.Reactions = append(row.Reactions, b)
		}
		row.PostURL = "/o/" + d.OrgSlug + "/g/" + d.GroupSlug + "/p/" + p.ID
		row.HiddenNote = p.Hidden.Note()
		row.CanReveal = p.CanReveal
		if !p.Mine && !p.Anonymous && !p.Deleted() && p.AuthorID != "" {
			back := "/o/" + d.OrgSlug + "/g/" + d.GroupSlug + "/t/" + d.ThreadID
			row.BlockURL = personURL(d.OrgSlug, p.AuthorID, "block", back)
			row.MuteURL = personURL(d.OrgSlug, p.AuthorID, "mute", back)
		}
		row.ReactionsHTML = reactionsHTML(d, &row)
		d.Posts[i] = row
	}
	return d
}

func reactionsHTML(d *threadData, p *postRow) template.HTML {
	esc := template.HTMLEscapeString
	var b strings.Builder
	b.Grow(1024)
	action := esc(p.PostURL + "/react")
	page := strconv.Itoa(d.Page)
	for _, r := range p.Reactions {
		label := esc(r.Label)
		if r.Count > 0 {
			label += " · " + strconv.Itoa(r.Count)
		}
		if !d.CanPost {
			if r.Count > 0 {
				b.WriteString(`<span class="reaction small">` + label + `</span>`)
			}
			continue
		}
		b.WriteString(`<form class="inline" method="post" action="` + action + `">` +
			`<input type="hidden" name="kind" value="` + esc(r.Kind) + `"><input type="hidden" name="page" value="` + page + `">` +
			`<input type="hidden" name="on" value="` + r.Next + `">` +
			`<button class="reaction" type="submit" aria-pressed="` + strconv.FormatBool(r.Mine) + `">` + label + `</button></form>`)
	}
	return template.HTML(b.String())
}

func (s *Server) threadPage(w http.ResponseWriter, r *http.Request, status int, f *form) {
	v, err := s.svc.Groups.ThreadFor(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("group"), r.PathValue("thread"), pageNumber(r), viewOptions(r))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	if f == nil {
		f = newForm(r, nil)
	}
	d := s.threadData(v)
	s.addAvatars(r, v, d)
	d.HiddenByTopics = v.HiddenByTopics
	d.RevealURL = "?page=" + strconv.Itoa(v.Page) + "&show=topics"
	if s.takeCrisis(w, r) {
		d.Crisis = s.crisisLinesFor(r.Context(), v.Org)
	}
	for i := range d.Posts {
		if err := s.renderPost(&d.Posts[i]); err != nil {
			s.fail(w, r, err, v.Org)
			return
		}
	}
	s.render(w, r, status, "thread", &page{Title: v.Thread.Title, Org: v.Org, Form: f, Data: d})
}

// renderPost fills p.Rendered, from the fragment cache when the same post
// was shown the same way before.
func (s *Server) renderPost(p *postRow) error {
	if p.HiddenNote != "" { // seen by its author alone, and rarely: not worth a cache entry
		var b strings.Builder
		if err := s.pages["thread"].ExecuteTemplate(&b, "post", p); err != nil {
			return fmt.Errorf("render post: %w", err)
		}
		p.Rendered = template.HTML(b.String())
		return nil
	}
	key := s.fragments.postKey(p)
	if html, ok := s.fragments.get(key); ok {
		p.Rendered = template.HTML(html) // rendered by html/template below
		return nil
	}
	var b strings.Builder
	if err := s.pages["thread"].ExecuteTemplate(&b, "post", p); err != nil {
		return fmt.Errorf("render post: %w", err)
	}
	s.fragments.put(p.ID, key, b.String())
	p.Rendered = template.HTML(b.String())
	return nil
}

func (s *Server) handleThread(w http.ResponseWriter, r *http.Request) {
	s.threadPage(w, r, http.StatusOK, nil)
}

func (s *Server) handleReplyCreate(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	d := kindred.ReplyDraft{Body: r.PostFormValue("body"), ContentWarning: r.PostFormValue("content_warning"), Anonymous: r.PostFormValue("anonymous") != ""}
	org, group, thread := r.PathValue("org"), r.PathValue("group"), r.PathValue("thread")
	post, err := s.svc.Groups.Reply(r.Context(), actorOf(r), org, group, thread, d)
	if s.formFailed(w, r, err, func(st int, f *form) { s.threadPage(w, r, st, f) }) {
		return
	}
	s.posted(w, "reply-"+thread)
	if post.Crisis {
		s.noteCrisis(w)
	}
	http.Redirect(w, r, fmt.Sprintf("/o/%s/g/%s/t/%s?page=last#post-%s", org, group, thread, post.ID), http.StatusSeeOther)
}

type postEditData struct {
	Place  *groups.Place
	Thread *kindred.Thread
	Post   *groups.PostView
}

func (s *Server) postEditPage(w http.ResponseWriter, r *http.Request, status int, f *form) {
	p, t, post, err := s.svc.Groups.Post(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("group"), r.PathValue("post"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	if !post.CanEdit {
		s.fail(w, r, kindred.Errorf(kindred.EFORBIDDEN, "You can only edit your own posts."), p.Org)
		return
	}
	if f == nil {
		f = newForm(r, nil)
		f.Values = url.Values{"body": {post.Body}, "content_warning": {post.ContentWarning}}
	}
	s.render(w, r, status, "post_edit", &page{Title: "Edit your post", Org: p.Org, Form: f, Data: postEditData{Place: p, Thread: t, Post: post}})
}

func (s *Server) handlePostEditForm(w http.ResponseWriter, r *http.Request) {
	s.postEditPage(w, r, http.StatusOK, nil)
}

func (s *Server) handlePostEdit(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	org, group := r.PathValue("org"), r.PathValue("group")
	post, err := s.svc.Groups.EditPost(r.Context(), actorOf(r), org, group, r.PathValue("post"),
		kindred.PostEdit{Body: r.PostFormValue("body"), ContentWarning: r.PostFormValue("content_warning")})
	if s.formFailed(w, r, err, func(st int, f *form) { s.postEditPage(w, r, st, f) }) {
		return
	}
	s.fragments.forget(post.ID)
	if post.Crisis {
		s.noteCrisis(w)
	}
	s.flash(w, "Your post is updated.")
	http.Redirect(w, r, fmt.Sprintf("/o/%s/g/%s/t/%s#post-%s", org, group, post.ThreadID, post.ID), http.StatusSeeOther)
}

func (s *Server) handlePostDelete(w http.ResponseWriter, r *http.Request) {
	p, t, err := s.svc.Groups.DeletePost(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("group"), r.PathValue("post"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	s.fragments.forget(r.PathValue("post"))
	s.flash(w, "The post is deleted.")
	http.Redirect(w, r, threadURL(p, t.ID), http.StatusSeeOther)
}

func (s *Server) handlePostReact(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	org, group := r.PathValue("org"), r.PathValue("group")
	post, err := s.svc.Groups.React(r.Context(), actorOf(r), org, group, r.PathValue("post"),
		kindred.ReactionKind(r.PostFormValue("kind")), r.PostFormValue("on") != "false")
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/o/%s/g/%s/t/%s?page=%s#post-%s", org, group, post.ThreadID, r.PostFormValue("page"), post.ID), http.StatusSeeOther)
}

// addAvatars puts authors' pictures on the posts that name their author
// (never on anonymous ones), as far as the reader may see them.
func (s *Server) addAvatars(r *http.Request, v *groups.ThreadView, d *threadData) {
	var ids []string
	for _, p := range v.Posts {
		if !p.Anonymous && !p.Masked && p.AuthorID != "" {
			ids = append(ids, p.AuthorID)
		}
	}
	avatars, err := s.svc.Uploads.Avatars(r.Context(), actorOf(r), ids)
	if err != nil {
		s.logInternal(r, err) // the page is still worth showing without pictures
		return
	}
	for i, p := range v.Posts {
		if !p.Anonymous && !p.Masked {
			d.Posts[i].AvatarURL = avatars[p.AuthorID]
		}
	}
}

// postAuthorData is the page a moderator sees after asking who wrote an
// anonymous post.
type postAuthorData struct {
	Place     *groups.Place
	ThreadURL string
	Post      *groups.PostView
}

// handlePostReveal shows a moderator who wrote an anonymous post. It is a
// POST, not a link, because it records an audit entry; the answer is this
// page only, never cached (every response is no-store).
func (s *Server) handlePostReveal(w http.ResponseWriter, r *http.Request) {
	p, t, post, err := s.svc.Groups.RevealAuthor(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("group"), r.PathValue("post"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	s.render(w, r, http.StatusOK, "post_author", &page{Title: "Who wrote this post", Org: p.Org,
		Data: postAuthorData{Place: p, ThreadURL: threadURL(p, t.ID) + "#post-" + post.ID, Post: post}})
}
