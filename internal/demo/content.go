// Package demo holds the content of Kindred's demo community: one community
// centre with its people, peer support groups, threads and replies. It is
// pure data; the seeding code turns it into records through the services.
//
// Everything here is fiction. Handles are pseudonyms, and no real
// organisation, phone number or web address appears.
package demo

import (
	"strings"
	"time"

	"kindred"
)

// Password is the one password every demo account shares.
const Password = "kindred-demo-2026"

// Person is one demo account and its membership of the organisation.
type Person struct {
	Handle, DisplayName, Pronouns, Bio string
	AgeBand                            kindred.AgeBand
	// Roles are organisation role names from kindred: member,
	// peer_supporter, facilitator, coordinator, moderator, admin.
	Roles []string
}

// Reply is a reply in a thread.
type Reply struct {
	Author, Body, ContentWarning string
	Anonymous                    bool
	// Reactions maps each reaction to the handles of those who gave it.
	Reactions map[kindred.ReactionKind][]string
	// AgeOffset is how long after the thread started the reply was written.
	AgeOffset time.Duration
}

// Thread is a thread in a group: its opening post and replies.
type Thread struct {
	Author                      string
	Kind                        kindred.ThreadKind
	Title, Body, ContentWarning string
	Anonymous                   bool
	Age                         time.Duration // how long ago it started
	Reactions                   map[kindred.ReactionKind][]string
	Replies                     []Reply
}

// Group is a peer support group with its people and threads.
type Group struct {
	Draft        kindred.GroupDraft
	Facilitators []string // handles; the first one creates the group
	Members      []string // handles of active members (facilitators not repeated)
	Pending      []string // handles who asked to join a private group
	Threads      []Thread
}

// Community is the whole demo organisation.
type Community struct {
	Org      kindred.OrganizationDraft
	People   []Person
	Groups   []Group
	Password string
	// Live sessions and conversations.
	Sessions      []Session
	Conversations []Conversation
}

// Content returns the demo community. Each call builds a fresh copy, so a
// caller may change what it gets without affecting later calls.
func Content() Community {
	return Community{
		Org:      organization(),
		People:   people(),
		Groups:   groups(),
		Password: Password,

		Sessions:      sessions(),
		Conversations: conversations(),
	}
}

// paras joins Markdown paragraphs with blank lines.
func paras(p ...string) string { return strings.Join(p, "\n\n") }

// ago is a thread's age: days and hours before now.
func ago(days, hours int) time.Duration {
	return time.Duration(days)*24*time.Hour + time.Duration(hours)*time.Hour
}

// after is a reply's offset from the start of its thread.
func after(hours, minutes int) time.Duration {
	return time.Duration(hours)*time.Hour + time.Duration(minutes)*time.Minute
}

// react builds a reactions map from space-separated handles for "me too",
// "sending strength" and "thank you for sharing". Empty kinds are left out.
func react(meToo, strength, thanks string) map[kindred.ReactionKind][]string {
	m := map[kindred.ReactionKind][]string{}
	for kind, who := range map[kindred.ReactionKind]string{
		kindred.ReactMeToo:    meToo,
		kindred.ReactStrength: strength,
		kindred.ReactThankYou: thanks,
	} {
		if handles := strings.Fields(who); len(handles) > 0 {
			m[kind] = handles
		}
	}
	return m
}

func organization() kindred.OrganizationDraft {
	return kindred.OrganizationDraft{
		Name:       "Harbour Pride Community Centre",
		Slug:       "harbour",
		Kind:       kindred.OrgCommunityCentre,
		JoinPolicy: kindred.JoinOpen,
		Description: paras(
			"Welcome to **Harbour Pride Community Centre** — a warm, volunteer-powered home for lesbian, gay, bi, trans, nonbinary, ace, intersex and questioning people, and for everyone still finding their words.",
			"Down by the old harbour we run drop-ins, a Thursday tea night, a Saturday youth group and a lending library with more queer comics than shelf space. This online space is where we keep talking between visits.",
			"**Here you can:**",
			"- join peer support groups on coming out, trans and nonbinary life, faith, families and more;\n- share a story, ask a question or simply check in — under your own name, a nickname, or anonymously to your peers;\n- talk one to one with a trained peer supporter who has been somewhere like where you are.",
			"Nobody here is an expert on your life except you. We are people who have been through things, sharing what helped. Read for a while if you like, and say hello when you are ready.",
			"*You are welcome exactly as you are.*",
		),
		CodeOfConduct: paras(
			"# Our community agreements",
			"Harbour Pride is a peer support community. These agreements are how we keep it safe enough for people to be honest. By joining you agree to them. They apply everywhere here: groups, replies, live sessions, chat and one-to-one conversations.",
			"## 1. What is shared here stays here",
			"People tell stories here that they have not told anyone else. Don't copy, screenshot or repeat what someone shares outside the space where they shared it — not even without their name. Take home what you learned; leave behind who said it.",
			"## 2. Never out anyone",
			"A person's sexuality, gender, trans history, health or immigration status is theirs to share. Never reveal it, hint at it or guess at it — here or anywhere else. If you recognise someone from school, work or your town, keep it to yourself unless they bring it up.",
			"## 3. Respect names and pronouns",
			"Use the names and pronouns people give. If you get it wrong, correct yourself briefly and carry on. Never ask for anyone's \"real name\", and don't ask about people's bodies or medical history.",
			"## 4. Share experiences, not diagnoses",
			"We are peers, not doctors, therapists or lawyers. Please don't diagnose anyone or give medical, medication or legal advice. Talk about what happened to you and what helped you — *\"when I told my dad, what helped me was…\"* — and let people take what fits.",
			"## 5. Ask before advising",
			"Sometimes people want ideas; sometimes they want to be heard. If you're not sure, ask: *\"Would suggestions help, or would you rather just vent?\"* — and respect the answer.",
			"## 6. No hate, no recruitment, no \"conversion\"",
			"No homophobia, biphobia, transphobia, acephobia, racism, ableism, misogyny, or contempt for anyone's faith or lack of one. Nobody's identity is up for debate here. No attempts to change anyone's sexuality or gender, no promotion of so-called conversion practices, and no recruiting for religions, causes, products or schemes.",
			"## 7. Use content warnings",
			"If you write about something heavy — self-harm, violence, abuse, family rejection, hate — add a content warning and keep the details non-graphic. Describe how it felt and what helped rather than what was done. Then others can choose when they are ready to read.",
			"## 8. Young people and adults",
			"Some spaces are only for 13–17 year olds and some only for adults; please respect them. Adults never start private conversations with young members. Nobody asks anyone for photos, addresses or to meet up in private.",
			"## 9. Look after yourself",
			"You don't have to read everything or reply to everyone. It's fine to step away, mute a thread, or write *\"I can't reply today, but I'm thinking of you.\"* Supporting others works best when you are supported too — that includes our peer supporters and facilitators.",
			"## 10. Reaching a moderator",
			"If something worries you — a post, a message, someone's safety — use **Report** on it. The person you report is never told who reported them, and a moderator reads every report and lets you know what happened. You can also write to the moderators from the *Help* page, or speak to any member of staff at the centre. Facilitators can step in within their own groups.",
			"## In an emergency",
			"This is a peer support space, not an emergency service, and nobody watches it around the clock. **If you or someone else is in immediate danger, call your local emergency services now.** The *Get help now* button at the top of every page lists crisis lines you can reach at any hour.",
			"---",
			"Breaking these agreements can lead to a reminder, a post being hidden, a suspension or a ban. Moderators always give a reason, and you can always appeal.",
		),
	}
}

