// Package config reads Kindred's configuration from flags and KINDRED_*
// environment variables (flags win), with *_FILE variants for secrets, and
// checks it. The defaults make `kindred serve` a working instance.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Config is everything the binary can be told.
type Config struct {
	Addr          string // listen address
	DataDir       string // where SQLite and other local data live
	DatabaseURL   string // postgres://… or sqlite:///…; default: SQLite in DataDir
	Demo          bool   // seed the demo community on start
	SecureCookies bool   // mark cookies Secure (behind HTTPS)
	LogLevel      string // debug, info, warn, error
	TemplateDir   string // operator overrides for templates
	StaticDir     string // operator overrides for static files
	// NATSURL connects the node to a NATS server so that several nodes
	// share live rooms; empty keeps events inside this process.
	NATSURL string
	// QuickExitURL is the neutral site the "Quick exit" button leads to;
	// empty means the web server's default (a weather search).
	QuickExitURL string
	// PublicURL is the instance's address as browsers see it
	// (scheme://host[:port]); passkeys are bound to its host.
	PublicURL string
	// SharedNetworks are CIDRs many people share (a school, a clinic):
	// the per-address log-in limit is much higher from them.
	SharedNetworks []netip.Prefix
	// SecretKey seals two-factor secrets so a database dump alone does
	// not reveal them (at least 32 bytes; from KINDRED_SECRET_KEY_FILE).
	SecretKey string
	// UploadsDir is where uploaded images are kept (default
	// <DataDir>/uploads). Only re-encoded images are written there.
	UploadsDir string
}

// Defaults.
const (
	DefaultPublicURL = "http://localhost:8080"
	DefaultAddr      = "localhost:8080"
	DefaultDataDir   = "data"
)

// Parse reads flags from args (after the subcommand) and the environment.
func Parse(name string, args []string, getenv func(string) string) (*Config, *flag.FlagSet, error) {
	c := &Config{}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.StringVar(&c.Addr, "addr", env(getenv, "KINDRED_ADDR", DefaultAddr), "address to listen on (KINDRED_ADDR)")
	fs.StringVar(&c.DataDir, "data", env(getenv, "KINDRED_DATA", DefaultDataDir), "data directory for the embedded database (KINDRED_DATA)")
	dbDefault, err := secret(getenv, "KINDRED_DATABASE_URL")
	if err != nil {
		return nil, fs, err
	}
	fs.StringVar(&c.DatabaseURL, "database", dbDefault, "database URL: postgres://… or sqlite:///path (KINDRED_DATABASE_URL or KINDRED_DATABASE_URL_FILE); default: SQLite in the data directory")
	natsDefault, err := secret(getenv, "KINDRED_NATS_URL")
	if err != nil {
		return nil, fs, err
	}
	fs.StringVar(&c.NATSURL, "nats", natsDefault, "NATS server URL (nats://host:4222) shared by several nodes; needs --database postgres://… (KINDRED_NATS_URL or KINDRED_NATS_URL_FILE)")
	fs.BoolVar(&c.Demo, "demo", boolEnv(getenv, "KINDRED_DEMO"), "seed the demo community (KINDRED_DEMO)")
	fs.BoolVar(&c.SecureCookies, "secure-cookies", boolEnv(getenv, "KINDRED_SECURE_COOKIES"), "mark cookies Secure; use behind HTTPS (KINDRED_SECURE_COOKIES)")
	fs.StringVar(&c.LogLevel, "log-level", env(getenv, "KINDRED_LOG_LEVEL", "info"), "debug, info, warn or error (KINDRED_LOG_LEVEL)")
	fs.StringVar(&c.TemplateDir, "templates", env(getenv, "KINDRED_TEMPLATES", ""), "directory overriding the built-in templates (KINDRED_TEMPLATES)")
	fs.StringVar(&c.StaticDir, "static", env(getenv, "KINDRED_STATIC", ""), "directory overriding the built-in CSS and script (KINDRED_STATIC)")
	fs.StringVar(&c.PublicURL, "public-url", env(getenv, "KINDRED_PUBLIC_URL", DefaultPublicURL), "the address people's browsers use for this instance, scheme://host[:port]; passkeys are bound to it (KINDRED_PUBLIC_URL)")
	shared := env(getenv, "KINDRED_SHARED_NETWORKS", "")
	fs.StringVar(&shared, "shared-networks", shared, "comma-separated CIDRs shared by many people (schools, clinics), where the per-address log-in limit is much higher (KINDRED_SHARED_NETWORKS)")
	keyDefault, err := secret(getenv, "KINDRED_SECRET_KEY")
	if err != nil {
		return nil, fs, err
	}
	fs.StringVar(&c.SecretKey, "secret-key", keyDefault, "at least 32 characters that seal two-factor secrets; prefer KINDRED_SECRET_KEY_FILE (KINDRED_SECRET_KEY)")
	fs.StringVar(&c.QuickExitURL, "quick-exit-url", env(getenv, "KINDRED_QUICK_EXIT_URL", ""), "neutral http(s) site the Quick exit button leads to; default: a weather search (KINDRED_QUICK_EXIT_URL)")
	fs.StringVar(&c.UploadsDir, "uploads-dir", env(getenv, "KINDRED_UPLOADS_DIR", ""), "directory for uploaded images; default: uploads in the data directory (KINDRED_UPLOADS_DIR)")
	if err := fs.Parse(args); err != nil {
		return nil, fs, err
	}
	var badNets []error
	for _, n := range strings.Split(shared, ",") {
		if n = strings.TrimSpace(n); n == "" {
			continue
		}
		p, err := netip.ParsePrefix(n)
		if err != nil {
			badNets = append(badNets, fmt.Errorf("--shared-networks: %q is not a CIDR such as 203.0.113.0/24 or 2001:db8::/48", n))
			continue
		}
		c.SharedNetworks = append(c.SharedNetworks, p.Masked())
	}
	if len(badNets) > 0 {
		return nil, fs, errors.Join(badNets...)
	}
	if c.DatabaseURL == "" {
		c.DatabaseURL = "sqlite://" + filepath.Join(c.DataDir, "kindred.db")
	}
	if c.UploadsDir == "" {
		c.UploadsDir = filepath.Join(c.DataDir, "uploads")
	}
	return c, fs, c.Validate()
}

