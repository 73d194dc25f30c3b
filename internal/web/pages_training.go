package web

import "net/http"

// trainingRoutes registers the training and sign-off pages.
func (s *Server) trainingRoutes(h func(pattern string, fn http.HandlerFunc)) {
}
