package web

import (
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

// moderationRoutes registers the moderation pages.
func (s *Server) moderationRoutes(h func(pattern string, fn http.HandlerFunc)) {
}

// registerModerationAPI registers the moderation API operations.
func (s *Server) registerModerationAPI(api huma.API) {
}
