package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestSafetyOperationsAreDocumented reads the served OpenAPI document and
// finds every operation the safety, moderation and privacy work names.
func TestSafetyOperationsAreDocumented(t *testing.T) {
	t.Parallel()
	s, _, _ := newTestServer(t)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/openapi.json", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("openapi.json: %d", rec.Code)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, methods := range doc.Paths {
		for _, op := range methods {
			ids[op.OperationID] = true
		}
	}
	for _, id := range []string{"listCrisisResources", "getSafetyPlan", "updateSafetyPlan", "createReport", "listModerationQueue",
		"resolveReport", "appealDecision", "blockMember", "muteMember", "exportMyData", "deleteMyAccount",
		"shareSafetyPlan", "decideAppeal", "unblockMember", "unmuteMember", "updateCrisisPhrases", "listPasskeys",
		"enableTwoFactor", "listMySessions", "revokeSession", "uploadImage", "getTransparency"} {
		if !ids[id] {
			t.Errorf("the OpenAPI document has no operation %s", id)
		}
	}
}
