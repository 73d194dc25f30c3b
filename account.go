package kindred

import (
	"regexp"
	"strings"
	"time"
)

// AgeBand is chosen at sign-up. Nothing more precise is ever asked.
type AgeBand string

const (
	AgeYouth      AgeBand = "13-17"
	AgeYoungAdult AgeBand = "18-24"
	AgeAdult      AgeBand = "25+"
)

// AgeBands lists the bands in the order a form shows them.
var AgeBands = []AgeBand{AgeYouth, AgeYoungAdult, AgeAdult}

// Valid reports whether b is one of the known bands.
func (b AgeBand) Valid() bool {
	return b == AgeYouth || b == AgeYoungAdult || b == AgeAdult
}

// IsMinor reports whether the band is 13–17.
func (b AgeBand) IsMinor() bool { return b == AgeYouth }

// Account is one person. Handle is unique on the instance and only for
// display and log-in; ID is the random public identifier.
type Account struct {
	ID           string
	Handle       string // as typed at sign-up, e.g. "RiverSong"
	DisplayName  string
	Pronouns     string
	Bio          string
	Email        string // optional; never shown to others
	AgeBand      AgeBand
	PasswordHash string // PHC string; never leaves the server
	IsOperator   bool   // instance operator: may create organisations
	// Discreet is the person's choice about discreet mode (safety.go).
	Discreet    DiscreetMode
	CreatedAt   time.Time
	SuspendedAt *time.Time
}

// Name is what others see: the display name, or the handle when none is set.
func (a *Account) Name() string {
	if a.DisplayName != "" {
		return a.DisplayName
	}
	return a.Handle
}

// Text field limits, shared by validation, forms and the API schema.
const (
	MaxHandle      = 30
	MinHandle      = 3
	MaxDisplayName = 60
	MaxPronouns    = 40
	MaxBio         = 500
	MaxEmail       = 254
	MinPassword    = 10
	MaxPassword    = 256
	MaxTokenName   = 60
)

var handlePattern = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

// NormalizeHandle returns the form of a handle used for uniqueness and
// look-up: trimmed, without a leading @, lower case.
func NormalizeHandle(h string) string {
	return strings.ToLower(strings.TrimPrefix(strings.TrimSpace(h), "@"))
}

// SignupDraft is what a person types to create an account. Only a handle,
// a password and an age band are required.
type SignupDraft struct {
	Handle      string
	Password    string
	AgeBand     AgeBand
	DisplayName string
	Pronouns    string
	Email       string
}

// Validate checks the draft and returns an EINVALID error naming each field.
func (d *SignupDraft) Validate() error {
	v := Invalid{}
	d.Handle = strings.TrimPrefix(strings.TrimSpace(d.Handle), "@")
	d.DisplayName = strings.TrimSpace(d.DisplayName)
	d.Pronouns = strings.TrimSpace(d.Pronouns)
	d.Email = strings.TrimSpace(d.Email)
	switch {
	case d.Handle == "":
		v.Add("handle", "Please choose a handle. It does not need to be your real name.")
	case runeLen(d.Handle) < MinHandle || runeLen(d.Handle) > MaxHandle:
		v.Add("handle", "A handle is 3 to 30 characters long.")
	case !handlePattern.MatchString(d.Handle):
		v.Add("handle", "A handle can use letters, numbers and underscores.")
	}
	switch {
	case d.Password == "":
		v.Add("password", "Please choose a password.")
	case runeLen(d.Password) < MinPassword:
		v.Add("password", "Please use at least 10 characters. A few words you will remember work well.")
	case len(d.Password) > MaxPassword:
		v.Add("password", "That password is longer than we can accept (256 characters at most).")
	}
	if !d.AgeBand.Valid() {
		v.Add("age_band", "Please choose your age group. We use it to keep youth and adult spaces safe.")
	}
	checkLen(v, "display_name", d.DisplayName, MaxDisplayName)
	checkLen(v, "pronouns", d.Pronouns, MaxPronouns)
	checkEmail(v, d.Email)
	return v.Err()
}

func checkEmail(v Invalid, email string) {
	if email == "" {
		return
	}
	checkLen(v, "email", email, MaxEmail)
	at := strings.LastIndex(email, "@")
	if at < 1 || at == len(email)-1 || strings.ContainsAny(email, " \t\r\n<>") {
		v.Add("email", "That does not look like an email address. You can leave it empty.")
	}
}

// ProfileUpdate changes what others see of a person. Nil fields are left alone.
type ProfileUpdate struct {
	DisplayName *string
	Pronouns    *string
	Bio         *string
	Email       *string
}

// Validate trims and checks the update.
func (u *ProfileUpdate) Validate() error {
	v := Invalid{}
	trim := func(p *string) {
		if p != nil {
			*p = strings.TrimSpace(*p)
		}
	}
	trim(u.DisplayName)
	trim(u.Pronouns)
	trim(u.Bio)
	trim(u.Email)
	if u.DisplayName != nil {
		checkLen(v, "display_name", *u.DisplayName, MaxDisplayName)
	}
	if u.Pronouns != nil {
		checkLen(v, "pronouns", *u.Pronouns, MaxPronouns)
	}
	if u.Bio != nil {
		checkLen(v, "bio", *u.Bio, MaxBio)
	}
	if u.Email != nil {
		checkEmail(v, *u.Email)
	}
	return v.Err()
}

// AccountUpdate is what the store may change on an account.
type AccountUpdate struct {
	ProfileUpdate
	PasswordHash *string
	SuspendedAt  **time.Time
	Discreet     *DiscreetMode
}

// Session is a signed-in browser. The cookie holds a secret; the store keeps
// only its SHA-256 (ID), so a leaked database cannot be used to sign in.
type Session struct {
	ID         string // hex SHA-256 of the cookie secret
	AccountID  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	Label      string // coarse device label, e.g. "Firefox on Android"; no IP
	// TwoStep is how the session passed the second sign-in step
	// (TwoStepTOTP, TwoStepPasskey…), or "" when only a password is behind it.
	TwoStep string
}

// Token is a personal access token for the API. Like sessions, only a hash
// of the secret is stored.
type Token struct {
	ID         string
	AccountID  string
	Name       string
	Hash       string // hex SHA-256 of the secret
	CreatedAt  time.Time
	LastUsedAt *time.Time
}