func people() []Person {
	return []Person{
		{
			Handle: "sam_admin", DisplayName: "Sam (admin)", Pronouns: "they/he", AgeBand: kindred.AgeAdult,
			Bio:   "I look after Harbour Pride's online space and help run Thursday tea night. Nonbinary, forty-something, terrible at darts. If something here isn't working for you — access, a setting, a group you wish existed — tell me.",
			Roles: []string{"admin"},
		},
		{
			Handle: "juniper_moon", DisplayName: "Juniper", Pronouns: "she/her", AgeBand: kindred.AgeAdult,
			Bio:   "Moderator. Lesbian, Caribbean-British, mum of two small whirlwinds. I read every report that comes in. If something feels off, press Report or message me — you will never be in trouble for asking.",
			Roles: []string{"moderator"},
		},
		{
			Handle: "teo_oak", DisplayName: "Teo", Pronouns: "he/him", AgeBand: kindred.AgeAdult,
			Bio:   "Trans man and group facilitator: the trans and nonbinary circle, faith and spirituality, and one quieter circle. Woodworker at weekends. I came out at thirty-one and I'm still amazed how much life there is on this side of it.",
			Roles: []string{"facilitator"},
		},
		{
			Handle: "priya_lights", DisplayName: "Priya", Pronouns: "she/they", AgeBand: kindred.AgeAdult,
			Bio:   "Youth worker at the centre and facilitator for the coming out, youth and families groups. Bi, British-Indian, owned by a very opinionated cat. I believe everyone deserves to be met where they are.",
			Roles: []string{"facilitator"},
		},
		{
			Handle: "margo_knits", DisplayName: "Margo", Pronouns: "she/her", AgeBand: kindred.AgeAdult,
			Bio:   "I coordinate our peer supporters: training, sign-off, and making sure the people who hold space get held too. Lesbian since before it made the papers. Mum of a grown-up son who taught me more than I taught him. Always knitting something.",
			Roles: []string{"coordinator"},
		},
		{
			Handle: "kwame_tide", DisplayName: "Kwame", Pronouns: "he/him", AgeBand: kindred.AgeAdult,
			Bio:   "Trained peer supporter. Gay, Black and Christian — yes, all three, and it took me years to say that without flinching. Choir tenor. Happy to talk about faith, family, or just how your week is going.",
			Roles: []string{"peer_supporter"},
		},
		{
			Handle: "wren_moth", DisplayName: "Wren", Pronouns: "they/them", AgeBand: kindred.AgeAdult,
			Bio:   "Peer supporter. Nonbinary, grey-ace, and a wheelchair user with a chronic illness that keeps life interesting. Slow to reply on flare days, but I always do. Ask me about accessible queer spaces — I have opinions.",
			Roles: []string{"peer_supporter"},
		},
		{
			Handle: "alex_demo", DisplayName: "Alex", Pronouns: "they/them", AgeBand: kindred.AgeYoungAdult,
			Bio:   "New here and figuring things out — nonbinary, I think, and quietly excited about it. (This is the demo account: log in as me and look around.)",
			Roles: []string{"member"},
		},
		{
			Handle: "paper_cranes", DisplayName: "Jess", Pronouns: "she/they", AgeBand: kindred.AgeYouth,
			Bio:   "Bi, sixteen, folds paper cranes when anxious (so: a lot of cranes). Revising for exams and trying to be gentle with myself about it.",
			Roles: []string{"member"},
		},
		{
			Handle: "nova_sky", DisplayName: "Nova", Pronouns: "xe/xem", AgeBand: kindred.AgeYouth,
			Bio:   "Nonbinary, into astronomy and drawing dragons. Still working out the rest, and that's fine.",
			Roles: []string{"member"},
		},
		{
			Handle: "skater_eli", DisplayName: "Eli", Pronouns: "he/him", AgeBand: kindred.AgeYouth,
			Bio:   "Trans guy, skateboarder, falls off a lot. Came out at school last year. Here so the next kid feels a bit less lost than I did.",
			Roles: []string{"member"},
		},
		{
			Handle: "hedgerow_hal", DisplayName: "Hal", Pronouns: "he/him", AgeBand: kindred.AgeAdult,
			Bio:   "Gay sheep farmer from a village with one pub, one shop and, as far as I knew until recently, one gay. Turns out there are three of us. Slow typist.",
			Roles: []string{"member"},
		},
		{
			Handle: "mei_spades", DisplayName: "Mei", Pronouns: "she/her", AgeBand: kindred.AgeYoungAdult,
			Bio:   "Asexual, biromantic, second-year engineering student from a Chinese-Malaysian family. Here to find people who don't think I'm broken — it turns out there are lots.",
			Roles: []string{"member"},
		},
		{
			Handle: "rosa_rue", DisplayName: "Rosa", Pronouns: "she/her", AgeBand: kindred.AgeAdult,
			Bio:   "Trans woman, Latina, warehouse shift worker, mum to a nine-year-old who thinks I'm the coolest person alive (correct). Tea night regular.",
			Roles: []string{"member"},
		},
		{
			Handle: "porchlight_dad", DisplayName: "Marcus", Pronouns: "he/him", AgeBand: kindred.AgeAdult,
			Bio:   "Dad of two teenagers, one of them my trans son. Electrician. Learning as fast as I can. I leave the porch light on — that's the whole philosophy.",
			Roles: []string{"member"},
		},
		{
			Handle: "bea_bakes", DisplayName: "Bea", AgeBand: kindred.AgeAdult,
			Bio:   "Grandmother of five, choir alto, baker of too many scones. My eldest grandchild came out as nonbinary at Christmas and I want to get this right.",
			Roles: []string{"member"},
		},
	}
}

func groups() []Group {
	return []Group{
		comingOut(),
		transCircle(),
		queerYouth(),
		parentsAndFamilies(),
		survivorsCircle(),
		faithAndSpirituality(),
	}
}

