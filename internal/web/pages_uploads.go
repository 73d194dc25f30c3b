package web

import (
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

// uploadRoutes registers the uploads pages.
func (s *Server) uploadRoutes(h func(pattern string, fn http.HandlerFunc)) {
}

// registerUploadAPI registers the uploads API operations.
func (s *Server) registerUploadAPI(api huma.API) {
}
