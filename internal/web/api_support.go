package web

import "github.com/danielgtaylor/huma/v2"

// registerSupportAPI registers the 1:1 support and supervision operations.
func (s *Server) registerSupportAPI(api huma.API) {
}
