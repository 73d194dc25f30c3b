package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	secretFile := filepath.Join(t.TempDir(), "db")
	if err := os.WriteFile(secretFile, []byte("postgres://u@h/db\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		check   func(t *testing.T, c *Config)
		wantErr string
	}{
		{name: "defaults", check: func(t *testing.T, c *Config) {
			if c.Addr != DefaultAddr || c.DataDir != DefaultDataDir || c.DatabaseURL != "sqlite://"+filepath.Join("data", "kindred.db") || c.Demo {
				t.Errorf("defaults = %+v", c)
			}
		}},
		{name: "env", env: map[string]string{"KINDRED_ADDR": ":9000", "KINDRED_DATA": "/tmp/k", "KINDRED_DEMO": "true"}, check: func(t *testing.T, c *Config) {
			if c.Addr != ":9000" || c.DataDir != "/tmp/k" || !c.Demo || c.DatabaseURL != "sqlite:///tmp/k/kindred.db" {
				t.Errorf("from env = %+v", c)
			}
		}},
		{name: "flags beat env", args: []string{"--addr", "127.0.0.1:7000", "--demo=false"}, env: map[string]string{"KINDRED_ADDR": ":9000", "KINDRED_DEMO": "1"}, check: func(t *testing.T, c *Config) {
			if c.Addr != "127.0.0.1:7000" || c.Demo {
				t.Errorf("flags = %+v", c)
			}
		}},
		{name: "database file secret", env: map[string]string{"KINDRED_DATABASE_URL_FILE": secretFile}, check: func(t *testing.T, c *Config) {
			if c.DatabaseURL != "postgres://u@h/db" || !IsPostgres(c.DatabaseURL) {
				t.Errorf("database = %q", c.DatabaseURL)
			}
		}},
		{name: "bad addr", args: []string{"--addr", "8080"}, wantErr: "host:port"},
		{name: "bad scheme", args: []string{"--database", "mysql://x"}, wantErr: "unsupported URL scheme"},
		{name: "bad level", args: []string{"--log-level", "loud"}, wantErr: "log-level"},
		{name: "nats with postgres", args: []string{"--database", "postgres://u@h/db", "--nats", "nats://127.0.0.1:4222"}, check: func(t *testing.T, c *Config) {
			if c.NATSURL != "nats://127.0.0.1:4222" {
				t.Errorf("nats = %q", c.NATSURL)
			}
		}},
		{name: "nats from env", env: map[string]string{"KINDRED_DATABASE_URL": "postgres://u@h/db", "KINDRED_NATS_URL": "tls://nats:4222"}, check: func(t *testing.T, c *Config) {
			if c.NATSURL != "tls://nats:4222" {
				t.Errorf("nats = %q", c.NATSURL)
			}
		}},
		{name: "nats needs a shared database", args: []string{"--nats", "nats://127.0.0.1:4222"}, wantErr: "must share one database"},
		{name: "uploads default", env: map[string]string{"KINDRED_DATA": "/srv/k"}, check: func(t *testing.T, c *Config) {
			if c.UploadsDir != filepath.Join("/srv/k", "uploads") {
				t.Errorf("uploads dir = %q", c.UploadsDir)
			}
		}},
		{name: "uploads flag", args: []string{"--uploads-dir", "/mnt/pictures"}, env: map[string]string{"KINDRED_UPLOADS_DIR": "/elsewhere"}, check: func(t *testing.T, c *Config) {
			if c.UploadsDir != "/mnt/pictures" {
				t.Errorf("uploads dir = %q", c.UploadsDir)
			}
		}},
		{name: "quick exit default", check: func(t *testing.T, c *Config) {
			if c.QuickExitURL != "" {
				t.Errorf("quick exit = %q, want empty (the web default)", c.QuickExitURL)
			}
		}},
		{name: "quick exit flag", args: []string{"--quick-exit-url", "https://www.bbc.co.uk/weather"}, check: func(t *testing.T, c *Config) {
			if c.QuickExitURL != "https://www.bbc.co.uk/weather" {
				t.Errorf("quick exit = %q", c.QuickExitURL)
			}
		}},
		{name: "quick exit from env", env: map[string]string{"KINDRED_QUICK_EXIT_URL": "http://example.org/news"}, check: func(t *testing.T, c *Config) {
			if c.QuickExitURL != "http://example.org/news" {
				t.Errorf("quick exit = %q", c.QuickExitURL)
			}
		}},
		{name: "quick exit relative", args: []string{"--quick-exit-url", "/weather"}, wantErr: "quick-exit-url"},
		{name: "quick exit script", args: []string{"--quick-exit-url", "javascript:alert(1)"}, wantErr: "quick-exit-url"},
		{name: "quick exit no host", args: []string{"--quick-exit-url", "https://"}, wantErr: "quick-exit-url"},
		{name: "bad nats url", args: []string{"--database", "postgres://u@h/db", "--nats", "127.0.0.1:4222"}, wantErr: "nats://host:port"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, err := Parse("serve", tt.args, func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to mention %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
		})
	}
}
