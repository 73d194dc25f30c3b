package crisis

// phrasesEN is the English starter list. Each entry is a phrase as a person
// might write it; matching normalises case, accents, apostrophes, spacing
// and punctuation, and expands contractions ("don't" = "do not"), so
// one entry covers its common spellings. No entry may contain another
// (the tests check), which keeps the list short enough to review.
//
// Chosen knowingly, and listed in docs/crisis.md: jokes and hyperbole
// ("I want to die of embarrassment"), negations ("I'm not suicidal"),
// accidents ("I cut myself cooking") and talk about the topic ("suicide
// prevention") all count as hits. A kind check-in costs less than a miss.
var phrasesEN = []string{
	// Suicide: intent, plans and wishes to be dead.
	"kill myself",
	"killing myself",
	"killed myself",
	"kms",
	"end my life",
	"ending my life",
	"end it all",
	"ending it all",
	"take my own life",
	"take my life",
	"suicide",
	"suicidal",
	"unalive",
	"want to die",
	"want to be dead",
	"wish I was dead",
	"wish I were dead",
	"never been born",
	"better off dead",
	"better off without me",
	"no reason to live",
	"nothing to live for",
	"don't want to live",
	"don't want to be alive",
	"don't want to be here anymore",
	"don't want to wake up",
	"sleep and never wake up",
	"can't go on",
	"hang myself",
	"shoot myself",
	"slit my wrists",
	"jump off a bridge",
	"jump in front of a train",
	"overdose",
	"overdosed",
	"all my pills",

	// Self-harm.
	"hurt myself",
	"hurting myself",
	"harm myself",
	"harming myself",
	"self-harm",
	"self harming",
	"cut myself",
	"cutting myself",
	"burning myself",
	"starving myself",

	// Immediate danger from others: at home, on the street, abuse.
	"not safe at home",
	"don't feel safe at home",
	"unsafe at home",
	"scared to go home",
	"afraid to go home",
	"kicked me out",
	"kicked out of home",
	"nowhere to sleep tonight",
	"threatened to kill me",
	"threatened to hurt me",
	"beat me up",
	"hitting me",
	"abusing me",
	"raped me",
}
