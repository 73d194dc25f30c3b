package accounts

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Two-step codes are TOTP (RFC 6238) over HOTP (RFC 4226), the scheme every
// authenticator app speaks: HMAC-SHA1, 30-second steps, 6 digits. Written
// here on the standard library; the RFC's test vectors are in the tests.

const (
	totpPeriod = 30 // seconds per step
	totpDigits = 6
	totpSkew   = 1 // steps either side accepted, for phone clocks a little off
)

var base32NoPad = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewTOTPSecret returns 20 random bytes (160 bits, as RFC 4226 advises).
func NewTOTPSecret() []byte {
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	return b
}

// TOTPStep returns the 30-second step t falls in.
func TOTPStep(t time.Time) int64 { return t.Unix() / totpPeriod }

// HOTP returns the RFC 4226 code of key at counter with the given digits.
func HOTP(key []byte, counter uint64, digits int) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, bin%mod)
}

// TOTPCode returns the 6-digit code of secret at time t, as an app shows it.
func TOTPCode(secret []byte, t time.Time) string {
	return HOTP(secret, uint64(TOTPStep(t)), totpDigits)
}

// matchTOTP returns the step whose code matches, looking ±totpSkew steps
// around now, or -1. Every candidate is compared in constant time.
func matchTOTP(secret []byte, code string, now time.Time) int64 {
	code = normalizeCode(code)
	if len(code) != totpDigits {
		return -1
	}
	found := int64(-1)
	step := TOTPStep(now)
	for d := int64(-totpSkew); d <= totpSkew; d++ {
		if hmac.Equal([]byte(HOTP(secret, uint64(step+d), totpDigits)), []byte(code)) && found < 0 {
			found = step + d
		}
	}
	return found
}

// normalizeCode drops the spaces and dashes people type or paste.
func normalizeCode(code string) string {
	return strings.ToLower(strings.NewReplacer(" ", "", "-", "", "\t", "").Replace(strings.TrimSpace(code)))
}

// EncodeTOTPSecret is the base32 text an app accepts when typed.
func EncodeTOTPSecret(secret []byte) string { return base32NoPad.EncodeToString(secret) }

// DecodeTOTPSecret reads base32 text (spaces and case ignored).
func DecodeTOTPSecret(s string) ([]byte, error) {
	return base32NoPad.DecodeString(strings.ToUpper(strings.ReplaceAll(s, " ", "")))
}

// GroupSecret splits the base32 text into groups of four, easier to type.
func GroupSecret(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// OTPAuthURI is the otpauth:// link apps read (Key Uri Format). The label
// names the instance and the handle only, nothing about what Kindred is
// for, because people's phones are seen by others.
func OTPAuthURI(issuer, handle string, secret []byte) string {
	label := url.PathEscape(issuer + ":" + handle)
	q := url.Values{"secret": {EncodeTOTPSecret(secret)}, "issuer": {issuer}, "algorithm": {"SHA1"},
		"digits": {fmt.Sprint(totpDigits)}, "period": {fmt.Sprint(totpPeriod)}}
	return "otpauth://totp/" + label + "?" + q.Encode()
}
