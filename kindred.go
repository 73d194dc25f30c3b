// Package kindred holds Kindred's vocabulary: the entities of a peer support
// community, their drafts and updates with validation, the error codes every
// layer speaks, the actor carried through a request, and the interfaces with
// more than one implementation (the Store). It imports only the standard
// library, so every other package can depend on it.
package kindred

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error codes. They are stable strings: the JSON API returns them and the web
// layer maps them to HTTP statuses in one place.
const (
	ECONFLICT     = "conflict"       // the thing exists already, or changed under us
	EFORBIDDEN    = "forbidden"      // signed in and can see it, but may not do this
	EINTERNAL     = "internal"       // our fault; details are logged, never shown
	EINVALID      = "invalid"        // the input needs fixing; Fields says where
	ENOTFOUND     = "not_found"      // does not exist, or is hidden from the actor
	ERATELIMIT    = "rate_limited"   // slow down
	EUNAUTHORIZED = "unauthorized"   // needs a signed-in person
	ETOOLARGE     = "too_large"      // the request body is over its limit
	EUNAVAILABLE  = "unavailable"    // temporarily cannot serve, try again later
	EGONE         = "gone"           // an invitation that expired or is used up
	ECSRF         = "cross_origin"   // a cross-origin state-changing request
	EAGE          = "age_restricted" // the space is for another age band
)

// Error is an error a person should read. Message is written for the person
// affected; Fields maps a form field to what is wrong with it.
type Error struct {
	Code    string
	Message string
	Fields  map[string]string
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("kindred: %s: %s", e.Code, e.Message)
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return fmt.Sprintf("kindred: %s: %s (%s)", e.Code, e.Message, strings.Join(keys, ", "))
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the person-readable message of err, or a kind generic
// message for internal errors (whose details must not leak).
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong on our side. Nothing you did caused it; please try again in a moment."
}

// ErrorFields returns the per-field messages of err, if any.
func ErrorFields(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Invalid collects per-field problems while validating a draft.
type Invalid map[string]string

// Add records a problem with field unless one is already recorded.
func (v Invalid) Add(field, message string) {
	if _, ok := v[field]; !ok {
		v[field] = message
	}
}

// Err returns nil when nothing was recorded, or an EINVALID *Error.
func (v Invalid) Err() error {
	if len(v) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "Some of what you entered needs another look.", Fields: map[string]string(v)}
}

// NewID returns a random public identifier: 128 bits from crypto/rand in
// lowercase base32 without padding (26 characters). Identifiers are never
// sequential, so they reveal neither counts nor order.
func NewID() string {
	return newRandom(16)
}

// NewSecret returns a 256-bit random secret (session tokens, invitation
// codes, API tokens) in lowercase base32.
func NewSecret() string {
	return newRandom(32)
}

var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

func newRandom(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return strings.ToLower(idEncoding.EncodeToString(b))
}

// Actor is the person (or API client) on whose behalf a request runs.
// A nil *Actor is an anonymous visitor.
type Actor struct {
	Account   *Account
	SessionID string // empty when authenticated by an API token
	TokenID   string // empty when authenticated by a session
}

// AccountID returns the actor's account id, or "" for a visitor.
func (a *Actor) AccountID() string {
	if a == nil || a.Account == nil {
		return ""
	}
	return a.Account.ID
}

// SignedIn reports whether the actor is a signed-in person.
func (a *Actor) SignedIn() bool { return a.AccountID() != "" }

type actorKey struct{}

// WithActor returns a copy of ctx carrying the actor.
func WithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor carried by ctx, or nil for a visitor.
func ActorFrom(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}

// runeLen counts characters as a person does, not bytes.
func runeLen(s string) int { return len([]rune(s)) }

// checkLen records a problem when s is longer than max characters.
func checkLen(v Invalid, field, s string, max int) {
	if runeLen(s) > max {
		v.Add(field, fmt.Sprintf("Please keep this to %d characters or fewer (it is %d now).", max, runeLen(s)))
	}
}

// checkRequired records a problem when s is blank.
func checkRequired(v Invalid, field, s, what string) {
	if strings.TrimSpace(s) == "" {
		v.Add(field, fmt.Sprintf("Please add %s.", what))
	}
}