func comingOut() Group {
	return Group{
		Draft: kindred.GroupDraft{
			Name:  "Coming out",
			Slug:  "coming-out",
			Topic: "Coming out to yourself, family, friends, school or work — at your own pace.",
			Description: paras(
				"A place for every stage of coming out: the first time you say it to yourself, the big conversations, the small everyday ones, and the times you decide *not* to.",
				"There is no right order and no deadline. Coming out is something you get to do on your own terms — when it feels safe, or never. Facilitated by Priya.",
			),
			Guidelines: paras(
				"- **Your pace, your choice.** Nobody here will push you to come out, or tell you you're \"not really out\" yet.\n" +
					"- **Stories, not instructions.** Share what happened for you and what helped; let others take what fits.\n" +
					"- **Ask before advising:** \"Do you want ideas, or just to be heard?\"\n" +
					"- **Never out anyone**, and leave out details that could identify someone's family, school or workplace.\n" +
					"- **Use a content warning** for rejection, hostility or anything heavy, and keep it non-graphic.\n" +
					"- **Safety first.** If coming out could put your home or safety at risk, waiting is a valid choice — a peer supporter can help you think it through.",
			),
			Visibility: kindred.VisibilityPublic,
			AgeRule:    kindred.AgeAny,
		},
		Facilitators: []string{"priya_lights"},
		Members:      []string{"hedgerow_hal", "kwame_tide", "mei_spades", "alex_demo", "paper_cranes", "nova_sky", "skater_eli", "rosa_rue", "wren_moth", "juniper_moon"},
		Threads: []Thread{
			{
				Author: "hedgerow_hal", Kind: kindred.ThreadStory,
				Title: "Came out to my mum over the washing-up",
				Body: paras(
					"I'm 38 and I've been putting this off for about twenty years, so bear with me.",
					"Sunday after lunch, Mum washing, me drying, radio on. I'd rehearsed a whole speech on the drive over and forgot every word of it. What came out was: \"Mum, I'm gay. I have been the whole time.\"",
					"She didn't turn round. She rinsed the same plate for what felt like a week. Then she handed it to me and said:",
					"> \"Well, you'd better dry that, then.\"",
					"I didn't know what to do with that, so I dried it. We finished the pots without saying much. At the door she hugged me longer than usual. Three weeks later, on the phone, out of nowhere: \"Are you seeing anybody nice?\" I had to pull the Land Rover over.",
					"What helped me, in case it helps anyone:\n\n- **Doing it side by side, with something to do with our hands.** No staring across a table.\n- **Saying it plainly.** The speech would have been for me, not her.\n- **Letting her be quiet.** Her silence wasn't a no. It was her catching up with twenty years.\n- **Having someone to text afterwards.** I messaged a friend from tea night from the lay-by and he rang me straight back.",
					"It's not a fairy tale. She still calls it \"your situation\" sometimes. But it's a start, and I didn't think I'd get one.",
				),
				Age:       ago(19, 4),
				Reactions: react("mei_spades rosa_rue", "kwame_tide", "priya_lights alex_demo juniper_moon"),
				Replies: []Reply{
					{
						Author:    "kwame_tide",
						Body:      "That lay-by phone call is one of my favourite memories of this year, Hal. \"Well, you'd better dry that, then\" is going straight into the family-sayings hall of fame. So proud of you.",
						Reactions: react("", "", "hedgerow_hal"),
						AgeOffset: after(2, 10),
					},
					{
						Author:    "mei_spades",
						Body:      "The side-by-side thing is so real. I came out to my brother while we were both building flat-pack furniture and it was so much easier than eye contact. Also \"Are you seeing anybody nice?\" is a mum's way of saying a LOT.",
						Reactions: react("hedgerow_hal alex_demo", "", ""),
						AgeOffset: after(5, 45),
					},
					{
						Author:    "paper_cranes",
						Body:      "my mum goes quiet like that too and I always assume the worst. reading this made me think maybe quiet just means thinking. thank you for writing it down",
						Reactions: react("", "priya_lights", "hedgerow_hal"),
						AgeOffset: after(20, 0),
					},
					{
						Author: "priya_lights",
						Body: paras(
							"Thank you for writing down what helped, not just what happened — that's gold for people still working up to it.",
							"Jess, you're right that quiet often means catching up. It can also mean someone needs more time than one conversation. Both are okay to wait through.",
						),
						Reactions: react("", "", "paper_cranes hedgerow_hal"),
						AgeOffset: after(26, 30),
					},
					{
						Author:    "alex_demo",
						Body:      "Pulling the Land Rover over made me laugh and then cry a little. Hope you and your mum keep finding your way.",
						AgeOffset: after(52, 15),
					},
				},
			},
			{
				Author: "kwame_tide", Kind: kindred.ThreadStory,
				Title:          "When family doesn't come round (yet)",
				ContentWarning: "family rejection, religious family",
				Body: paras(
					"I want to write this for anyone whose coming out didn't go like the hopeful stories. Mine didn't, at first.",
					"I told my parents at twenty-two. My dad said I was no longer welcome at the house, and for four years he meant it. My mum sent birthday cards with nothing written inside but her name. I know now that was the most she felt able to do.",
					"Things I wish someone had told me then:",
					"- *Their reaction is about where they are, not about what you are.* It took me a long time to believe that.\n- **Chosen family is real family.** My housemates cooked me Christmas dinner that first year. One of them still phones me every Sunday.\n- Some doors reopen. My younger sister came back first, then my mum. My dad and I now talk about football, which is a start.\n- Some doors don't, and a good life is still possible on this side of them.",
					"If you're in the middle of this right now: I'm sorry. You didn't do anything wrong by telling the truth.",
				),
				Age:       ago(15, 9),
				Reactions: react("rosa_rue wren_moth", "hedgerow_hal priya_lights mei_spades", "alex_demo juniper_moon"),
				Replies: []Reply{
					{
						Author:    "rosa_rue",
						Body:      "Birthday cards with only a name in them. My abuela did the same. Years later she told me she'd written three pages every time and thrown them away because she didn't know what to say. Doesn't excuse it, but it changed how I held it.",
						Reactions: react("kwame_tide", "", "wren_moth"),
						AgeOffset: after(3, 0),
					},
					{
						Author:    "hedgerow_hal",
						Body:      "Reading this after my washing-up story feels important. Thank you for showing the other side honestly, Kwame. Football is a start. Football is a good start.",
						Reactions: react("", "", "kwame_tide"),
						AgeOffset: after(7, 20),
					},
					{
						Author:    "wren_moth",
						Body:      "\"A good life is still possible on this side of them.\" Underlining that twice. My chosen family is a group chat called *Soup Committee* and they have held me through more than my birth family ever knew about.",
						Reactions: react("rosa_rue", "", "kwame_tide"),
						AgeOffset: after(22, 5),
					},
					{
						Author:    "priya_lights",
						Body:      "Thank you for putting a content warning on this and keeping it so gentle, Kwame. For anyone reading who is facing this now: our peer supporters can talk one to one, and it's okay to ask more than once.",
						AgeOffset: after(30, 0),
					},
					{
						Author:    "alex_demo",
						Body:      "I needed to read this today. Not ready to say why yet. Just thank you.",
						Reactions: react("", "kwame_tide wren_moth rosa_rue", ""),
						AgeOffset: after(73, 40),
					},
				},
			},
			{
				Author: "mei_spades", Kind: kindred.ThreadQuestion,
				Title: "Coming out as ace when everyone says I'll \"meet the right person\"",
				Body: paras(
					"I've told three close friends I'm asexual. Every single one said some version of \"you just haven't met the right person yet\". One said it kindly, one laughed, and one asked if I'd \"talked to someone about it\", like it's a problem to fix.",
					"I don't want to lose these friends, but I also don't want to explain my whole self every time. How have other ace folks handled this? Especially the well-meaning ones?",
				),
				Age:       ago(12, 2),
				Reactions: react("wren_moth", "nova_sky", "priya_lights"),
				Replies: []Reply{
					{
						Author: "wren_moth",
						Body: paras(
							"Grey-ace here, and I've had every version of that sentence. What helped me was having one short line ready so I didn't have to re-explain each time. Mine is:",
							"> \"I know it's hard to imagine, but I'm not waiting for anything. I'm already me.\"",
							"Then I change the subject. The ones worth keeping usually come back later with a better question.",
						),
						Reactions: react("mei_spades", "", "mei_spades kwame_tide"),
						AgeOffset: after(1, 30),
					},
					{
						Author:    "kwame_tide",
						Body:      "Not ace myself, so take this lightly: when people told me I'd \"grow out of\" being gay, what helped was remembering they were describing their imagination, not my life. The friend who laughed might just be embarrassed. It's fair to tell them that stung.",
						Reactions: react("", "", "mei_spades"),
						AgeOffset: after(6, 0),
					},
					{
						Author:    "nova_sky",
						Body:      "i'm 14 and people say the same thing to me but with \"you're too young to know\" on top. so i guess they'll say it at every age lol. thank you for asking this",
						Reactions: react("mei_spades", "wren_moth", ""),
						AgeOffset: after(9, 10),
					},
					{
						Author:    "priya_lights",
						Body:      "Mei, would it help if we ran an ace and aro evening at the centre? A few people have asked. You wouldn't have to explain anything there — everyone would already get it.",
						Reactions: react("", "", "mei_spades wren_moth"),
						AgeOffset: after(28, 0),
					},
					{
						Author:    "mei_spades",
						Body:      "Yes please!! And Wren, I've written your line on a sticky note. Tried a version with the kind friend yesterday and she said \"okay, tell me more\". First time anyone has.",
						Reactions: react("", "", "wren_moth priya_lights"),
						AgeOffset: after(50, 20),
					},
				},
			},
			{
				Author: "paper_cranes", Kind: kindred.ThreadQuestion, Anonymous: true,
				Title: "I think I'm bi and I don't know who to tell first",
				Body: paras(
					"I've known for about a year. I haven't told anyone. My friends are nice but they gossip, my mum is religious, and my older brother would probably be fine but he'd make jokes.",
					"Part of me wants to tell *someone* so it stops being just in my head. Part of me wants to wait until I'm out of school. Is it weird to feel both?",
				),
				Age:       ago(6, 7),
				Reactions: react("skater_eli mei_spades", "priya_lights", ""),
				Replies: []Reply{
					{
						Author:    "skater_eli",
						Body:      "not weird at all. i felt both for ages. for me telling one person i trusted (my cousin) made it feel less like a secret bomb in my chest. and waiting is fine too, you're not lying to anyone by keeping it to yourself",
						Reactions: react("", "", "paper_cranes"),
						AgeOffset: after(0, 50),
					},
					{
						Author: "priya_lights",
						Body: paras(
							"Feeling both is about as normal as it gets. Wanting to share it and wanting to protect it are both ways of looking after yourself.",
							"Telling people here already counts, by the way — it's out of your head now and in a place where people get it. If you want to keep talking with people your age, the **Queer youth** group is a good spot too. And if you ever want to think through who might be safe to tell, you can message me.",
						),
						Reactions: react("", "", "paper_cranes skater_eli"),
						AgeOffset: after(3, 15),
					},
					{
						Author:    "hedgerow_hal",
						Body:      "I waited twenty years, so I'm not going to tell anyone to hurry. But the first person I told was a friend who I knew would be calm rather than the closest one. Calm turned out to matter more than close.",
						Reactions: react("", "", "paper_cranes mei_spades"),
						AgeOffset: after(8, 30),
					},
					{
						Author:    "mei_spades",
						Body:      "The brother who makes jokes is such a specific kind of worry. Mine did too — when I told him, I said first \"please don't joke about this one\" and he actually didn't. Whatever you decide, you're allowed to take your time.",
						Reactions: react("", "", "paper_cranes"),
						AgeOffset: after(14, 5),
					},
				},
			},
			{
				Author: "priya_lights", Kind: kindred.ThreadCheckIn,
				Title: "Sunday check-in: one small brave thing",
				Body: paras(
					"Happy Sunday, everyone. This week's check-in is simple:",
					"**What's one small brave thing you did this week?** It doesn't have to be about coming out. Getting out of bed on a hard day counts. So does deciding *not* to have a conversation you weren't ready for.",
					"I'll start: I corrected a colleague who called my partner my \"friend\". Heart going like a drum, but I did it.",
				),
				Age:       ago(2, 5),
				Reactions: react("rosa_rue", "", "alex_demo kwame_tide"),
				Replies: []Reply{
					{
						Author:    "alex_demo",
						Body:      "I told my flatmate my pronouns are they/them. She said \"cool, got it\" and then asked if I wanted the last of the pasta. Best possible outcome.",
						Reactions: react("", "", "priya_lights rosa_rue skater_eli hedgerow_hal"),
						AgeOffset: after(1, 10),
					},
					{
						Author:    "rosa_rue",
						Body:      "Went to a new hairdresser and didn't explain anything about myself. Just asked for what I wanted. Small, but three years ago I couldn't.",
						Reactions: react("", "", "priya_lights alex_demo"),
						AgeOffset: after(3, 40),
					},
					{
						Author:    "hedgerow_hal",
						Body:      "Went to the pub quiz with the other two gays in the village. Sat at a table together in public. Came second.",
						Reactions: react("", "", "alex_demo kwame_tide rosa_rue"),
						AgeOffset: after(5, 0),
					},
					{
						Author:    "skater_eli",
						Body:      "asked my form tutor to update my name on the register. it's done now. no more wincing at 8:45",
						Reactions: react("", "rosa_rue", "priya_lights alex_demo"),
						AgeOffset: after(7, 25),
					},
					{
						Author:    "kwame_tide",
						Body:      "Said no to covering a shift so I could rest. That's a brave one for me. Lovely to read all of yours.",
						Reactions: react("rosa_rue", "", ""),
						AgeOffset: after(11, 0),
					},
				},
			},
		},
	}
}

