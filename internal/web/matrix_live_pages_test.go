package web_test

// mxLivePagesMatrix holds the authorization matrix entries for the live
// session and chat pages and the WebSocket endpoint.
func mxLivePagesMatrix() map[string]mxEntry {
	return map[string]mxEntry{}
}