// Validate checks the configuration and explains what is wrong.
func (c *Config) Validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("--addr %q: want host:port, e.g. localhost:8080 or :8080", c.Addr))
	}
	if c.DataDir == "" {
		errs = append(errs, errors.New("--data must not be empty"))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("--log-level %q: want debug, info, warn or error", c.LogLevel))
	}
	if !IsPostgres(c.DatabaseURL) && !strings.HasPrefix(c.DatabaseURL, "sqlite:") && strings.Contains(c.DatabaseURL, "://") {
		errs = append(errs, fmt.Errorf("--database: unsupported URL scheme; use postgres://… or sqlite:///path"))
	}
	if c.NATSURL != "" && !IsPostgres(c.DatabaseURL) {
		errs = append(errs, errors.New("--nats shares live rooms between several nodes, and they must share one database: add --database postgres://…"))
	}
	if c.NATSURL != "" && !strings.HasPrefix(c.NATSURL, "nats://") && !strings.HasPrefix(c.NATSURL, "tls://") {
		errs = append(errs, fmt.Errorf("--nats: want nats://host:port or tls://host:port"))
	}
	if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Hostname() == "" ||
		(u.Path != "" && u.Path != "/") {
		errs = append(errs, fmt.Errorf("--public-url %q: want scheme://host[:port] as people's browsers see it, e.g. https://kindred.example.org", c.PublicURL))
	} else if net.ParseIP(u.Hostname()) != nil {
		errs = append(errs, fmt.Errorf("--public-url %q: passkeys need a domain name, not an IP address (use http://localhost:PORT when trying Kindred out)", c.PublicURL))
	}
	if c.SecretKey != "" && len(c.SecretKey) < 32 {
		errs = append(errs, errors.New("--secret-key: use at least 32 random characters, e.g. from `openssl rand -base64 32`"))
	}
	if c.QuickExitURL != "" {
		if u, err := url.Parse(c.QuickExitURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			errs = append(errs, fmt.Errorf("--quick-exit-url %q: want an absolute http:// or https:// URL, e.g. https://www.bbc.co.uk/weather", c.QuickExitURL))
		}
	}
	return errors.Join(errs...)
}

// IsPostgres reports whether a database URL names PostgreSQL.
func IsPostgres(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

func env(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

func boolEnv(getenv func(string) string, key string) bool {
	b, _ := strconv.ParseBool(getenv(key))
	return b
}

// secret reads KEY, or the file named by KEY_FILE (trailing newline trimmed).
func secret(getenv func(string) string, key string) (string, error) {
	if v := getenv(key); v != "" {
		return v, nil
	}
	path := getenv(key + "_FILE")
	if path == "" {
		return "", nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("%s_FILE: %w", key, err)
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}
