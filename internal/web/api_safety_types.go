package web

import (
	"time"

	"kindred"
	"kindred/internal/safety"
)

// The API's types for organisations' crisis help, discreet mode and
// safety-plan sharing (api_safety.go).

// apiCrisisResource is a crisis line.
type apiCrisisResource struct {
	ID          string   `json:"id,omitempty" doc:"The line's id in the organisation's own list; empty for the instance's defaults."`
	Name        string   `json:"name" maxLength:"120"`
	Description string   `json:"description,omitempty" maxLength:"600" doc:"One or two plain sentences: who answers and how."`
	Phone       string   `json:"phone,omitempty" maxLength:"200" doc:"As dialled; several as \"911 (US), 999 (UK)\"."`
	Text        string   `json:"text,omitempty" maxLength:"200" doc:"How to text, e.g. \"Text START to 678-678\"."`
	ChatURL     string   `json:"chat_url,omitempty" maxLength:"500" doc:"An https link to chat online."`
	Hours       string   `json:"hours,omitempty" maxLength:"200" doc:"e.g. 24/7; empty when they vary."`
	Region      string   `json:"region,omitempty" maxLength:"200" doc:"Where it can be reached."`
	Languages   []string `json:"languages,omitempty" maxItems:"10" doc:"Languages it answers in."`
	Serves      string   `json:"serves,omitempty" maxLength:"200" doc:"Who it is for, e.g. trans people."`
}

func apiCrisisResourceOf(r kindred.CrisisResource) apiCrisisResource {
	return apiCrisisResource{ID: r.ID, Name: r.Name, Description: r.Description, Phone: r.Phone, Text: r.Text, ChatURL: r.ChatURL,
		Hours: r.Hours, Region: r.Region, Languages: r.Languages, Serves: r.Serves}
}

func apiCrisisResources(list []kindred.CrisisResource) []apiCrisisResource {
	out := make([]apiCrisisResource, 0, len(list))
	for _, r := range list {
		out = append(out, apiCrisisResourceOf(r))
	}
	return out
}

func (a apiCrisisResource) resource() kindred.CrisisResource {
	return kindred.CrisisResource{ID: a.ID, Name: a.Name, Description: a.Description, Phone: a.Phone, Text: a.Text,
		ChatURL: a.ChatURL, Hours: a.Hours, Region: a.Region, Languages: a.Languages, Serves: a.Serves}
}

type apiCrisisResourceList struct {
	Resources []apiCrisisResource `json:"resources" doc:"In the order to show them. Never empty."`
}

type apiOrgSlugInput struct {
	Org string `path:"org" doc:"The organisation's slug."`
}

// apiOrgSafety is an organisation's crisis help settings, for its admins.
type apiOrgSafety struct {
	Resources       []apiCrisisResource `json:"resources" doc:"The organisation's own crisis lines, in order."`
	ShowDefaults    bool                `json:"show_defaults" doc:"Whether the instance's default lines show after the organisation's own. Without own lines the defaults always show."`
	Shown           []apiCrisisResource `json:"shown" doc:"What \"Get help now\" shows in the organisation."`
	QuickExitURL    string              `json:"quick_exit_url" doc:"Where quick exit leads on the organisation's pages; empty for the instance's choice."`
	DiscreetDefault bool                `json:"discreet_default" doc:"Whether discreet mode is on by default on the organisation's pages."`
	Contact         string              `json:"contact" doc:"Who to contact about privacy and safety, shown on the transparency page."`
	UpdatedAt       *time.Time          `json:"updated_at" doc:"When the settings were last saved; null when never."`
}

func apiOrgSafetyOf(v *safety.OrgSafetyView) apiOrgSafety {
	set := v.Settings
	out := apiOrgSafety{Resources: apiCrisisResources(set.Resources), ShowDefaults: set.ShowDefaults, Shown: apiCrisisResources(v.Shown),
		QuickExitURL: set.QuickExitURL, DiscreetDefault: set.DiscreetDefault, Contact: set.Contact}
	if !set.UpdatedAt.IsZero() {
		t := set.UpdatedAt
		out.UpdatedAt = &t
	}
	return out
}

