package web

import "github.com/danielgtaylor/huma/v2"

// registerTrainingAPI registers the training and sign-off operations.
func (s *Server) registerTrainingAPI(api huma.API) {
}
