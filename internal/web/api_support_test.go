package web

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"kindred"
)

// apiSupportCertStore is what signing a supporter off needs from a store.
type apiSupportCertStore interface {
	CreateCourse(ctx context.Context, c *kindred.Course) error
	CreateCertification(ctx context.Context, c *kindred.Certification) error
	DecideCertification(ctx context.Context, id string, d kindred.CertificationDecision) (*kindred.Certification, error)
}

// apiSupportWorld is rainbow (run by the operator, who coordinates as its
// admin) with a member, alice, and two signed-off supporters on shift.
type apiSupportWorld struct {
	apiWorld
	store       kindred.Store
	kwame, wren *apiClient
	kwameID     string
	orgID, opID string
	supportBase string
}

func (w *apiSupportWorld) meID(c *apiClient) string {
	w.op.t.Helper()
	var me struct {
		ID string `json:"id"`
	}
	c.call(http.MethodGet, "/me", nil, http.StatusOK, &me)
	return me.ID
}

func newAPISupportWorld(t *testing.T) *apiSupportWorld {
	t.Helper()
	s, ts, store := newTestServer(t)
	w := &apiSupportWorld{apiWorld: apiWorld{s: s, op: operatorClient(t, s, ts), orgPath: "/organizations/rainbow"}, store: store,
		supportBase: "/organizations/rainbow/support"}
	w.op.call(http.MethodPost, "/organizations", map[string]any{"name": "Rainbow Centre", "slug": "rainbow", "kind": "community_centre",
		"join_policy": "open", "code_of_conduct": "Be kind."}, http.StatusCreated, nil)
	w.alice = signUp(t, ts, "alice", kindred.AgeAdult)
	w.kwame = signUp(t, ts, "kwame", kindred.AgeAdult)
	w.wren = signUp(t, ts, "wren", kindred.AgeAdult)
	for _, c := range []*apiClient{w.alice, w.kwame, w.wren} {
		c.call(http.MethodPost, w.orgPath+"/join", map[string]any{"accept_conduct": true}, http.StatusOK, nil)
	}
	o, err := store.FindOrganizationBySlug(context.Background(), "rainbow")
	if err != nil {
		t.Fatal(err)
	}
	w.orgID, w.opID, w.kwameID = o.ID, w.meID(w.op), w.meID(w.kwame)
	cs, ok := store.(apiSupportCertStore)
	if !ok {
		t.Fatal("the store cannot sign supporters off")
	}
	for _, c := range []*apiClient{w.kwame, w.wren} {
		id := w.meID(c)
		now := time.Now().UTC()
		course := &kindred.Course{ID: kindred.NewID(), OrgID: o.ID, Slug: "basics-" + id[:8], Title: "Basics", Published: true, CreatedBy: w.opID, CreatedAt: now}
		if err := cs.CreateCourse(context.Background(), course); err != nil {
			t.Fatal(err)
		}
		cert := &kindred.Certification{ID: kindred.NewID(), OrgID: o.ID, CourseID: course.ID, AccountID: id, Decision: kindred.SignOffRequested, RequestedAt: now}
		if err := cs.CreateCertification(context.Background(), cert); err != nil {
			t.Fatal(err)
		}
		if _, err := cs.DecideCertification(context.Background(), cert.ID, kindred.CertificationDecision{From: kindred.SignOffRequested,
			To: kindred.SignOffGranted, DecidedBy: w.opID, DecidedAt: now}); err != nil {
			t.Fatal(err)
		}
		c.call(http.MethodPut, w.supportBase+"/profile", map[string]any{"intro": "Hello there.", "experiences": []string{"coming_out"},
			"languages": []string{"en"}, "capacity": 2, "time_zone": "UTC",
			"availability": []map[string]any{{"day": "monday", "from_minutes": 1080, "to_minutes": 1260}}}, http.StatusOK, nil)
		c.call(http.MethodPost, w.supportBase+"/shift/start", nil, http.StatusOK, nil)
	}
	return w
}