func transCircle() Group {
	return Group{
		Draft: kindred.GroupDraft{
			Name:  "Trans and nonbinary peer circle",
			Slug:  "trans-nonbinary-circle",
			Topic: "Trans, nonbinary, genderqueer and questioning people of all ages supporting each other.",
			Description: paras(
				"For trans women, trans men, nonbinary, genderfluid, agender and questioning people of every age. Talk about names and pronouns, clothes, family, school and work, waiting, and the good days.",
				"You don't need to be sure, out, or \"trans enough\" to belong here. Facilitated by Teo.",
			),
			Guidelines: paras(
				"- **No gatekeeping.** Nobody has to prove their gender here.\n" +
					"- **Experiences, not medical advice.** Share what your journey was like; leave medication and treatment decisions to each person and their own clinicians.\n" +
					"- **Don't ask about bodies.** Let people share what they choose.\n" +
					"- **Names and pronouns can change.** Use the newest one, no fuss.\n" +
					"- **Content warnings** for transphobia, harassment and heavy dysphoria posts.\n" +
					"- **Celebrate the small wins.** They count.",
			),
			Visibility: kindred.VisibilityPublic,
			AgeRule:    kindred.AgeAny,
		},
		Facilitators: []string{"teo_oak"},
		Members:      []string{"wren_moth", "rosa_rue", "nova_sky", "skater_eli", "alex_demo", "sam_admin"},
		Threads: []Thread{
			{
				Author: "rosa_rue", Kind: kindred.ThreadStory,
				Title:          "What got me through a rough month at work",
				ContentWarning: "transphobic harassment at work (no slurs quoted)",
				Body: paras(
					"Last month a new guy on my shift decided I was his favourite topic. Deadnaming me on purpose, \"jokes\" in the break room, that kind of thing. I want to share what helped, because at the start I felt completely alone with it.",
					"- **I wrote everything down.** Date, time, what was said, who was there. Boring, but it turned \"he's always on at me\" into something nobody could wave away.\n- **I found one ally.** A shift lead I'd never really talked to said, \"That's not on. I'll back you.\" One person was enough.\n- **I used my breaks for me.** A walk round the car park with headphones instead of sitting in the break room with him.\n- **I had a line ready:** \"I'm here to work, same as you.\" Then I walked off. No debate.\n- **Tea night on Thursdays.** Laughing with you lot reminded me he wasn't the whole world.",
					"It went to HR in the end, with my notes and the shift lead beside me. He's been moved to another site. I'm still a bit jumpy on nights, but I'm okay. More than okay, some days.",
				),
				Age:       ago(17, 3),
				Reactions: react("wren_moth", "teo_oak alex_demo nova_sky", "sam_admin skater_eli"),
				Replies: []Reply{
					{
						Author:    "teo_oak",
						Body:      "Rosa, the writing-it-down part is something I wish I'd done at my old job. It feels petty at the time and then it's the thing that protects you. Really glad you had that shift lead.",
						Reactions: react("", "", "rosa_rue"),
						AgeOffset: after(1, 45),
					},
					{
						Author:    "wren_moth",
						Body:      "\"I'm here to work, same as you\" and walking off is such a power move. Refusing to debate your existence is a whole skill and you nailed it.",
						Reactions: react("", "", "rosa_rue"),
						AgeOffset: after(4, 0),
					},
					{
						Author:    "sam_admin",
						Body:      "For anyone reading who's dealing with something similar: the front desk at the centre has a printed guide to your rights at work, and a couple of our volunteers will sit with you while you write things up. And Rosa — the tea night table is yours any Thursday.",
						Reactions: react("", "", "rosa_rue teo_oak"),
						AgeOffset: after(9, 30),
					},
					{
						Author:    "nova_sky",
						Body:      "i don't have a job yet but this is useful for school too. writing stuff down + finding one adult who backs you. saving this",
						Reactions: react("", "rosa_rue", ""),
						AgeOffset: after(25, 10),
					},
					{
						Author:    "alex_demo",
						Body:      "So glad he's gone and you're okay. Also stealing the car park walk idea for my own bad days.",
						AgeOffset: after(40, 0),
					},
				},
			},
			{
				Author: "wren_moth", Kind: kindred.ThreadStory,
				Title: "Forms with two boxes and a ramp round the back",
				Body: paras(
					"Small rant, with a hopeful ending.",
					"Being disabled *and* nonbinary means a lot of my week is spent on forms that don't have a box for me, in buildings where the accessible entrance is next to the bins. This week I had three \"Mr or Mrs?\" phone calls and one lift that was out of order.",
					"What keeps me sane:",
					"- I keep a note on my phone with my name, pronouns and access needs in two sentences, so I can paste it instead of explaining from scratch.\n- I let myself skip one thing a week that's more effort than it's worth.\n- I write to places afterwards when they *do* get it right. It's rarer, and it helps them keep doing it.",
					"The hopeful ending: my local library changed its sign-up form after I wrote to them. It now has a free-text box for title and a line asking about access needs. Small wins.",
				),
				Age:       ago(11, 6),
				Reactions: react("alex_demo rosa_rue", "", "teo_oak sam_admin"),
				Replies: []Reply{
					{
						Author:    "sam_admin",
						Body:      "This nudged me to look at our own forms. The centre's event sign-up now asks for name, pronouns (optional) and access needs — and the sign-up here never asks for a title at all. Thank you, Wren.",
						Reactions: react("", "", "wren_moth rosa_rue"),
						AgeOffset: after(2, 0),
					},
					{
						Author:    "teo_oak",
						Body:      "The pre-written note is brilliant. I've started doing the same for phone calls — reading from a script takes the wobble out of my voice.",
						Reactions: react("wren_moth", "", ""),
						AgeOffset: after(6, 30),
					},
					{
						Author:    "alex_demo",
						Body:      "The \"skip one thing a week\" permission is something I didn't know I needed. Thank you.",
						Reactions: react("", "", "wren_moth"),
						AgeOffset: after(19, 0),
					},
					{
						Author:    "rosa_rue",
						Body:      "Writing to say thank you when places get it right — I never thought of that. Doing it this week for my son's school office. They fixed my name in one day.",
						Reactions: react("", "", "wren_moth teo_oak"),
						AgeOffset: after(31, 15),
					},
				},
			},
			{
				Author: "nova_sky", Kind: kindred.ThreadQuestion,
				Title: "How did you pick your name?",
				Body: paras(
					"I'm trying out Nova at the moment and I like it, but I keep wondering if it's *the one*. How did you choose yours? Did you try a few first?",
				),
				Age:       ago(9, 1),
				Reactions: react("alex_demo skater_eli", "", "teo_oak"),
				Replies: []Reply{
					{
						Author:    "teo_oak",
						Body:      "I tried three before Teo. One felt like a costume, one was lovely but nobody could spell it. Teo came from my grandad, Teodor — it felt like being claimed by family I'd never met. It's completely okay to try names on like jackets.",
						Reactions: react("", "", "nova_sky rosa_rue"),
						AgeOffset: after(0, 40),
					},
					{
						Author:    "skater_eli",
						Body:      "i tried mine out at coffee shops. you give a name for your order and see how it feels when they shout it. Eli felt right the second time i heard it",
						Reactions: react("alex_demo", "", "nova_sky teo_oak"),
						AgeOffset: after(2, 15),
					},
					{
						Author:    "rosa_rue",
						Body:      "Rosa is for my grandmother's roses — she grew them along the back wall and let me help when nobody else was watching. Picking a name that carried a good memory helped me a lot.",
						Reactions: react("", "", "nova_sky"),
						AgeOffset: after(5, 0),
					},
					{
						Author:    "wren_moth",
						Body:      "Wren because it's a tiny bird with an enormous voice. And honestly, Nova — \"is it the one\" is a question you get to keep asking. A name you choose is allowed to change again.",
						Reactions: react("", "", "nova_sky alex_demo"),
						AgeOffset: after(12, 20),
					},
					{
						Author:    "alex_demo",
						Body:      "I kept Alex because it already felt like mine. That's a valid way too, if anyone's reading this and feeling like they *have* to pick something new.",
						Reactions: react("nova_sky", "", ""),
						AgeOffset: after(30, 0),
					},
				},
			},
			{
				Author: "teo_oak", Kind: kindred.ThreadCheckIn,
				Title: "Euphoria check-in: one good thing",
				Body: paras(
					"We talk a lot here about the hard bits, which is what we're for. But this thread is just for the good ones.",
					"**Tell us one moment lately when you felt like yourself.** Tiny is perfect.",
				),
				Age:       ago(4, 2),
				Reactions: react("", "", "wren_moth rosa_rue"),
				Replies: []Reply{
					{
						Author:    "skater_eli",
						Body:      "got a proper short haircut. the barber called me \"mate\" the whole time and didn't think twice",
						Reactions: react("", "", "teo_oak rosa_rue nova_sky"),
						AgeOffset: after(0, 35),
					},
					{
						Author:    "wren_moth",
						Body:      "A friend introduced me to someone new as \"my friend Wren, they're great\" — without a pause before \"they\". I'm still smiling.",
						Reactions: react("alex_demo", "", "teo_oak"),
						AgeOffset: after(2, 0),
					},
					{
						Author:    "nova_sky",
						Body:      "my art teacher used xe/xem for me in front of the whole class and nobody even reacted. it was just normal!!",
						Reactions: react("", "", "teo_oak wren_moth skater_eli"),
						AgeOffset: after(4, 45),
					},
					{
						Author:    "alex_demo",
						Body:      "Wore the charity-shop jacket I'd been too nervous to wear. Caught myself in a shop window and thought, oh, *there* you are.",
						Reactions: react("wren_moth", "", "teo_oak rosa_rue"),
						AgeOffset: after(8, 0),
					},
					{
						Author:    "rosa_rue",
						Body:      "The woman at the bakery said \"there you go, love\". Eleven years on and it still gets me every time.",
						Reactions: react("", "", "teo_oak alex_demo"),
						AgeOffset: after(15, 30),
					},
				},
			},
		},
	}
}