type apiUpdateCrisisResourcesInput struct {
	Org  string `path:"org" doc:"The organisation's slug."`
	Body struct {
		Resources    []apiCrisisResource `json:"resources" maxItems:"40" doc:"The whole list, in order. Lines given with an id already in the list keep it."`
		ShowDefaults bool                `json:"show_defaults,omitempty" doc:"Also show the instance's default lines after these."`
	}
}

type apiUpdateOrgSafetyInput struct {
	Org  string `path:"org" doc:"The organisation's slug."`
	Body struct {
		QuickExitURL    *string `json:"quick_exit_url,omitempty" maxLength:"500" doc:"An absolute https URL; empty for the instance's choice."`
		DiscreetDefault *bool   `json:"discreet_default,omitempty"`
		Contact         *string `json:"contact,omitempty" maxLength:"1000"`
		ShowDefaults    *bool   `json:"show_defaults,omitempty"`
	}
}

type apiPhraseList struct {
	Locale       string   `json:"locale" doc:"A language code, e.g. en, es."`
	Phrases      []string `json:"phrases"`
	Edited       bool     `json:"edited" doc:"False while the starter list is in use."`
	StarterCount int      `json:"starter_count" doc:"How many phrases the starter list has (0 for a language without one)."`
}

type apiPhraseLists struct {
	Lists []apiPhraseList `json:"lists"`
}

func apiPhraseListsOf(v *safety.OrgSafetyView) apiPhraseLists {
	out := apiPhraseLists{Lists: []apiPhraseList{}}
	for _, l := range v.Lists {
		out.Lists = append(out.Lists, apiPhraseList{Locale: l.Locale, Phrases: l.Phrases, Edited: l.Edited, StarterCount: l.Starter})
	}
	return out
}

type apiLocaleInput struct {
	Org    string `path:"org" doc:"The organisation's slug."`
	Locale string `path:"locale" maxLength:"12" doc:"A language code, e.g. en, es, pt-br."`
}

type apiUpdatePhrasesInput struct {
	Org    string `path:"org" doc:"The organisation's slug."`
	Locale string `path:"locale" maxLength:"12" doc:"A language code, e.g. en, es, pt-br."`
	Body   struct {
		Phrases []string `json:"phrases" maxItems:"1000" doc:"The whole list; each 3 to 100 characters. Blank and repeated phrases are dropped."`
	}
}

type apiTransparency struct {
	Organization      string `json:"organization" doc:"The organisation's slug."`
	Contact           string `json:"contact" doc:"Who to contact about privacy and safety; empty when the admins set none."`
	ChatRetentionDays int    `json:"chat_retention_days" doc:"Days chat messages are kept; 0 until someone deletes them."`
	AuditLog          bool   `json:"audit_log" doc:"Every staff action is recorded in a tamper-evident audit log (always true)."`
	Page              string `json:"page" doc:"The human-readable transparency page, with what staff can and cannot see."`
}

type apiDiscreetMode struct {
	Mode                 string   `json:"mode" enum:"follow,on,off" doc:"\"on\": always; \"off\": never; \"follow\": as the organisation in view chooses (off outside organisations)."`
	DefaultOrganizations []string `json:"default_organizations" doc:"Slugs of the person's organisations that turn it on by default."`
}

type apiDiscreetModeInput struct {
	Body struct {
		Mode string `json:"mode" enum:"follow,on,off" doc:"\"on\": always; \"off\": never; \"follow\": as the organisation in view chooses (off outside organisations)."`
	}
}

type apiSupporter struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type apiSafetyPlanSharing struct {
	SharedWith *apiSupporter  `json:"shared_with" doc:"The supporter who may read the plan; null when it is private."`
	Supporters []apiSupporter `json:"supporters" doc:"The peer supporters the person was matched with, who it may be shared with."`
}

type apiShareSafetyPlanInput struct {
	Body struct {
		SupporterID string `json:"supporter_id" maxLength:"64" doc:"One of supporters; empty to make the plan private again."`
	}
}

type apiSharedSafetyPlan struct {
	OwnerID   string        `json:"owner_id"`
	OwnerName string        `json:"owner_name"`
	Plan      apiSafetyPlan `json:"plan"`
}

type apiSharedSafetyPlans struct {
	Plans []apiSharedSafetyPlan `json:"plans" doc:"Plans shared with the person, the most recently saved first."`
}