type apiSupportRequestJSON struct {
	ID              string   `json:"id"`
	Status          string   `json:"status"`
	Viewer          string   `json:"viewer"`
	TopicLabels     []string `json:"topic_labels"`
	Crisis          bool     `json:"crisis"`
	Resources       []any    `json:"resources"`
	Place           int      `json:"place"`
	EstimateSeconds *int64   `json:"estimate_seconds"`
	EstimateText    string   `json:"estimate_text"`
	Match           *struct {
		ID     string `json:"id"`
		RoomID string `json:"room_id"`
	} `json:"match"`
	CanCancel   bool `json:"can_cancel"`
	CanEnd      bool `json:"can_end"`
	CanFeedback bool `json:"can_feedback"`
	CanDebrief  bool `json:"can_debrief"`
}

func TestAPISupportRoundTrip(t *testing.T) {
	w := newAPISupportWorld(t)
	b := w.supportBase

	var home struct {
		Choices struct {
			Topics []struct{ Value, Label string } `json:"topics"`
		} `json:"choices"`
		OnShiftNow int `json:"on_shift_now"`
	}
	w.alice.call(http.MethodGet, b, nil, http.StatusOK, &home)
	if len(home.Choices.Topics) == 0 || home.OnShiftNow != 2 {
		t.Errorf("home %+v", home)
	}

	// Invalid input comes back with the field named.
	res := w.alice.call(http.MethodPost, b+"/requests", map[string]any{"topics": []string{"no_such_topic"}}, http.StatusUnprocessableEntity, nil)
	if e := decodeAPIError(t, res); e.Error.Fields["topics"] == "" {
		t.Errorf("error %+v", e)
	}

	var req apiSupportRequestJSON
	w.alice.call(http.MethodPost, b+"/requests", map[string]any{"topics": []string{"coming_out"}, "details": "Telling my mum.",
		"urgency": "today", "identities": []string{"trans"}}, http.StatusCreated, &req)
	if req.ID == "" || req.Status != "waiting" || req.Viewer != "member" || req.Resources == nil || req.EstimateText == "" || !req.CanCancel {
		t.Errorf("new request %+v", req)
	}
	w.alice.call(http.MethodGet, b+"/requests/"+req.ID, nil, http.StatusOK, &req)

	// Offers say nothing of who asked.
	var inbox struct {
		Offers []struct {
			ID      string `json:"id"`
			Details string `json:"details"`
		} `json:"offers"`
		OnShift bool `json:"on_shift"`
	}
	res = w.kwame.call(http.MethodGet, b+"/inbox", nil, http.StatusOK, &inbox)
	if len(inbox.Offers) != 1 || inbox.Offers[0].Details != "Telling my mum." || !inbox.OnShift {
		t.Fatalf("kwame's inbox %s", res.Body)
	}
	if strings.Contains(strings.ToLower(string(res.Body)), "alice") {
		t.Errorf("the offer names the member: %s", res.Body)
	}
	kwameOffer := inbox.Offers[0].ID
	w.wren.call(http.MethodGet, b+"/inbox", nil, http.StatusOK, &inbox)
	if len(inbox.Offers) != 1 {
		t.Fatalf("wren's inbox %+v", inbox)
	}
	wrenOffer := inbox.Offers[0].ID

	var match struct {
		ID        string `json:"id"`
		RequestID string `json:"request_id"`
		RoomID    string `json:"room_id"`
	}
	w.kwame.call(http.MethodPost, b+"/offers/"+kwameOffer+"/accept", nil, http.StatusOK, &match)
	if match.RequestID != req.ID || match.RoomID == "" {
		t.Errorf("match %+v", match)
	}
	res = w.wren.call(http.MethodPost, b+"/offers/"+wrenOffer+"/accept", nil, http.StatusConflict, nil)
	if e := decodeAPIError(t, res); e.Error.Code != kindred.ECONFLICT {
		t.Errorf("second accept %+v", e)
	}

	w.kwame.call(http.MethodGet, b+"/requests/"+req.ID, nil, http.StatusOK, &req)
	if req.Viewer != "supporter" || req.Match == nil || req.Match.RoomID != match.RoomID || !req.CanEnd {
		t.Errorf("the supporter's view %+v", req)
	}
	w.alice.call(http.MethodGet, "/rooms/"+match.RoomID, nil, http.StatusOK, nil)

	var esc struct {
		ID string `json:"id"`
	}
	w.alice.call(http.MethodPost, b+"/matches/"+match.ID+"/escalations", map[string]any{"reason": "I'd like to talk to someone else about this too."},
		http.StatusCreated, &esc)
	w.alice.call(http.MethodPost, b+"/matches/"+match.ID+"/end", nil, http.StatusOK, nil)
	w.alice.call(http.MethodPost, b+"/matches/"+match.ID+"/feedback", map[string]any{"helped": "somewhat", "comment": "Kind."}, http.StatusOK, nil)
	w.kwame.call(http.MethodPost, b+"/matches/"+match.ID+"/debrief", map[string]any{"body": "Went well.", "check_in": true}, http.StatusOK, nil)

	// The coordinator's view.
	var dash struct {
		Supporters []struct{ Name string }   `json:"supporters"`
		Feedback   []struct{ Helped string } `json:"feedback"`
		Debriefs   []struct {
			CheckIn bool `json:"check_in"`
		} `json:"debriefs"`
		Escalations []struct{ ID string }     `json:"escalations"`
		Recent      []struct{ Reason string } `json:"recent"`
	}
	w.op.call(http.MethodGet, b+"/dashboard", nil, http.StatusOK, &dash)
	if len(dash.Supporters) != 2 || len(dash.Feedback) != 1 || dash.Feedback[0].Helped != "somewhat" || len(dash.Debriefs) != 1 ||
		!dash.Debriefs[0].CheckIn || len(dash.Escalations) != 1 || len(dash.Recent) == 0 || dash.Recent[0].Reason == "" {
		t.Errorf("dashboard %+v", dash)
	}
	w.op.call(http.MethodPost, b+"/escalations/"+esc.ID+"/resolve", map[string]any{"note": "Called them."}, http.StatusOK, nil)
	w.op.call(http.MethodPost, b+"/supporters/"+w.kwameID+"/end-shift", nil, http.StatusOK, nil)
	w.alice.call(http.MethodGet, b+"/dashboard", nil, http.StatusForbidden, nil)

	// A second request, withdrawn.
	w.alice.call(http.MethodPost, b+"/requests", map[string]any{"topics": []string{"coming_out"}}, http.StatusCreated, &req)
	w.alice.call(http.MethodPost, b+"/requests/"+req.ID+"/cancel", nil, http.StatusOK, nil)
	w.alice.call(http.MethodGet, b+"/requests/"+req.ID, nil, http.StatusOK, &req)
	if req.Status != "cancelled" {
		t.Errorf("withdrawn request %+v", req)
	}
	w.othersFindNothing(t)

	// Settings.
	var set struct {
		WeeklyHours int                           `json:"weekly_hours"`
		Taxonomy    []struct{ Key, Label string } `json:"taxonomy"`
	}
	w.op.call(http.MethodGet, b+"/settings", nil, http.StatusOK, &set)
	tax := []map[string]any{}
	for _, e := range set.Taxonomy {
		tax = append(tax, map[string]any{"key": e.Key, "label": e.Label})
	}
	w.op.call(http.MethodPut, b+"/settings", map[string]any{"max_capacity": 3, "max_shift_minutes": 240, "weekly_hours": 10,
		"offer_timeout_minutes": 5, "offers_at_once": 3, "taxonomy": tax}, http.StatusOK, &set)
	if set.WeeklyHours != 10 {
		t.Errorf("settings %+v", set)
	}
}

