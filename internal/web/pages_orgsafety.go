package web

import (
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

// orgSafetyRoutes registers the orgsafety pages.
func (s *Server) orgSafetyRoutes(h func(pattern string, fn http.HandlerFunc)) {
}

// registerOrgSafetyAPI registers the orgsafety API operations.
func (s *Server) registerOrgSafetyAPI(api huma.API) {
}
