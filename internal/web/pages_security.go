package web

import (
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

// securityRoutes registers the security pages.
func (s *Server) securityRoutes(h func(pattern string, fn http.HandlerFunc)) {
}

// registerSecurityAPI registers the security API operations.
func (s *Server) registerSecurityAPI(api huma.API) {
}
