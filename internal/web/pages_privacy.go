package web

import (
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

// privacyRoutes registers the privacy pages.
func (s *Server) privacyRoutes(h func(pattern string, fn http.HandlerFunc)) {
}

// registerPrivacyAPI registers the privacy API operations.
func (s *Server) registerPrivacyAPI(api huma.API) {
}