func queerYouth() Group {
	return Group{
		Draft: kindred.GroupDraft{
			Name:  "Queer youth (13–17)",
			Slug:  "queer-youth",
			Topic: "A space just for LGBTQ+ and questioning young people aged 13 to 17.",
			Description: paras(
				"Just for young people aged 13–17: school, friends, family, crushes, figuring yourself out, and everything in between.",
				"This group is **facilitated by trained staff** from the centre, who help keep it safe and kind. No other adults can join or post here.",
				"If something is worrying you at home or at school, you can always message the facilitator, come to the Saturday youth drop-in, or press *Get help now* at the top of the page.",
			),
			Guidelines: paras(
				"- **Be kind.** Everyone here is figuring things out.\n" +
					"- **Keep private stuff private.** Don't share your full name, school, address or photos.\n" +
					"- **Don't screenshot or share** what others post.\n" +
					"- **No pressure to label yourself.** \"Questioning\" and \"don't know yet\" are welcome.\n" +
					"- **If someone seems unsafe,** tell the facilitator or use Report. That's looking out for them, not snitching.\n" +
					"- **Never arrange to meet anyone from online in private.** Come to the Saturday drop-in instead, where staff are around.",
			),
			Visibility: kindred.VisibilityPublic,
			AgeRule:    kindred.AgeYouthOnly,
		},
		Facilitators: []string{"priya_lights"},
		Members:      []string{"paper_cranes", "nova_sky", "skater_eli"},
		Threads: []Thread{
			{
				Author: "skater_eli", Kind: kindred.ThreadQuestion,
				Title: "Anyone else dreading PE changing rooms?",
				Body: paras(
					"School said I can get changed in the accessible toilet, which sounds helpful but actually means everyone watches me walk off on my own every week. It makes me feel like a problem.",
					"Has anyone sorted something better? I don't want to skip PE, I actually like football.",
				),
				Age:       ago(14, 5),
				Reactions: react("nova_sky", "paper_cranes", ""),
				Replies: []Reply{
					{
						Author:    "nova_sky",
						Body:      "yes!! i get changed in the toilets too and it's the walking off bit that's the worst. sorry it's like that for you",
						Reactions: react("skater_eli", "", ""),
						AgeOffset: after(1, 20),
					},
					{
						Author:    "paper_cranes",
						Body:      "my friend at another school has a pass to change in a small office with one mate, so it's not just him alone. could you ask if a friend could come with you?",
						Reactions: react("", "", "skater_eli"),
						AgeOffset: after(3, 0),
					},
					{
						Author: "priya_lights",
						Body: paras(
							"Eli, you're not a problem — the setup is. Wanting to play football *and* feel okay getting changed is completely reasonable.",
							"What's worked for other young people I've known: asking a teacher you trust (form tutor, head of year, whoever you'd pick) for a short chat, and going in with one or two ideas, like Jess's. If you'd like, we can jot down what you want to say together at Saturday drop-in. Your call.",
						),
						Reactions: react("", "", "skater_eli paper_cranes"),
						AgeOffset: after(5, 10),
					},
					{
						Author:    "skater_eli",
						Body:      "update: talked to my form tutor with my list from saturday. I now change in the PE office with a mate and we go out together. so much better. thanks everyone",
						Reactions: react("", "", "nova_sky paper_cranes priya_lights"),
						AgeOffset: after(100, 0),
					},
				},
			},
			{
				Author: "paper_cranes", Kind: kindred.ThreadStory,
				Title:          "Someone said stuff about me in the class group chat",
				ContentWarning: "homophobic comments at school",
				Body: paras(
					"Someone in my year saw me holding hands with a girl at the bus stop and posted about it in the class group chat. Mostly \"jokes\" and one really mean comment. I wasn't ready for people to know.",
					"What I did, in case it helps anyone:",
					"- I left the chat. I didn't reply, even though I wanted to.\n- I told my best friend, who said \"okay, so what, I'm with you\" and sat with me at lunch.\n- I screenshotted it *first* and showed my head of year. She's dealing with it.\n- I came here and to Saturday drop-in instead of scrolling it over and over.",
					"I'm still embarrassed, but less scared than on the day. Mostly I'm just tired.",
				),
				Age:       ago(8, 4),
				Reactions: react("nova_sky", "skater_eli priya_lights", "nova_sky"),
				Replies: []Reply{
					{
						Author:    "nova_sky",
						Body:      "leaving without replying is SO hard. you did really well. also your best friend sounds amazing",
						Reactions: react("", "", "paper_cranes"),
						AgeOffset: after(0, 30),
					},
					{
						Author:    "skater_eli",
						Body:      "that happened to me last year. it felt like the end of the world for about a week and then people moved on to something else. i know that doesn't make it ok. sending strength",
						Reactions: react("", "", "paper_cranes"),
						AgeOffset: after(2, 40),
					},
					{
						Author: "priya_lights",
						Body: paras(
							"Jess, you handled this with so much care for yourself — keeping a copy, telling an adult, not scrolling it alone. Being tired after something like this makes complete sense.",
							"Nobody gets to decide when you're out except you, and what happened wasn't fair. I'm here at drop-in on Saturday, and you can message me before then if you'd like to talk.",
						),
						Reactions: react("", "", "paper_cranes"),
						AgeOffset: after(4, 0),
					},
				},
			},
			{
				Author: "nova_sky", Kind: kindred.ThreadQuestion,
				Title: "Parents who don't \"get\" pronouns",
				Body: paras(
					"My parents are trying, I think? But they still say \"she\" most of the time and when I remind them my dad says it's \"a lot to keep up with\". I use xe/xem, which I know is less common.",
					"How did you talk to your parents about it without it turning into an argument?",
				),
				Age:       ago(5, 8),
				Reactions: react("skater_eli paper_cranes", "", ""),
				Replies: []Reply{
					{
						Author:    "skater_eli",
						Body:      "what helped with my mum was picking ONE time to talk, when nobody was rushing, instead of correcting every single time in the moment. and saying \"i know you're trying\" first. she got better after that",
						Reactions: react("", "", "nova_sky"),
						AgeOffset: after(1, 5),
					},
					{
						Author:    "paper_cranes",
						Body:      "maybe write it down for them? like a little note with how to use xe/xem in a sentence. my aunt uses a sticky note on the fridge for her new neighbour's kids' names lol",
						Reactions: react("", "", "nova_sky"),
						AgeOffset: after(3, 30),
					},
					{
						Author:    "priya_lights",
						Body:      "Nova, \"they're trying, I think\" is worth holding onto. Some parents need lots of practice, and some find it easier with something written down, like Jess says. It's also okay to feel hurt while they learn. We have a short leaflet for families at the centre — you could pick one up on Saturday if you want something to hand them.",
						Reactions: react("", "", "nova_sky skater_eli"),
						AgeOffset: after(6, 0),
					},
					{
						Author:    "nova_sky",
						Body:      "did the fridge note. my dad read it out loud in a silly voice but then used xe correctly at dinner. progress!!",
						Reactions: react("", "", "paper_cranes skater_eli priya_lights"),
						AgeOffset: after(70, 0),
					},
				},
			},
			{
				Author: "priya_lights", Kind: kindred.ThreadCheckIn,
				Title: "Half-term check-in: what are you looking forward to?",
				Body: paras(
					"Half-term is nearly here! Saturday drop-in is on as usual (board games, snacks, and yes, the good biscuits).",
					"**What's one thing you're looking forward to — big or small?**",
				),
				Age:       ago(1, 6),
				Reactions: react("", "", "nova_sky"),
				Replies: []Reply{
					{
						Author:    "paper_cranes",
						Body:      "sleeping in. and finishing a crane mobile for my room (100 cranes, i'm on 73)",
						Reactions: react("", "", "priya_lights nova_sky"),
						AgeOffset: after(0, 45),
					},
					{
						Author:    "nova_sky",
						Body:      "there's a meteor shower and my dad said we can drive out somewhere dark to watch it!!",
						Reactions: react("", "", "priya_lights skater_eli"),
						AgeOffset: after(2, 10),
					},
					{
						Author:    "skater_eli",
						Body:      "skate park with my cousin every day it doesn't rain. and the good biscuits obviously",
						Reactions: react("", "", "paper_cranes"),
						AgeOffset: after(3, 0),
					},
				},
			},
		},
	}
}

