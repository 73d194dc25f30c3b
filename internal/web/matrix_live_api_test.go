package web_test

// mxLiveAPIMatrix holds the authorization matrix entries for the live
// session and chat API operations.
func mxLiveAPIMatrix() map[string]mxEntry {
	return map[string]mxEntry{}
}
