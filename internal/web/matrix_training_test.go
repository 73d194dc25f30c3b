package web_test

// mxTrainingMatrix is the authorization matrix of the training pages and API.
func mxTrainingMatrix() map[string]mxEntry {
	return map[string]mxEntry{}
}