func parentsAndFamilies() Group {
	return Group{
		Draft: kindred.GroupDraft{
			Name:  "Parents and families",
			Slug:  "parents-and-families",
			Topic: "For parents, carers and relatives of LGBTQ+ people — and for LGBTQ+ parents too.",
			Description: paras(
				"A private group for parents, carers, grandparents and siblings of LGBTQ+ people, and for LGBTQ+ people raising families of their own.",
				"Whether your child came out yesterday or you've been the two-mums family at the school gate for years, you'll find people here who get it.",
				"Only members can read what's posted here, and a facilitator approves each request to join. Facilitated by Priya and Margo.",
			),
			Guidelines: paras(
				"- **Be honest,** including about feelings you're still working through — while speaking with respect about your child and about queer and trans people.\n" +
					"- **Your child's story is theirs.** No names, photos, schools or details that could identify or out them.\n" +
					"- **Share what helped your family;** every family is different.\n" +
					"- **No debating** whether a young person's identity is \"real\" or \"a phase\".\n" +
					"- **Content warnings** for family conflict or rejection.",
			),
			Visibility: kindred.VisibilityPrivate,
			AgeRule:    kindred.AgeAdultOnly,
		},
		Facilitators: []string{"priya_lights", "margo_knits"},
		Members:      []string{"porchlight_dad", "juniper_moon", "rosa_rue"},
		Pending:      []string{"bea_bakes"},
		Threads: []Thread{
			{
				Author: "porchlight_dad", Kind: kindred.ThreadStory,
				Title: "Six months since my son came out — what I got wrong, and what I'm getting right",
				Body: paras(
					"My son told me he's trans six months ago, in the car, which I now understand is a classic.",
					"**What I got wrong:** my first words were \"Are you sure?\" I meant \"I'm scared for you\", but that isn't what he heard. I also told my brother before asking my son if that was okay. I've apologised for both.",
					"**What I'm getting right, slowly:**",
					"- I practised his name and pronouns out loud, alone in the van between jobs, until they came out first.\n- I asked him what he wanted the grandparents told, and by whom, and when. He chose. I carried it out.\n- We have a jar. Every time I slip, I put a pound in it and he gets to spend it. The jar is getting lighter.\n- I let myself be sad about the future I'd imagined, *away from him*, with people like you.",
					"He's happier than I've seen him in years. He laughs at dinner again. That's the whole thing, really.",
				),
				Age:       ago(20, 3),
				Reactions: react("juniper_moon", "", "margo_knits rosa_rue priya_lights"),
				Replies: []Reply{
					{
						Author:    "margo_knits",
						Body:      "\"Away from him, with people like you\" — that's the wisest thing in here. Grief and love can sit together. You're showing him that the love is the bit that stays.",
						Reactions: react("", "", "porchlight_dad"),
						AgeOffset: after(2, 30),
					},
					{
						Author:    "rosa_rue",
						Body:      "From the other side of this: practising my name in the van is exactly the kind of thing I wished my dad had done. Your son may never see it, but he'll feel it. The jar made me laugh out loud.",
						Reactions: react("", "", "porchlight_dad juniper_moon"),
						AgeOffset: after(6, 0),
					},
					{
						Author:    "juniper_moon",
						Body:      "Owning the \"Are you sure?\" and apologising properly is huge. So many parents never circle back. Thank you for showing what that looks like.",
						Reactions: react("", "", "porchlight_dad"),
						AgeOffset: after(11, 15),
					},
					{
						Author:    "priya_lights",
						Body:      "\"He laughs at dinner again\" — I'm going to carry that around all week. Thank you, Marcus.",
						AgeOffset: after(30, 0),
					},
				},
			},
			{
				Author: "juniper_moon", Kind: kindred.ThreadQuestion,
				Title: "School forms that only say \"Mother\" and \"Father\"",
				Body: paras(
					"Two mums, two kids, new school. Every form says *Mother* and *Father*, and my wife has crossed out \"Father\" so many times she's started drawing little stars instead.",
					"It's small, but it adds up — and my eldest has started noticing. How have other families handled this with schools, kindly but firmly?",
				),
				Age:       ago(10, 5),
				Reactions: react("rosa_rue margo_knits", "", ""),
				Replies: []Reply{
					{
						Author:    "margo_knits",
						Body:      "Thirty years ago I wrote to my son's school and asked for \"Parent 1 / Parent 2\". They thought I was being difficult. They changed it the next year. A short, friendly letter with the fix already suggested made it easy for them to say yes.",
						Reactions: react("", "", "juniper_moon"),
						AgeOffset: after(1, 50),
					},
					{
						Author:    "rosa_rue",
						Body:      "I asked the office to add my name properly and offered to look over their next form before it went out. Made them feel like I was helping rather than complaining. Also: the stars are iconic, tell your wife to keep going.",
						Reactions: react("", "", "juniper_moon porchlight_dad"),
						AgeOffset: after(4, 20),
					},
					{
						Author:    "porchlight_dad",
						Body:      "Not the same situation, but when my son's school kept using his old name on letters, asking for a meeting with the head rather than emailing the office got it fixed in a week.",
						Reactions: react("", "", "juniper_moon"),
						AgeOffset: after(9, 0),
					},
					{
						Author:    "priya_lights",
						Body:      "The centre has a template letter for schools about inclusive forms, written by parents in this group a while back. I'll bring copies to tea night — happy to help adapt it.",
						Reactions: react("", "", "juniper_moon rosa_rue"),
						AgeOffset: after(20, 0),
					},
				},
			},
			{
				Author: "margo_knits", Kind: kindred.ThreadCheckIn,
				Title: "Monthly check-in: how is your family doing?",
				Body: paras(
					"Time for our monthly round. Share as much or as little as you like:",
					"- one thing that's gone well\n- one thing you're finding hard\n- one thing you'd like from this group",
					"A special hello to anyone who has just joined or is waiting to. We're glad you're here.",
				),
				Age:       ago(1, 2),
				Reactions: react("", "", "porchlight_dad"),
				Replies: []Reply{
					{
						Author:    "porchlight_dad",
						Body:      "Gone well: the grandparents' visit — my dad used the right name all weekend. Hard: my daughter feels a bit left out with all the attention on her brother. Would like: ideas on that from anyone with more than one kid.",
						Reactions: react("juniper_moon", "", "margo_knits"),
						AgeOffset: after(2, 0),
					},
					{
						Author:    "juniper_moon",
						Body:      "Marcus, we do a \"one-to-one Saturday morning\" — each kid gets me or their other mum alone for pancakes once a month. Sounds small; they guard it fiercely. My update: the school changed the forms!",
						Reactions: react("", "", "porchlight_dad rosa_rue margo_knits"),
						AgeOffset: after(4, 30),
					},
					{
						Author:    "rosa_rue",
						Body:      "Gone well: my son asked to see photos of me when I was little and we looked at them together with no weirdness. Hard: money, as always. Would like: more of these check-ins, honestly.",
						Reactions: react("", "", "margo_knits"),
						AgeOffset: after(9, 10),
					},
				},
			},
		},
	}
}

