package web

import (
	"net/http"
	"os"
	"testing"
)

func TestDumpOpenAPI(t *testing.T) {
	_, ts, _ := newTestServer(t)
	c := newAPIClient(t, ts)
	res := c.do(http.MethodGet, "/openapi.json", nil)
	os.WriteFile("/tmp/openapi.json", res.Body, 0o644)
	res = c.do(http.MethodGet, "/openapi.yaml", nil)
	os.WriteFile("/tmp/openapi.yaml", res.Body, 0o644)
}
