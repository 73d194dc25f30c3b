package web_test

// mxSupportMatrix is the authorization matrix of the support pages and API.
func mxSupportMatrix() map[string]mxEntry {
	return map[string]mxEntry{}
}