func survivorsCircle() Group {
	return Group{
		Draft: kindred.GroupDraft{
			Name:  "Survivors' circle",
			Slug:  "survivors-circle",
			Topic: "A small, gentle circle for LGBTQ+ adults who have survived abuse, violence, hate or conversion practices.",
			Description: paras(
				"A small, invitation-only circle for LGBTQ+ adults who have survived abuse, violence, hate incidents or so-called conversion practices.",
				"We go slowly here. Nobody has to tell their story, and nobody has to tell all of it. Facilitated by Teo and Wren.",
				"This group is hidden: only its members know it exists. Please keep it that way.",
			),
			Guidelines: paras(
				"- **Always add a content warning**, and keep details non-graphic. Share how things felt and what helps, not what was done.\n" +
					"- **Nobody is ever asked for details.**\n" +
					"- **Confidentiality is absolute.** Don't mention this circle, or anyone in it, anywhere else.\n" +
					"- **You don't have to read or reply.** If a post stirs things up, step away and come back when you're ready.\n" +
					"- **Facilitators may check in with you privately** if a post worries them. That's care, not trouble.\n" +
					"- **In immediate danger, call your local emergency services.** *Get help now* lists crisis lines open day and night.",
			),
			Visibility: kindred.VisibilityHidden,
			AgeRule:    kindred.AgeAdultOnly,
		},
		Facilitators: []string{"teo_oak", "wren_moth"},
		Members:      []string{"kwame_tide", "rosa_rue", "mei_spades"},
		Threads: []Thread{
			{
				Author: "kwame_tide", Kind: kindred.ThreadStory,
				Title:          "Ten years on from the \"prayer weekends\"",
				ContentWarning: "religious conversion practices (no detail)",
				Body: paras(
					"Ten years ago this month I went on the last of the weekends that were meant to \"fix\" me. I'm not going to describe them. I want to write about what came after.",
					"For a long time I couldn't sing. I'd been in choirs my whole life, and after those weekends my throat just closed in any church. I thought that part of me was gone.",
					"What has helped, slowly:",
					"- Working with a counsellor who was queer herself. I didn't have to explain the basics before we could start.\n- Finding a congregation that says *all are welcome* and means it, and sitting at the back for a whole year before I spoke to anyone.\n- This circle. Hearing that other people carry something similar made mine lighter.",
					"Last Sunday I sang a solo. My voice shook, and then it didn't. I wanted to tell people who would understand what that meant.",
				),
				Age:       ago(13, 4),
				Reactions: react("rosa_rue", "mei_spades", "teo_oak wren_moth"),
				Replies: []Reply{
					{
						Author:    "teo_oak",
						Body:      "Kwame, I'm so moved by this. Sitting at the back for a whole year is its own kind of courage. Thank you for trusting us with the after.",
						Reactions: react("", "", "kwame_tide"),
						AgeOffset: after(1, 0),
					},
					{
						Author:    "rosa_rue",
						Body:      "\"My voice shook, and then it didn't.\" I'll be thinking about that line for a long time. Something was taken from you and you went and got it back.",
						Reactions: react("", "", "kwame_tide mei_spades"),
						AgeOffset: after(3, 30),
					},
					{
						Author:         "mei_spades",
						Body:           "Not the same, but my family tried to \"talk me out of it\" for a long time, and reading this gives me hope that the parts of me I closed up might open again too. Thank you.",
						ContentWarning: "family pressure to change",
						Reactions:      react("", "kwame_tide wren_moth", ""),
						AgeOffset:      after(8, 0),
					},
					{
						Author:    "wren_moth",
						Body:      "I'd love to hear you sing one day, if you ever feel like sharing a recording in one of our sessions. No pressure at all. Taking good care of this story.",
						Reactions: react("", "", "kwame_tide"),
						AgeOffset: after(21, 15),
					},
				},
			},
			{
				Author: "mei_spades", Kind: kindred.ThreadCheckIn, Anonymous: true,
				Title:          "A harder week — checking in",
				ContentWarning: "mentions of self-harm (no detail)",
				Body: paras(
					"Posting anonymously because I'm embarrassed, which I know I don't need to be.",
					"Something reminded me of an old situation this week and the urges to hurt myself came back for the first time in over a year. I haven't acted on them. I got out my safety plan, I'm staying at my sister's for a few days, and I've told her what's going on.",
					"I don't need advice, I think. I just didn't want to carry it completely alone, and this is the place where I feel least alone.",
				),
				Age:       ago(7, 9),
				Reactions: react("rosa_rue", "teo_oak kwame_tide", "wren_moth"),
				Replies: []Reply{
					{
						Author: "wren_moth",
						Body: paras(
							"Thank you for telling us. Nothing to be embarrassed about — reaching out is exactly the kind of thing your safety plan is for, and you're doing it.",
							"You said you don't need advice, so I'll just say: we're here, you're not carrying this alone, and I'm going to send you a private message to check in, which you're free to answer or not. If things get heavier, *Get help now* at the top of the page has lines you can reach at any hour.",
						),
						Reactions: react("", "", "teo_oak"),
						AgeOffset: after(0, 40),
					},
					{
						Author:    "rosa_rue",
						Body:      "Sitting with you from here. Staying with your sister sounds like a really kind thing to do for yourself.",
						AgeOffset: after(2, 20),
					},
					{
						Author:    "kwame_tide",
						Body:      "A year is a year — a slip in how you feel doesn't wipe it out. Glad you're somewhere safe with someone who knows. Thinking of you.",
						Reactions: react("", "", "rosa_rue"),
						AgeOffset: after(5, 0),
					},
					{
						Author:    "teo_oak",
						Body:      "Just adding my voice: glad you posted, glad you're at your sister's. We're not going anywhere.",
						AgeOffset: after(9, 30),
					},
				},
			},
			{
				Author: "rosa_rue", Kind: kindred.ThreadQuestion,
				Title: "Grounding things that actually work for you?",
				Body: paras(
					"When something brings up old stuff, I've got a few things I do, but I'm running out of ideas. What helps you come back to the present when you're somewhere you can't just leave, like work?",
					"Mine: cold water on my wrists, and naming five blue things I can see.",
				),
				Age:       ago(3, 7),
				Reactions: react("kwame_tide mei_spades", "", "wren_moth"),
				Replies: []Reply{
					{
						Author:    "kwame_tide",
						Body:      "I hum a hymn under my breath — low enough that nobody notices. Feeling the buzz in my chest brings me back into my body.",
						Reactions: react("", "", "rosa_rue"),
						AgeOffset: after(1, 15),
					},
					{
						Author:    "mei_spades",
						Body:      "I keep a smooth stone in my pocket and count its edges with my thumb. Also the five-blue-things idea is going straight onto my list.",
						Reactions: react("", "", "rosa_rue teo_oak"),
						AgeOffset: after(3, 0),
					},
					{
						Author:    "wren_moth",
						Body:      "Pressing my feet into the footplate of my chair and noticing the pressure. And a sour sweet — it's very hard to be anywhere but the present with a lemon sherbet in your mouth.",
						Reactions: react("", "", "rosa_rue kwame_tide"),
						AgeOffset: after(6, 10),
					},
					{
						Author:    "teo_oak",
						Body:      "Smell works for me: I keep a tiny tin of wood shavings from my workshop in my bag. One sniff and I'm at my bench on a Saturday morning. Lovely list, everyone — shall we collect these into the circle's toolkit?",
						Reactions: react("", "", "rosa_rue mei_spades wren_moth"),
						AgeOffset: after(12, 0),
					},
				},
			},
		},
	}
}

