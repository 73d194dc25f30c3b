package crisis

import "kindred"

// Resource is a crisis line or service shown to someone who may be in
// crisis: on the "Get help now" page and at once when the detector finds
// crisis language in what they wrote. Organisations keep their own
// (kindred.OrgSafety); these are the instance's defaults.
type Resource = kindred.CrisisResource

// DefaultResources returns the instance's default crisis resources for an
// LGBTQ+ audience, as a fresh slice: emergency services first, then
// general crisis lines, then lines run for LGBTQ+ people. Each entry was
// included only where its number and hours are well established; chat
// links are left out rather than risk a wrong one, and hours are left
// empty where they vary.
//
// An organisation can show its own lines instead of, or before, these
// (internal/safety); instance operators should check them against their
// audience before going live. They carry no ids: they are not edited in
// place, only copied.
func DefaultResources() []Resource {
	return []Resource{
		{
			Name:        "Emergency services",
			Description: "If you or someone else is in immediate danger, or has taken something or hurt themselves, call now.",
			Phone:       "911 (US, Canada), 999 (UK), 112 (EU)",
			Hours:       "24/7",
			Region:      "US, Canada, UK, EU",
			Serves:      "Everyone",
		},
		{
			Name:        "988 Suicide & Crisis Lifeline",
			Description: "Free, confidential support from trained counsellors for anyone in emotional distress or thinking about suicide. Spanish is available.",
			Phone:       "988",
			Text:        "Text 988",
			Hours:       "24/7",
			Region:      "US",
			Languages:   []string{"en", "es"},
			Serves:      "Everyone",
		},
		{
			Name:        "9-8-8 Suicide Crisis Helpline",
			Description: "Free support from trained responders for anyone in Canada thinking about suicide or worried about someone, in English or French.",
			Phone:       "988",
			Text:        "Text 988",
			Hours:       "24/7",
			Region:      "Canada",
			Languages:   []string{"en", "fr"},
			Serves:      "Everyone",
		},
		{
			Name:        "Samaritans",
			Description: "Free to call. Someone will listen, whatever you are going through, without judging you.",
			Phone:       "116 123",
			Hours:       "24/7",
			Region:      "UK and Ireland",
			Languages:   []string{"en"},
			Serves:      "Everyone",
		},
		{
			Name:        "Kids Help Phone",
			Description: "Free, confidential counselling and crisis support for young people, by phone or text.",
			Phone:       "1-800-668-6868",
			Text:        "Text CONNECT to 686868",
			Hours:       "24/7",
			Region:      "Canada",
			Languages:   []string{"en", "fr"},
			Serves:      "Young people",
		},
		{
			Name:        "The Trevor Project",
			Description: "Crisis support from counsellors trained to support LGBTQ+ young people, by phone or text.",
			Phone:       "1-866-488-7386",
			Text:        "Text START to 678-678",
			Hours:       "24/7",
			Region:      "US",
			Languages:   []string{"en"},
			Serves:      "LGBTQ+ young people under 25",
		},
		{
			Name:        "Trans Lifeline",
			Description: "Peer support run by and for trans people. Not open around the clock; check their website for current hours.",
			Phone:       "877-565-8860 (US), 877-330-6366 (Canada)",
			Region:      "US and Canada",
			Languages:   []string{"en"},
			Serves:      "Trans and questioning people",
		},
		{
			Name:        "Switchboard LGBT+ helpline",
			Description: "Free, confidential listening from LGBT+ volunteers, for anything you want to talk about. Not open around the clock; check their website for current hours.",
			Phone:       "0800 0119 100",
			Region:      "UK",
			Languages:   []string{"en"},
			Serves:      "LGBT+ people of any age",
		},
	}
}
