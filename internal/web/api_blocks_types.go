package web

import (
	"time"

	"kindred"
	"kindred/internal/blocks"
)

// apiPersonChoice is someone the caller blocked or muted, as the caller's
// own settings list them. Who blocked the caller is never listed.
type apiPersonChoice struct {
	AccountID string     `json:"account_id" doc:"Their account id."`
	Handle    string     `json:"handle"`
	Name      string     `json:"name" doc:"Their name: in the organisation named in the request, else their display name or handle."`
	Blocked   bool       `json:"blocked" doc:"You blocked them: neither of you sees the other anywhere."`
	Muted     bool       `json:"muted" doc:"You muted them: their posts and messages are hidden from you only."`
	Since     *time.Time `json:"since,omitempty" doc:"When you first blocked or muted them."`
}

type apiPersonChoiceList struct {
	People []apiPersonChoice `json:"people" doc:"By name."`
}

type apiHiddenTopics struct {
	Topics []string `json:"topics" doc:"The topics, as written, in alphabetical order."`
}

type apiHiddenTopicsInput struct {
	Body struct {
		Topics []string `json:"topics" maxItems:"200" doc:"Every topic to hide, replacing the list: at most 50 after removing duplicates (capitals, spaces and hyphens are ignored), each at most 60 characters. An empty list hides nothing."`
	}
}

func apiChoiceOfPerson(p *blocks.Person) apiPersonChoice {
	return apiPersonChoice{AccountID: p.AccountID, Handle: p.Handle, Name: p.Name, Blocked: p.Blocked, Muted: p.Muted}
}

func apiChoiceOfHidden(h *kindred.HiddenPerson) apiPersonChoice {
	since := h.Since
	return apiPersonChoice{AccountID: h.AccountID, Handle: h.Handle, Name: h.Name, Blocked: h.Blocked, Muted: h.Muted, Since: &since}
}
