package web_test

// The authorization matrix for "Get help now". The crisis lines are for
// everyone, signed in or not, in every organisation or none: an
// organisation's help page answers 200 even where the organisation is
// hidden (it then shows the instance's lines without the name).

func mxHelpMatrix() map[string]mxEntry {
	return map[string]mxEntry{
		"GET /help": {class: mxPublic, build: func(w *mxWorld, c *mxCell) mxRequest { return get("/help") }},
		"GET /o/{org}/help": {class: mxPublic, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return get(orgURL(c) + "/help")
		}},
	}
}
