package web

import "net/http"

// supportRoutes registers the 1:1 support and supervision pages.
func (s *Server) supportRoutes(h func(pattern string, fn http.HandlerFunc)) {
}
