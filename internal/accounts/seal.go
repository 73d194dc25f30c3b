package accounts

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
)

// sealer encrypts two-factor secrets with AES-256-GCM, bound to the
// account they belong to, and keys the recovery codes' hashes. With a key
// from the operator's configuration (--secret-key-file), a database dump
// alone reveals neither; without one, the key lives in the database and
// only guards against casual reading (docs/security.md says so).
type sealer struct {
	aead cipher.AEAD
	mac  []byte
}

func newSealer(key []byte) (*sealer, error) {
	if len(key) < 32 {
		return nil, errors.New("seal key: need at least 32 bytes")
	}
	enc := hmac.New(sha256.New, key)
	enc.Write([]byte("kindred two-factor secret"))
	block, err := aes.NewCipher(enc.Sum(nil))
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("kindred recovery codes"))
	return &sealer{aead: aead, mac: mac.Sum(nil)}, nil
}

func (s *sealer) seal(accountID string, plain []byte) []byte {
	nonce := make([]byte, s.aead.NonceSize())
	_, _ = rand.Read(nonce)
	return s.aead.Seal(nonce, nonce, plain, []byte(accountID))
}

func (s *sealer) open(accountID string, sealed []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n {
		return nil, errors.New("sealed secret too short")
	}
	return s.aead.Open(nil, sealed[:n], sealed[n:], []byte(accountID))
}

// recoveryHash is how a recovery code is stored.
func (s *sealer) recoveryHash(accountID, code string) string {
	m := hmac.New(sha256.New, s.mac)
	m.Write([]byte(accountID + "\x00" + normalizeCode(code)))
	return hex.EncodeToString(m.Sum(nil))
}
