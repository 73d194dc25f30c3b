package privacy

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"path"
	"sort"
	"strings"
	"time"

	"kindred"
)

// Area describes one file of an export, for its index page and the docs.
type Area struct {
	Name  string // the file is Name + ".json"
	Title string
	About string
}

// Areas lists the export's files in the order the index shows them. A
// section the store returns without an entry here still goes in the zip,
// described by its name.
var Areas = []Area{
	{"account", "Account and profile", "Your handle, display name, pronouns, bio, email (if you gave one), age group, and when you joined. Your password is never included: we only ever kept a scrambled form of it."},
	{"memberships", "Organisations and roles", "The organisations you belong to or asked to join, your roles there, the name you use there, and when you accepted their code of conduct."},
	{"groups", "Groups", "The groups you belong to or asked to join, and your role in each."},
	{"threads", "Threads you started", "Titles of the threads you started, including anonymous ones (marked \"anonymous\": true)."},
	{"posts", "Posts and replies you wrote", "Everything you posted, with content warnings, including anonymous posts (marked). \"opens_thread\" marks a thread's first post."},
	{"reactions", "Reactions", "The reactions you gave to posts."},
	{"rsvps", "Meeting answers", "Whether you said you'd go to group meetings."},
	{"chat_messages", "Chat messages you sent", "Messages you sent in live rooms and conversations. Messages an organisation's retention period already deleted are gone."},
	{"conversations", "Rooms and conversations", "The rooms and conversations you were in, and whether you took part anonymously. Others' messages are not included."},
	{"support_requests", "Support requests", "What you asked for when you requested 1:1 support."},
	{"support_conversations", "Support conversations", "Your 1:1 support conversations, as the member or the supporter, and how they ended."},
	{"support_feedback", "Feedback you gave", "What you said about support conversations."},
	{"support_debriefs", "Debriefs you wrote", "Your notes after supporting someone."},
	{"support_escalations", "Escalations you raised", "When you asked a coordinator for help, and why."},
	{"supporter_profiles", "Supporter profile", "Your peer supporter profile in each organisation."},
	{"support_shifts", "Shifts", "When you were on shift as a peer supporter."},
	{"training_progress", "Training progress", "Modules you read, your answers, scores and reflections."},
	{"certifications", "Sign-offs", "Your training sign-offs and their notes."},
	{"safety_plan", "Safety plan", "Your six-step safety plan, and whether you shared it with a supporter."},
	{"sessions", "Where you're logged in", "Your sessions: a device label and times. No addresses are kept."},
	{"api_tokens", "API tokens", "The names of your personal access tokens. Their secrets are never stored, so they can't be included."},
	{"blocks", "People you blocked", "The people you blocked."},
	{"mutes", "People you muted", "The people you muted."},
	{"reports", "Reports you made", "Reports you made, and what happened. Reports about you are not included, and neither is who made them."},
	{"uploads", "Uploads", "Records of pictures you uploaded; the files themselves are in the files/ folder."},
}

func areaOf(name string) Area {
	for _, a := range Areas {
		if a.Name == name {
			return a
		}
	}
	return Area{Name: name, Title: strings.ReplaceAll(name, "_", " "), About: ""}
}

// Export is a finished export.
type Export struct {
	Zip      []byte
	Filename string
}

var errTooBig = kindred.Errorf(kindred.ETOOLARGE, "Your data is larger than we can put in one download. Please ask the people who run this Kindred for a copy.")

// Export gathers everything held about the actor into a zip: one JSON file
// per area, their upload files, and a readable index.html. It is audited
// (the account's id only).
func (s *Service) Export(ctx context.Context, actor *kindred.Actor) (*Export, error) {
	if !actor.SignedIn() {
		return nil, errSignedOut
	}
	id := actor.AccountID()
	ex, err := s.store.ExportAccount(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	buf := &bytes.Buffer{}
	zw := zip.NewWriter(buf)
	at := s.now().UTC()
	add := func(name string, data []byte) error {
		if buf.Len()+len(data) > s.opts.MaxExportBytes {
			return errTooBig
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: at})
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	}
	var files []string
	if fe, ok := s.opts.Files.(FileExporter); ok && s.opts.Files != nil {
		err := fe.ExportAccountFiles(ctx, id, func(name string, data []byte) error {
			name = "files/" + path.Base(path.Clean("/"+name))
			files = append(files, name)
			return add(name, data)
		})
		if err != nil {
			return nil, fmt.Errorf("export files: %w", err)
		}
	}
	for _, sec := range ex.Sections {
		if sec.Name == "memberships" {
			// Roles are stored as bits; people read names.
			for _, rec := range sec.Records {
				if n, ok := rec["roles"].(int64); ok {
					rec["roles"] = kindred.Role(n).Names()
				}
			}
		}
		b, err := json.MarshalIndent(sec.Records, "", "  ")
		if err != nil {
			return nil, fmt.Errorf("export %s: %w", sec.Name, err)
		}
		if err := add(sec.Name+".json", append(b, '\n')); err != nil {
			return nil, err
		}
	}
	index, err := renderIndex(ex, files, at)
	if err != nil {
		return nil, err
	}
	if err := add("index.html", index); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	if buf.Len() > s.opts.MaxExportBytes {
		return nil, errTooBig
	}
	s.audit.Record(ctx, "", id, "account.export", id, "")
	return &Export{Zip: buf.Bytes(), Filename: "kindred-data-" + at.Format("2006-01-02") + ".zip"}, nil
}

