package web

import (
	"net/http"
)

// registerRoutes lists every URL Kindred serves. Every pattern registered
// here must have an entry in the authorization matrix test.
func (s *Server) registerRoutes(mux *http.ServeMux) error {
	h := func(pattern string, fn http.HandlerFunc) { s.handle(mux, pattern, fn) }

	// Instance.
	h("GET /{$}", s.handleHome)
	h("GET /healthz", s.handleHealth)
	s.handle(mux, "GET /static/{file...}", s.static)
	h("GET /setup", s.handleSetupForm)
	h("POST /setup", s.handleSetup)
	// "Get help now" (pages_help.go): public, and served from memory.
	h("GET /help", s.handleHelp)
	h("GET /o/{org}/help", s.handleOrgHelp)

	// Accounts.
	h("GET /signup", s.handleSignupForm)
	h("POST /signup", s.handleSignup)
	h("GET /login", s.handleLoginForm)
	h("POST /login", s.handleLogin)
	h("POST /logout", s.handleLogout)
	h("POST /logout-all", s.handleLogoutAll)
	h("GET /profile", s.handleProfile)
	h("GET /settings", s.handleSettings)
	h("POST /settings/profile", s.handleSettingsProfile)
	h("POST /settings/password", s.handleSettingsPassword)
	h("POST /settings/tokens", s.handleTokenCreate)
	h("POST /settings/tokens/{id}/delete", s.handleTokenDelete)

	// The private safety plan (pages_safety.go): its owner's only.
	h("GET /safety-plan", s.handleSafetyPlan)
	h("POST /safety-plan", s.handleSafetyPlanSave)
	h("GET /safety-plan/print", s.handleSafetyPlanPrint)
	h("POST /safety-plan/share", s.handleSafetyPlanShare)
	h("GET /safety-plan/shared/{account}", s.handleSafetyPlanShared)

	// Invitations.
	h("GET /invite/{code}", s.handleInvite)
	h("POST /invite/{code}", s.handleInviteAccept)

	// Organisations.
	h("GET /o/{org}", s.handleOrg)
	h("POST /o/{org}/join", s.handleOrgJoin)
	h("POST /o/{org}/leave", s.handleOrgLeave)
	h("POST /o/{org}/me", s.handleOrgMe)
	h("GET /o/{org}/admin", s.handleAdmin)
	h("POST /o/{org}/admin", s.handleAdminSettings)
	h("GET /o/{org}/admin/members", s.handleAdminMembers)
	h("POST /o/{org}/admin/members/{account}/roles", s.handleAdminRoles)
	h("POST /o/{org}/admin/members/{account}/approve", s.handleAdminApprove)
	h("POST /o/{org}/admin/members/{account}/remove", s.handleAdminRemove)
	h("GET /o/{org}/admin/invites", s.handleAdminInvites)
	h("POST /o/{org}/admin/invites", s.handleAdminInviteCreate)
	h("POST /o/{org}/admin/invites/{id}/revoke", s.handleAdminInviteRevoke)
	h("GET /o/{org}/admin/audit", s.handleAdminAudit)

	// Groups.
	h("GET /o/{org}/groups", s.handleGroups)
	h("GET /o/{org}/groups/new", s.handleGroupNewForm)
	h("POST /o/{org}/groups", s.handleGroupCreate)
	h("GET /o/{org}/g/{group}", s.handleGroup)
	h("POST /o/{org}/g/{group}/join", s.handleGroupJoin)
	h("POST /o/{org}/g/{group}/leave", s.handleGroupLeave)
	h("GET /o/{org}/g/{group}/manage", s.handleGroupManage)
	h("POST /o/{org}/g/{group}/manage", s.handleGroupUpdate)
	h("POST /o/{org}/g/{group}/members/{account}/approve", s.handleGroupApprove)
	h("POST /o/{org}/g/{group}/members/{account}/remove", s.handleGroupRemove)
	h("POST /o/{org}/g/{group}/members/{account}/role", s.handleGroupRole)

	// Threads and posts.
	h("POST /o/{org}/g/{group}/threads", s.handleThreadCreate)
	h("GET /o/{org}/g/{group}/t/{thread}", s.handleThread)
	h("POST /o/{org}/g/{group}/t/{thread}/replies", s.handleReplyCreate)
	h("GET /o/{org}/g/{group}/p/{post}/edit", s.handlePostEditForm)
	h("POST /o/{org}/g/{group}/p/{post}/edit", s.handlePostEdit)
	h("POST /o/{org}/g/{group}/p/{post}/delete", s.handlePostDelete)
	h("POST /o/{org}/g/{group}/p/{post}/react", s.handlePostReact)
	h("POST /o/{org}/g/{group}/p/{post}/reveal", s.handlePostReveal) // audited

	// Live sessions and chat.
	h("GET /o/{org}/g/{group}/sessions", s.handleSessions)
	h("GET /o/{org}/g/{group}/sessions.ics", s.handleSessionsCalendar)
	h("GET /o/{org}/g/{group}/sessions/new", s.handleSessionNewForm)
	h("POST /o/{org}/g/{group}/sessions", s.handleSessionCreate)
	h("GET /o/{org}/g/{group}/sessions/{session}", s.handleSession)
	h("GET /o/{org}/g/{group}/sessions/{session}/calendar.ics", s.handleSessionCalendar)
	h("POST /o/{org}/g/{group}/sessions/{session}/rsvp", s.handleSessionRSVP)
	h("POST /o/{org}/g/{group}/sessions/{session}/enter", s.handleSessionEnter)
	h("POST /o/{org}/g/{group}/sessions/{session}/cancel", s.handleSessionCancel)
	h("GET /rooms/{room}", s.handleRoom)
	h("POST /rooms/{room}/messages", s.handleRoomSend)
	h("POST /rooms/{room}/messages/{seq}/remove", s.handleRoomRemoveMessage)
	h("POST /rooms/{room}/people/{n}/mute", s.handleRoomMute)
	h("POST /rooms/{room}/people/{n}/remove", s.handleRoomRemovePerson)
	h("POST /rooms/{room}/end", s.handleRoomEnd)
	h("GET /o/{org}/messages", s.handleConversations)
	h("POST /o/{org}/messages", s.handleConversationOpen)
	// One WebSocket endpoint for every room (live_socket.go).
	h("GET "+LivePath, s.handleLive)

	// Training and sign-off (pages_training.go).
	s.trainingRoutes(h)
	// 1:1 peer support and supervision (pages_support.go).
	s.supportRoutes(h)
	// Safety, moderation and privacy (issue 5): an organisation's crisis
	// resources, phrase lists and transparency page (pages_orgsafety.go);
	// reports, the moderation queue and appeals (pages_moderation.go);
	// downloading and erasing one's data (pages_privacy.go); passkeys,
	// two-factor codes and sessions (pages_security.go); blocks, mutes and
	// hidden topics (pages_blocks.go); images (pages_uploads.go).
	s.orgSafetyRoutes(h)
	s.moderationRoutes(h)
	s.privacyRoutes(h)
	s.securityRoutes(h)
	s.blockRoutes(h)
	s.uploadRoutes(h)

	// JSON API and its OpenAPI document.
	s.api = s.registerAPI(mux)

	// Anything else is a kind 404 page.
	h("/", s.handleNotFound)
	return nil
}
