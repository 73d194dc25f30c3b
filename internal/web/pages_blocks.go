package web

import (
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

// blockRoutes registers the blocks pages.
func (s *Server) blockRoutes(h func(pattern string, fn http.HandlerFunc)) {
}

// registerBlockAPI registers the blocks API operations.
func (s *Server) registerBlockAPI(api huma.API) {
}