// indexItems says which fields of which areas the index shows in full.
var indexItems = map[string][]string{
	"account":       {"handle", "display_name", "pronouns", "bio", "email", "age_band"},
	"threads":       {"title", "anonymous"},
	"posts":         {"content_warning", "body", "anonymous"},
	"chat_messages": {"body"},
	"safety_plan":   {"warning_signs", "coping", "distractions", "people", "professionals", "safe_surroundings"},
	"api_tokens":    {"name"},
}

// indexLimit bounds how many records of an area the index shows; the
// JSON file always has them all.
const indexLimit = 100

type indexArea struct {
	Area
	File  string
	Count int
	Shown [][2]string // field: value, for the first records
	More  int
}

var indexTemplate = template.Must(template.New("index").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Your data</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 48rem; margin: 0 auto; padding: 1rem; color: #1a1a1a; background: #fff; }
h1, h2 { line-height: 1.2; }
section { border-top: 1px solid #999; margin-top: 1.5rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dt { font-weight: bold; }
dd { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.muted { color: #555; }
</style>
</head>
<body>
<main>
<h1>Your data</h1>
<p>This is everything Kindred held about your account on {{.At.Format "2 January 2006 at 15:04 UTC"}}. Each area is a file in this folder, in JSON, a plain text format many programs can read. This page explains each file and shows the main things in it.</p>
<p class="muted">Keep this download somewhere private: it may hold things you wouldn't want others to read.</p>
{{- if .Files}}
<p>Your uploaded pictures are in the <code>files</code> folder ({{len .Files}} files).</p>
{{- end}}
{{- range .Areas}}
<section aria-labelledby="a-{{.Name}}">
<h2 id="a-{{.Name}}">{{.Title}}</h2>
<p><a href="{{.File}}">{{.File}}</a>: {{.Count}} {{if eq .Count 1}}record{{else}}records{{end}}.{{with .About}} {{.}}{{end}}</p>
{{- if .Shown}}
<dl>{{range .Shown}}<dt>{{index . 0}}</dt><dd>{{index . 1}}</dd>{{end}}</dl>
{{- if .More}}<p class="muted">And {{.More}} more in the file.</p>{{end}}
{{- end}}
</section>
{{- end}}
</main>
</body>
</html>
`))

func renderIndex(ex *kindred.AccountExport, files []string, at time.Time) ([]byte, error) {
	order := map[string]int{}
	for i, a := range Areas {
		order[a.Name] = i
	}
	secs := append([]kindred.ExportSection(nil), ex.Sections...)
	sort.SliceStable(secs, func(i, j int) bool {
		oi, ok1 := order[secs[i].Name]
		oj, ok2 := order[secs[j].Name]
		if !ok1 {
			oi = len(Areas)
		}
		if !ok2 {
			oj = len(Areas)
		}
		return oi < oj
	})
	var areas []indexArea
	for _, sec := range secs {
		ia := indexArea{Area: areaOf(sec.Name), File: sec.Name + ".json", Count: len(sec.Records)}
		if fields := indexItems[sec.Name]; fields != nil {
			for i, rec := range sec.Records {
				if i == indexLimit {
					ia.More = len(sec.Records) - i
					break
				}
				for _, f := range fields {
					v := rec[f]
					if v == nil || v == "" || v == false {
						continue
					}
					ia.Shown = append(ia.Shown, [2]string{strings.ReplaceAll(f, "_", " "), fmt.Sprint(v)})
				}
			}
		}
		areas = append(areas, ia)
	}
	var b bytes.Buffer
	if err := indexTemplate.Execute(&b, map[string]any{"At": at, "Areas": areas, "Files": files}); err != nil {
		return nil, fmt.Errorf("export index: %w", err)
	}
	return b.Bytes(), nil
}