// othersFindNothing checks that someone with no part in a request finds nothing.
func (w *apiSupportWorld) othersFindNothing(t *testing.T) {
	t.Helper()
	var home struct {
		Requests []apiSupportRequestJSON `json:"requests"`
	}
	w.alice.call(http.MethodGet, w.supportBase, nil, http.StatusOK, &home)
	if len(home.Requests) == 0 {
		t.Fatal("alice has no requests")
	}
	id := home.Requests[0].ID
	a := w.wren.do(http.MethodGet, w.supportBase+"/requests/"+id, nil)
	b := w.wren.do(http.MethodGet, w.supportBase+"/requests/"+kindred.NewID(), nil)
	if a.Status != http.StatusNotFound || string(a.Body) != string(b.Body) {
		t.Errorf("someone else's request: %d %s; a made-up one: %d %s", a.Status, a.Body, b.Status, b.Body)
	}
}

func TestAPISupportOperationsAndEnums(t *testing.T) {
	t.Parallel()
	s, _, _ := newTestServer(t)
	ids := map[string]bool{}
	for _, op := range s.APIOperations() {
		ids[op.OperationID] = true
	}
	for _, id := range []string{"requestSupport", "getSupportRequest", "cancelSupportRequest", "acceptSupportOffer", "declineSupportOffer",
		"endSupportConversation", "submitSupportFeedback", "getSupportHome", "declineSupportMatch", "listSupportOffers",
		"getSupporterProfile", "updateSupporterProfile", "startSupportShift", "endSupportShift", "writeSupportDebrief", "escalateSupport",
		"proposeSupportHandoff", "answerSupportHandoff", "getSupportDashboard", "resolveSupportEscalation", "endSupporterShift",
		"getSupportSettings", "updateSupportSettings"} {
		if !ids[id] {
			t.Errorf("no operation %s", id)
		}
	}
	schemas := s.api.OpenAPI().Components.Schemas.Map()
	enum := func(schema, prop string) []string {
		sch := schemas[schema]
		if sch == nil || sch.Properties[prop] == nil {
			t.Errorf("no %s.%s in the document", schema, prop)
			return nil
		}
		p := sch.Properties[prop]
		if p.Items != nil {
			p = p.Items
		}
		var out []string
		for _, v := range p.Enum {
			out = append(out, v.(string))
		}
		return out
	}
	strs := func(xs ...string) []string { return xs }
	var identities, urgencies []string
	for _, i := range kindred.Identities {
		identities = append(identities, string(i))
	}
	for _, u := range kindred.Urgencies {
		urgencies = append(urgencies, string(u))
	}
	checks := []struct {
		schema, prop string
		want         []string
	}{
		{"SupportRequest", "identities", identities},
		{"SupportRequest", "urgency", urgencies},
		{"SupportRequest", "status", strs(string(kindred.RequestWaiting), string(kindred.RequestMatched), string(kindred.RequestEnded), string(kindred.RequestCancelled))},
		{"SupportRequestInputBody", "identities", identities},
		{"SupporterProfile", "identities", identities},
		{"SupportOffer", "urgency", urgencies},
		{"SupportFeedbackInputBody", "helped", strs(string(kindred.HelpedYes), string(kindred.HelpedSomewhat), string(kindred.HelpedNo))},
		{"SupportMatch", "end", strs(string(kindred.MatchEndedByMember), string(kindred.MatchEndedBySupporter), string(kindred.MatchDeclined),
			string(kindred.MatchHandedOff), string(kindred.MatchEndedByStaff))},
	}
	for _, c := range checks {
		if got := enum(c.schema, c.prop); !slices.Equal(got, c.want) {
			t.Errorf("%s.%s enum %v, want %v", c.schema, c.prop, got, c.want)
		}
	}
	// Offers never carry who asked.
	for name := range schemas["SupportOffer"].Properties {
		if strings.Contains(name, "member") || strings.Contains(name, "request") {
			t.Errorf("SupportOffer has %q", name)
		}
	}
	b, _ := json.Marshal(schemas["SupportRequest"].Properties["estimate_seconds"])
	if !strings.Contains(string(b), "null") {
		t.Errorf("estimate_seconds is not nullable: %s", b)
	}
}