func faithAndSpirituality() Group {
	return Group{
		Draft: kindred.GroupDraft{
			Name:  "Faith and spirituality",
			Slug:  "faith-and-spirituality",
			Topic: "Holding faith, spirituality and being queer together — or working out what comes next.",
			Description: paras(
				"For LGBTQ+ people of every faith, of none, and of somewhere in between — Christian, Muslim, Jewish, Hindu, Sikh, Buddhist, pagan, questioning and recovering.",
				"Some of us have found affirming communities; some of us have left; some of us are still sitting in the car park outside. All of that is welcome. Facilitated by Teo and Kwame.",
			),
			Guidelines: paras(
				"- **Respect every path,** including no faith at all.\n" +
					"- **No preaching, proselytising or recruiting,** in any direction.\n" +
					"- **No promotion of conversion practices,** ever.\n" +
					"- **Speak from your own experience.** Don't tell others what their tradition \"really\" says about them.\n" +
					"- **Content warnings** for religious trauma or family rejection.",
			),
			Visibility: kindred.VisibilityPublic,
			AgeRule:    kindred.AgeAny,
		},
		Facilitators: []string{"teo_oak", "kwame_tide"},
		Members:      []string{"bea_bakes", "hedgerow_hal", "rosa_rue", "mei_spades", "alex_demo", "paper_cranes", "priya_lights"},
		Threads: []Thread{
			{
				Author: "priya_lights", Kind: kindred.ThreadStory,
				Title: "The first family festival I brought my partner to",
				Body: paras(
					"Last Diwali I brought my girlfriend to my family's celebration for the first time. I'd been out to my parents for two years, but not to the whole extended family — and Diwali is the *whole* extended family.",
					"One aunt didn't speak to us all evening. That hurt. But my grandmother, who I was most afraid of, put a plate of sweets in my girlfriend's hands, pointed at the diyas and said, \"Light one with her.\" So we did.",
					"For me, faith has always been lamps and food and my grandmother's voice, more than any argument about scripture. Nobody can take that part away from me.",
					"How do the rest of you hold the festivals and traditions you love, when some of the people in them are still catching up?",
				),
				Age:       ago(16, 2),
				Reactions: react("mei_spades", "", "kwame_tide alex_demo teo_oak"),
				Replies: []Reply{
					{
						Author:    "mei_spades",
						Body:      "Mid-Autumn Festival is the one for me. I focus on the mooncakes and the lanterns and my grandmother's stories, and I let the aunties' questions float past like weather. \"Light one with her\" made me cry a bit.",
						Reactions: react("priya_lights", "", ""),
						AgeOffset: after(3, 0),
					},
					{
						Author:    "kwame_tide",
						Body:      "\"Faith has always been lamps and food and my grandmother's voice.\" That's beautiful, Priya. For me it's the music — the hymns belong to me as much as to anyone who'd rather I wasn't there.",
						Reactions: react("", "", "priya_lights rosa_rue"),
						AgeOffset: after(8, 10),
					},
					{
						Author:    "rosa_rue",
						Body:      "Christmas Eve with my mum's side is the hard one. I bring the tamales I make with my son, and that's my anchor — whatever happens, I came with something made with love.",
						Reactions: react("", "", "priya_lights"),
						AgeOffset: after(26, 0),
					},
					{
						Author:    "alex_demo",
						Body:      "I'm not religious, but this made me think about the traditions I want to keep from my family even if I'm figuring out where I fit. Thank you for sharing.",
						AgeOffset: after(60, 30),
					},
				},
			},
			{
				Author: "bea_bakes", Kind: kindred.ThreadQuestion,
				Title: "A churchgoing grandmother, learning — where do I start?",
				Body: paras(
					"I hope it's all right for me to post here. I'm 71, I sing alto in our church choir, and at Christmas my eldest grandchild told me they are nonbinary. I said I loved them, which is true, and then I went home and didn't sleep.",
					"I don't believe God makes mistakes, and I don't believe my grandchild is one. But some people at church say things that I now hear differently, and I don't know what to do with that. I've asked to join the families group as well.",
					"Where do I start? And is it all right to keep my faith *and* stand by my grandchild?",
				),
				Age:       ago(7, 3),
				Reactions: react("", "", "kwame_tide teo_oak hedgerow_hal paper_cranes"),
				Replies: []Reply{
					{
						Author:    "kwame_tide",
						Body:      "Bea, welcome. It is more than all right — there are lots of us who hold both, and your grandchild is lucky to have a grandmother who is asking this question at all. Hearing old words differently is often where it starts.",
						Reactions: react("", "", "bea_bakes"),
						AgeOffset: after(1, 30),
					},
					{
						Author:    "hedgerow_hal",
						Body:      "Our village chapel has a retired minister who quietly told me, the week I came out, \"You're exactly who you were last week, and you're welcome here.\" You could be that person in your choir for someone. You might not know who needs it.",
						Reactions: react("", "", "bea_bakes kwame_tide"),
						AgeOffset: after(5, 0),
					},
					{
						Author:    "paper_cranes",
						Body:      "i go to a catholic school and my nan doesn't know about me yet. reading this made me hope she'd react like you. your grandchild is really lucky",
						Reactions: react("", "bea_bakes", "bea_bakes"),
						AgeOffset: after(9, 40),
					},
					{
						Author:    "teo_oak",
						Body:      "A gentle place to start: ask your grandchild what they'd like from you — name, pronouns, who knows, who doesn't. They're the expert on themselves, and you'll never go wrong by asking. I'm sure Priya will look out for your families group request.",
						Reactions: react("", "", "bea_bakes"),
						AgeOffset: after(12, 0),
					},
					{
						Author:    "bea_bakes",
						Body:      "Thank you all. I rang my grandchild last night and asked them what they'd like. We talked for an hour. I'm bringing scones to the next tea night.",
						Reactions: react("", "", "kwame_tide teo_oak hedgerow_hal paper_cranes rosa_rue"),
						AgeOffset: after(50, 0),
					},
				},
			},
			{
				Author: "paper_cranes", Kind: kindred.ThreadQuestion,
				Title: "Bi and I still like going to Mass — is that weird?",
				Body: paras(
					"I go to a Catholic school and some of what gets said in RE makes me feel awful. But I actually *like* going to Mass with my nan. The quiet, the candles, the singing. Is it weird to like it?",
				),
				Age:       ago(4, 6),
				Reactions: react("", "", "kwame_tide"),
				Replies: []Reply{
					{
						Author:    "kwame_tide",
						Body:      "Not weird at all, Jess. Loving the quiet and the candles and the singing is yours to keep, even when some of the words around it hurt. Lots of people here hold both, and it's also fine if that changes as you grow.",
						Reactions: react("", "", "paper_cranes"),
						AgeOffset: after(1, 0),
					},
					{
						Author:    "rosa_rue",
						Body:      "Grew up Catholic. Still light a candle for my abuela whenever I pass a church. Nobody gets to take the good parts from you.",
						Reactions: react("", "", "paper_cranes"),
						AgeOffset: after(4, 0),
					},
					{
						Author:    "bea_bakes",
						Body:      "My dear, the candles and the singing are some of the best things I know too. I'm sure your nan loves having you there beside her.",
						Reactions: react("", "", "paper_cranes"),
						AgeOffset: after(7, 30),
					},
				},
			},
		},
	}
}
