package training

import (
	"time"

	"kindred"
)

// starterPassMark is the pass mark of every starter module. Each has three
// questions, and one slip is allowed: two right out of three is 66.7%,
// and Module.Score passes when right*100 >= PassMark*questions, so the
// mark is 66 (at 67, 200 < 201 and two out of three would fail).
const starterPassMark = 66

// Starter returns Kindred's starter course for peer supporters, written by
// us: one module per peer-work competency, in the order of
// kindred.Competencies. An organisation adds its own copy, which its
// coordinators may then edit. Each call returns fresh values.
func Starter() (kindred.CourseDraft, []kindred.Module) {
	draft := kindred.CourseDraft{
		Title:     "Peer supporter foundations",
		Slug:      "foundations",
		Summary:   starterSummary,
		ValidFor:  365 * 24 * time.Hour,
		Published: true,
	}
	mods := starterModules()
	for i := range mods {
		mods[i].Position = i + 1
		mods[i].PassMark = starterPassMark
	}
	return draft, mods
}

func right(text string) kindred.Choice { return kindred.Choice{Text: text, Correct: true} }
func wrong(text string) kindred.Choice { return kindred.Choice{Text: text} }

const starterSummary = `Welcome! This course gets you ready to be a **peer supporter** on Kindred: someone with their own lived experience of being queer who listens to, and walks alongside, other members.

There are **12 short modules**, one for each part of peer work, from making someone feel welcome to helping in a crisis and looking after yourself. Each one has:

- a reading of about five minutes,
- three quick questions (get two right to pass, and you can try again),
- a practice situation to answer in your own words.

A coordinator reads your answers and talks with you before signing you off. Your sign-off lasts a year; then a short refresher keeps you up to date.

You don't need to be perfect, or to have "figured it all out". You need to care, to listen, and to know when to ask for help. This course shows you how.`

func starterModules() []kindred.Module {
	return []kindred.Module{
		{
			Title:      "Welcoming someone: the first few messages",
			Competency: kindred.CompEngaging,
			Body: `## Why the start matters

Someone asking for a peer supporter may have waited weeks to do it. They might be writing from a bedroom in a house where they are not out, on a phone someone else checks. Your first few messages decide whether they stay.

## What peer support is

- You are a **peer**: someone who has been through similar things and is here to listen and walk alongside.
- You are **not** a therapist, doctor, lawyer or parent. You don't diagnose, fix or tell people what to do.
- The member is the expert on their own life. You bring care, time and your own experience.

## Your first message

Keep it short and warm. It helps to:

1. Use the name they use here, and say your own name and pronouns.
2. Say what this space is, and what you can keep private (see below).
3. Ask an open question, and let them go at their own pace.

> **Member:** hi. idk if this is the right place
>
> **You:** Hi Robin, I'm Dee (she/her), one of the peer supporters. You're in the right place, and there's no wrong way to start. What's on your mind today?

## Privacy, said plainly

Tell people early what happens to what they share:

- It stays within Kindred's small support team.
- **Except** if you are worried someone is in danger. Then you will bring in a coordinator to help keep them safe, and you will tell them you're doing it.

Never promise to keep everything secret. Being honest now means they can trust you later.

## Building trust

- **Be steady.** Say when you're around and keep to it.
- **Follow their pace.** Silence is OK. Some people need a few messages before they say the real thing.
- **Don't assume.** A word like "partner" or "gay" can mean different things to different people. Ask what it means to them.
- **Check it's safe to talk.** "Is now an OK time to chat?" Remind them of the quick exit button if someone might walk in.

## Boundaries from the start

Boundaries keep you both safe:

- Stay on Kindred. Don't move to social media, your phone number or other apps, even if asked nicely.
- No meeting in person, no gifts, no money.
- Members aged 13–17 are only supported by supporters cleared for the youth programme, and adults never start private chats with young members.

Saying no to a boundary can still be kind: "I'd love to keep talking, and I'll be right here on Kindred."`,
			Questions: []kindred.Question{
				{
					ID:     "q1",
					Prompt: "A member's first message is \"idk if this is even the right place\". Which reply is best?",
					Choices: []kindred.Choice{
						wrong("\"Please tell me exactly what your problem is so I can help.\""),
						right("\"You're in the right place, and there's no wrong way to start. What's on your mind?\""),
						wrong("\"This is a peer support service. Please read the rules first.\""),
						wrong("\"Don't worry, I've been through everything you're going through.\""),
					},
					Explanation: "A warm welcome and an open question let them go at their own pace. Asking for \"exactly\" the problem puts pressure on, pointing at rules feels cold, and you can't know you have been through the same things.",
				},
				{
					ID:       "q2",
					Prompt:   "Which of these belong in your first few messages? Choose all that apply.",
					Multiple: true,
					Choices: []kindred.Choice{
						right("Your name and pronouns"),
						right("What you keep private, and that you'll bring in a coordinator if you're worried about their safety"),
						wrong("Your phone number, so they can reach you any time"),
						right("An open question about what they'd like to talk about"),
						wrong("Advice on whether they should come out"),
					},
					Explanation: "Introduce yourself, be honest about privacy and its limits, and let them lead. Personal contact details break a key boundary, and advice before you've even listened is too soon.",
				},
				{
					ID:     "q3",
					Prompt: "A member asks to carry on the chat in Instagram messages. What do you do?",
					Choices: []kindred.Choice{
						wrong("Agree, since it's easier for them"),
						wrong("Agree, but only if they are over 18"),
						right("Kindly explain that you stay on Kindred, where the chat is protected and a coordinator can help if needed"),
						wrong("End the chat and report them"),
					},
					Explanation: "Staying on Kindred protects you both: the chat is private, there's a quick exit, and you have a team behind you. Asking isn't wrong, so there's nothing to report; just hold the boundary kindly.",
				},
			},
			Scenarios: []kindred.Scenario{{
				ID:        "s1",
				Situation: "Jay (16, he/him) asks for support about \"stuff at home\". His first message is one line. When you reply, he doesn't answer for ten minutes, then writes: \"sorry my dad came in. he doesn't know about me\".",
				Reflections: []string{
					"What would you write back now? Write the actual message.",
					"What could you tell Jay about keeping himself safe while he uses Kindred at home?",
					"Jay is 16. What does that change about who supports him and how?",
				},
			}},
		},
		{
			Title:      "Listening well",
			Competency: kindred.CompSupporting,
			Body: `## Listening is the main thing you do

Most people don't need answers from you. They need to feel heard by someone who gets it. Good listening can take the weight off, even when nothing about the problem has changed.

## Four listening skills

1. **Open questions.** Questions that can't be answered with yes or no. "How did that feel?" "What happened next?" "What would help most right now?"
2. **Reflecting.** Say back what you heard, in your own words. It shows you're listening and lets them correct you.
3. **Validating.** Tell them their feelings make sense. You don't have to agree with every thought to say the feeling is real.
4. **Summarising.** Now and then, pull it together: "So the hardest part is…"

## An example

> **Member:** I told my mum I'm bi and she said it's just a phase. She's acting like I never said it.
>
> **You:** That sounds really painful: you took a big step and it's like she brushed it aside. How are you feeling about it now?

This doesn't argue with mum, give advice or change the subject. It shows the member they were heard.

## Things that get in the way

- **Fixing.** Jumping to "you should…" before you understand. Ask first: "Would ideas help, or do you mostly want to vent?"
- **"At least…"** "At least she didn't kick you out." This makes pain smaller, not lighter.
- **"I know exactly how you feel."** You don't, even if it's close. Try "I've felt something like that."
- **Too much positivity.** "It gets better!" can feel like being hurried along. Hope is good; rushing isn't.
- **Making it about you.** Keep the focus on them (Module 3 covers when sharing your story helps).

## Not a therapist

You can listen, care and share what helped you. You can't diagnose, treat or give medical, legal or medication advice. If someone asks about stopping medicine, starting hormones without a doctor, or what a symptom means, say so kindly and help them find someone who can answer safely.

## Staying with hard feelings

Sometimes there's nothing to fix: a family that won't come round, a breakup, loneliness in a small town. Staying with someone in that is real support. "I'm here, and I'm not going anywhere while we talk" can mean a lot.

If what you hear makes you worried about their safety, go to Module 8 straight away.`,
			Questions: []kindred.Question{
				{
					ID:     "q1",
					Prompt: "A member says: \"My friends stopped inviting me to things after I came out as trans.\" Which reply best shows you are listening?",
					Choices: []kindred.Choice{
						wrong("\"At least you still have your family.\""),
						wrong("\"You should find better friends.\""),
						right("\"Being left out by people you trusted, right after sharing something so big, sounds really lonely. How are you doing with it?\""),
						wrong("\"I'm sure they didn't mean it. Maybe they're just busy.\""),
					},
					Explanation: "This reflects what happened, names the feeling and invites more. \"At least\" shrinks the pain, \"you should\" jumps to fixing, and guessing the friends' reasons argues with the member's experience.",
				},
				{
					ID:       "q2",
					Prompt:   "Which of these are open questions? Choose all that apply.",
					Multiple: true,
					Choices: []kindred.Choice{
						right("\"What was that like for you?\""),
						wrong("\"Did that make you sad?\""),
						right("\"What would help most right now?\""),
						wrong("\"Have you tried talking to your teacher?\""),
					},
					Explanation: "Open questions can't be answered with yes or no, so they invite the member to say more in their own words. The other two can be answered \"yes\" or \"no\", and one is really advice in disguise.",
				},
				{
					ID:     "q3",
					Prompt: "A member asks: \"Should I stop taking my antidepressants? They make me feel weird.\" What do you do?",
					Choices: []kindred.Choice{
						wrong("Tell them what worked when you stopped yours"),
						right("Listen to how they feel, and explain that changing medicine is something to talk over with a doctor first, then help them think about how to raise it"),
						wrong("Tell them to keep taking it no matter what"),
						wrong("Look up the side effects and tell them which ones are normal"),
					},
					Explanation: "Medication advice is outside a peer supporter's role, in either direction. You can listen, take their feelings seriously, and help them plan how to talk to a doctor.",
				},
			},
			Scenarios: []kindred.Scenario{{
				ID:        "s1",
				Situation: "Sam (20, they/them) writes that their girlfriend of two years ended things last night. \"She said she wants someone who is 'actually a woman'. I keep rereading the messages.\" Sam doesn't ask for anything; they just keep typing.",
				Reflections: []string{
					"Write your first two replies to Sam.",
					"What would you be tempted to say that might not help, and why?",
					"How would you find out whether Sam wants ideas or mostly wants to be heard?",
				},
			}},
		},
		{
			Title:      "Sharing your own story, with care",
			Competency: kindred.CompLivedExp,
			Body: `## Why your story matters

What makes peer support different is that you have been there, or somewhere close. Hearing "I went through something like this, and I'm OK now" can give a person hope that no leaflet can. But your story is a tool to help them, not the main event.

## Ask yourself first

Before sharing, check:

- **Who is this for?** Will it help them, or does it mostly help me feel understood?
- **Is it the right moment?** Early on, or in the middle of strong feelings, listening usually helps more.
- **Am I OK sharing this?** You choose what to tell. You never owe anyone your story.

## How to share well

- **Keep it short.** A few lines, not a life story.
- **Say it's yours.** "For me…" not "This is what happens."
- **Be honest and hopeful.** Don't pretend it was easy, but show that things can change.
- **Hand it back.** End with a question that returns the focus to them.

> **Member:** I'm scared to go to church now. I keep thinking God hates me.
>
> **You:** I grew up in a church too, and for a while I believed something like that. Talking to an affirming pastor helped me, but it took time and everyone's path is different. What does your faith mean to you right now?

## What not to share

- **Graphic details** of self-harm, suicide attempts, violence or abuse. They can hurt someone who is struggling. Never describe methods.
- **Other people's stories.** Your ex, your friends, your sibling who is also queer: that's theirs to tell. Sharing it could out someone.
- **Things that could identify you** more than you want, like your school, workplace or exact town.
- **Advice dressed as a story.** "I came out at dinner and it went fine, so you should too" puts pressure on. Their family, safety and timing are different.

## When it isn't the same

You won't share every experience. A gay cis man can't know what it's like to be a trans girl at school; a white supporter can't know what racism inside queer spaces feels like for a Black member. That's fine. Say so honestly: "I haven't been through that myself, but I want to understand. Can you tell me more?" If they would like a supporter with closer experience, help them ask for one.

## After sharing

If telling your story stirred things up for you, that's normal. Note it in your debrief and talk to your coordinator (Module 12).`,
			Questions: []kindred.Question{
				{
					ID:     "q1",
					Prompt: "When is sharing a bit of your own experience most likely to help?",
					Choices: []kindred.Choice{
						wrong("Straight away, so they know you understand"),
						right("When it's short, fits what they're going through, and you hand the focus back to them"),
						wrong("When you've been through exactly the same thing"),
						wrong("Whenever they ask you a personal question"),
					},
					Explanation: "Sharing helps when it serves the member: brief, relevant and followed by a question back to them. Nobody's experience is exactly the same, and you can choose not to answer personal questions.",
				},
				{
					ID:       "q2",
					Prompt:   "Which of these should you NOT share? Choose all that apply.",
					Multiple: true,
					Choices: []kindred.Choice{
						right("Details of how you used to self-harm"),
						right("That your best friend is also secretly gay"),
						wrong("That you once felt scared to tell your family too"),
						right("The name of the school where you work"),
					},
					Explanation: "Method details can harm someone at risk, a friend's identity is theirs to share, and identifying details can put your own privacy at risk. Sharing a feeling you had is fine when it helps.",
				},
				{
					ID:     "q3",
					Prompt: "A member says: \"You're gay, you wouldn't understand being trans.\" What's the best reply?",
					Choices: []kindred.Choice{
						wrong("\"We're all LGBTQ+, it's basically the same.\""),
						wrong("\"I've got trans friends, so I know a lot about it.\""),
						right("\"You're right, I haven't lived that. I'd still really like to hear about it, and if you'd prefer a trans supporter I can help you ask for one.\""),
						wrong("Say nothing and carry on with what you were saying"),
					},
					Explanation: "Be honest about the limits of your experience, stay curious and offer a choice. Claiming it's the same, or borrowing friends' experience, tells the member you aren't really listening.",
				},
			},
			Scenarios: []kindred.Scenario{{
				ID:        "s1",
				Situation: "Priya (18, she/her) is planning to come out to her parents, who are religious. When you came out to your own parents, it went very badly, and you didn't speak for a year. Priya asks: \"What happened when you told yours?\"",
				Reflections: []string{
					"Would you share your story here? Why, or why not?",
					"If you did share, what would you say and what would you leave out? Write it.",
					"How could your own experience get in the way of supporting Priya?",
				},
			}},
		},
		{
			Title:      "Every person, their way",
			Competency: kindred.CompPersonalised,
			Body: `## No two queer lives are the same

Two members can both say "I'm gay" and have nothing else in common. One is 15 in a small farm town; another is 40, married, and recently out at work. Good support fits the person, not a script.

## Names and pronouns

- **Use the name and pronouns the member uses here.** Check their profile, or ask: "What name and pronouns would you like me to use?"
- **They may use different ones elsewhere.** Someone not out at home might be "Ana" here and a different name there. Never use their Kindred name or pronouns somewhere that could out them.
- **If you get it wrong,** correct yourself briefly and move on: "When he… sorry, when *she* told me that…" A long apology makes it about you.
- **Don't ask about bodies or medical steps** unless they bring it up. It's not needed to support someone.

## Cultural humility

*Cultural humility* means knowing you'll never be an expert on someone else's culture, and staying curious instead of assuming. It shapes how you support people of different races, faiths, countries, classes and abilities.

- **Ask, don't assume.** Not every religious queer person wants to leave their faith. Not every family from a culture reacts the same way.
- **Notice your own background** and how it shapes what you think is "normal" or "the right thing to do".
- **Respect their words.** Some people say "queer", some say "same-gender loving", "two-spirit" (a term for some Indigenous people only) or a word in their own language. Use theirs.

## Many things at once

People are many things at the same time: queer *and* disabled, trans *and* an immigrant, bi *and* a Christian. Each part can bring its own strengths and its own pressures. Ask what matters most to them today.

> **Member:** I'm gay and Muslim and honestly I don't want to pick one.
>
> **You:** You don't have to. Both are part of you. What would feel supportive as you hold both?

## Fitting the support to them

- **Age.** A 14-year-old depends on adults for home, school and money. Their choices are shaped by that. Adults may have more freedom, and more to lose at work.
- **Place.** Rural members may have no local queer groups and a long trip to any service.
- **Language and access.** Offer their language where you can, and ask if anything would make chatting easier (shorter messages, more time, no voice).
- **What they want from you.** Some want to vent, some want ideas, some want company. Ask.`,
			Questions: []kindred.Question{
				{
					ID:     "q1",
					Prompt: "You accidentally call a member \"he\" when she uses she/her. What's the best thing to do?",
					Choices: []kindred.Choice{
						wrong("Apologise at length so she knows how bad you feel"),
						wrong("Say nothing, so you don't draw attention to it"),
						right("Correct yourself briefly, like \"Sorry, she\", and carry on"),
						wrong("Ask her to remind you of her pronouns in every message"),
					},
					Explanation: "A quick correction shows respect without making her comfort you. Ignoring it leaves the hurt there, and long apologies or reminders put the work on her.",
				},
				{
					ID:       "q2",
					Prompt:   "Which of these are part of cultural humility? Choose all that apply.",
					Multiple: true,
					Choices: []kindred.Choice{
						right("Asking what someone's faith means to them"),
						right("Noticing how your own background shapes your ideas of \"normal\""),
						wrong("Learning the facts about each culture so you can tell members what their family is thinking"),
						right("Using the words a member uses for themselves"),
					},
					Explanation: "Cultural humility is about curiosity and respect, not being an expert. Learning is good, but using it to guess what someone's family thinks is still assuming.",
				},
				{
					ID:     "q3",
					Prompt: "A member uses the name \"Kai\" on Kindred but says their family calls them by their birth name. A coordinator needs to phone their school about a safety worry. What should you be careful about?",
					Choices: []kindred.Choice{
						right("Make sure the coordinator knows the member isn't out at home, so nobody uses \"Kai\" or their pronouns with the school or family without talking with them first"),
						wrong("Nothing; the school should know their real name is Kai"),
						wrong("Tell the school everything so they can support Kai properly"),
						wrong("Refuse to tell the coordinator anything about Kai"),
					},
					Explanation: "Sharing someone's name or pronouns in the wrong place can out them. Work with your coordinator, and make sure any outside contact protects the member's privacy. Safety worries still go to the coordinator.",
				},
			},
			Scenarios: []kindred.Scenario{{
				ID:        "s1",
				Situation: "Maria (34, she/her) is a trans woman in a small rural town. She's the only out trans person she knows. She writes: \"Everyone says move to the city. But my mum is sick and my whole life is here.\"",
				Reflections: []string{
					"What assumptions might you make about Maria's life? How would you check them?",
					"Write a reply that respects her choice to stay.",
					"What kinds of support could fit someone with no local queer community?",
				},
			}},
		},
		{
			Title:      "Small steps towards their goals",
			Competency: kindred.CompPlanning,
			Body: `## Their plan, not yours

Sometimes a member wants more than to be heard. They want to *do* something: come out to a friend, start a support group at school, move out, feel less alone. You can help them plan. The goal and the choices stay theirs.

## Helping someone plan

1. **Find the goal in their words.** "What would you like to be different?"
2. **Break it into small steps.** Big goals feel scary. Small steps feel doable.
3. **Look at what could help and what could get in the way.** People, places, money, timing.
4. **Have a plan B.** What will they do if it doesn't go as hoped?
5. **Check in later.** Celebrate steps, and don't treat a change of plan as failure.

A good step is clear, small and possible this week: "Send Mia a message asking to meet on Saturday" rather than "be more open".

## Coming out: safety first

Kindred has a **coming-out planner**. Many members use it with a supporter. Coming out can be wonderful, and it can also be risky. Some people lose their home, their money or their safety.

**Never push anyone to come out, or to stay in.** Help them think about:

- **Who** they want to tell first. Often a safe person comes before a risky one.
- **How safe they'd be** if it went badly. Do they depend on this person for a home, money or school?
- **A backup.** Somewhere to go, someone to call, money for the bus.
- **Timing.** Not before an exam, a holiday together or a long car ride.
- **What they'll say,** and what they won't answer yet.

> **Member:** I'm going to tell my parents tonight. I can't keep lying.
>
> **You:** That takes courage, and wanting to stop hiding makes total sense. Can we think through tonight together? If it didn't go well, where could you go or who could you call?

This neither stops them nor cheers them into danger. It helps them go in prepared.

## The safety plan

Members also have a private **safety plan** with six steps: warning signs, their own ways to cope, people and places that help them feel better, people they can ask for help, professionals and crisis lines, and making their surroundings safer. If someone is struggling, you can offer to go through it with them. They choose whether to share it with you.

## Your part

You help someone think, notice and prepare. You don't decide for them, and you don't carry the outcome. If a plan goes badly, that is not your fault, and it is not theirs.`,
			Questions: []kindred.Question{
				{
					ID:     "q1",
					Prompt: "A 15-year-old member says they want to come out to their parents tonight. They rely on their parents for everything. What's the best response?",
					Choices: []kindred.Choice{
						wrong("\"Don't. It's too risky while you live with them.\""),
						wrong("\"Go for it! You deserve to be yourself.\""),
						right("Respect their wish to stop hiding, and help them think through safety and a backup before tonight"),
						wrong("Tell a coordinator right away so they can stop the member"),
					},
					Explanation: "The choice is theirs. Your part is to help them go in prepared: who to call and where to go if it goes badly. Telling them what to do, either way, takes away their choice. Bring in a coordinator if you're worried about their safety, not to stop them.",
				},
				{
					ID:       "q2",
					Prompt:   "Which of these are good first steps? Choose all that apply.",
					Multiple: true,
					Choices: []kindred.Choice{
						right("\"Message the school counsellor to ask if the LGBTQ+ group is still running\""),
						wrong("\"Become more confident\""),
						right("\"Write down three things I'd want my friend to know before I tell her\""),
						wrong("\"Fix things with my family\""),
					},
					Explanation: "Good steps are small, clear and doable soon. \"Become more confident\" and \"fix things with my family\" are big hopes. They matter, but they need breaking into steps.",
				},
				{
					ID:     "q3",
					Prompt: "A member's plan to join a queer youth group didn't work out. They went once and felt out of place. What do you do?",
					Choices: []kindred.Choice{
						wrong("Tell them to keep going until it feels right"),
						right("Acknowledge that it took courage to go, ask what felt off, and look at other options with them"),
						wrong("Find them a different group and sign them up"),
						wrong("Agree that groups aren't for them"),
					},
					Explanation: "A plan that changes isn't a failure. Notice the courage, learn from what happened, and let them choose the next step.",
				},
			},
			Scenarios: []kindred.Scenario{{
				ID:        "s1",
				Situation: "Leo (17, he/him) has been saving money and wants to move out and live with his older cousin in another city after he turns 18, in four months. His parents don't know he's trans. He says: \"I just need to survive till then.\"",
				Reflections: []string{
					"How would you help Leo break his goal into small steps?",
					"What safety questions would you gently raise?",
					"What would you do if, during the chat, Leo said things at home had become dangerous?",
				},
			}},
		},
		{
			Title:      "Knowing where to point",
			Competency: kindred.CompResources,
			Body: `## You are one part of someone's support

Peer support is powerful, but one person can't meet every need. A good supporter helps members find other help: services, groups, information and people who can do what we can't.

## What Kindred offers

Know these well, so you can point to them:

- **Get help now:** crisis lines for your organisation, on every page.
- **Groups:** spaces to meet others with shared experiences.
- **Coping strategies library:** ideas that have helped other members.
- **Safety plan and coming-out planner:** private tools members keep.
- **Quick exit:** for anyone who might be seen.

## Outside help

Depending on where a member lives, they might need:

- LGBTQ+ centres and youth groups
- affirming counselling or doctors (including gender-affirming care)
- housing help, especially for young people kicked out of home
- legal advice (for example about discrimination at school or work, or changing a name)
- school support, like a teacher they trust or a GSA (a Gender and Sexuality Alliance club)

Your organisation keeps a list of services it trusts. Use it first.

## How to share a resource

1. **Understand the need first.** Don't reach for a link after one message.
2. **Offer, don't prescribe.** "Would it help to hear about a group that meets online?"
3. **Explain what it is,** who runs it, what it costs and what happens when you contact them.
4. **Think about safety and privacy.** Could a call show on a parent's phone bill? Might a service for under-18s tell parents? Encourage them to ask about privacy before sharing details.
5. **Let them choose,** and offer to help them plan the first contact.
6. **Follow up** if you'll see them again: "Did you get a chance to try the group?"

> **Member:** I think I need actual therapy but I'm scared they'll try to "fix" me.
>
> **You:** That's a real worry, and you deserve someone affirming. Our organisation keeps a list of counsellors who work well with queer people. Want me to share it? It's also OK to ask any counsellor how they support LGBTQ+ clients before you start.

## Be careful

- **Not every service is affirming.** Some "counselling" tries to change people's sexuality or gender. This is called conversion practice; it is harmful. Only share services you or your organisation have checked.
- **Don't share what you aren't sure of.** A wrong phone number in a hard moment can hurt. Check it, or ask your coordinator.
- **Don't overpromise.** "They'll sort it out" sets people up to be let down. Say what you know.`,
			Questions: []kindred.Question{
				{
					ID:     "q1",
					Prompt: "A member mentions in their first message that they've been feeling low. When should you share a list of services?",
					Choices: []kindred.Choice{
						wrong("Right away, so they have it"),
						right("After you understand what they need, and when they'd like it"),
						wrong("Only if they ask for it by name"),
						wrong("Never; peer supporters don't share services"),
					},
					Explanation: "Sharing a list straight away can feel like being passed on. Listen first, then offer. (If they might be in danger, crisis lines come at once: see Module 8.)",
				},
				{
					ID:       "q2",
					Prompt:   "Before sharing a counselling service with a 15-year-old, what's worth checking? Choose all that apply.",
					Multiple: true,
					Choices: []kindred.Choice{
						right("Whether it's affirming of LGBTQ+ people"),
						right("Whether it might contact parents, and what the member wants"),
						right("Whether your organisation lists or trusts it"),
						wrong("Whether you personally liked the counsellor's website design"),
					},
					Explanation: "Affirming care, privacy (which can be different for under-18s) and your organisation's trust in a service all matter for a young member's safety.",
				},
				{
					ID:     "q3",
					Prompt: "You find a support line number on a forum, but you're not sure it's still right. What do you do?",
					Choices: []kindred.Choice{
						wrong("Share it and say \"I think this is right\""),
						right("Check it first, or ask your coordinator, before sharing"),
						wrong("Share it; any help is better than none"),
						wrong("Tell the member to search for it themselves"),
					},
					Explanation: "A wrong number can let someone down when they most need help. Check first, or ask your coordinator. If it's a crisis, use the lines on Get help now, which your organisation keeps up to date.",
				},
			},
			Scenarios: []kindred.Scenario{{
				ID:        "s1",
				Situation: "Ade (22, he/him) was kicked out by his family last week after they found messages from his boyfriend. He's staying on a friend's sofa but can only stay a few more days. He hasn't told anyone else and is embarrassed to ask for help.",
				Reflections: []string{
					"What needs might Ade have beyond what you can offer in a chat?",
					"How would you bring up outside help without making him feel passed on?",
					"What would you check before sharing a housing service with him?",
				},
			}},
		},
		{
			Title:      "Coping tools and wellbeing",
			Competency: kindred.CompWellness,
			Body: `## Why wellbeing skills matter

Queer people often carry extra stress: hiding who you are, hearing jokes about people like you, worrying about safety or being rejected. This is sometimes called **minority stress**, the extra stress of living in a world that isn't always welcoming. It's not a personal weakness. It's a normal reaction to a hard situation.

Coping skills don't fix unfair situations, but they can make hard days easier to get through.

## Offer ideas, let them choose

Kindred's **coping strategies library** and members' "what helped me" posts are full of ideas. Share them as options, not orders: "Some people find… Would something like that fit you?" What calms one person annoys another. Members can save what works to their own toolkit.

## Some ideas to know

**For right now**

- **Grounding.** Notice 5 things you can see, 4 you can touch, 3 you can hear, 2 you can smell and 1 you can taste. It brings attention back to the present.
- **Slow breathing.** Breathe in for 4, out for 6, a few times. A longer out-breath helps the body calm down.
- **Cold water** on the face or hands.
- **Moving:** a walk, stretching, dancing in your room.

**For the longer run**

- **Connection.** Talking with people who get it: a group, a friend, an online community.
- **Queer joy.** Music, books, films, art and history by people like them. Seeing happy queer lives matters.
- **Routines.** Sleep, food and daylight sound boring, but they make a big difference to mood.
- **Limits on hurtful content.** Muting, blocking, taking breaks from news or comment sections.
- **Creative outlets:** writing, drawing, making playlists.

## An example

> **Member:** every time my dad makes a comment about "those people" I just freeze and then I can't sleep
>
> **You:** That sounds exhausting, hearing that from your own dad. Some members find it helps to have something ready for those moments, like putting headphones in or going for a walk after. What's helped you even a little before?

Start from what already works for them. They are the expert.

## Be honest and safe

- **Don't make promises** like "this will fix your anxiety".
- **Alcohol and drugs** are how some people cope. Don't lecture; listen, and share safer ideas and services if they want them.
- **If coping has become risky,** like self-harm, not eating, or using a lot to get through the day, that's more than a coping problem. Talk to your coordinator (and see Module 8 if someone is in danger).

## You too

These skills are for you as well. You can't pour from an empty cup: Module 12 covers looking after yourself.`,
			Questions: []kindred.Question{
				{
					ID:     "q1",
					Prompt: "What does \"minority stress\" mean?",
					Choices: []kindred.Choice{
						wrong("Stress that only affects a small number of people"),
						right("The extra stress that comes from living in a world that isn't always welcoming to people like you"),
						wrong("A mental illness common in queer people"),
						wrong("Stress caused by being too sensitive"),
					},
					Explanation: "Minority stress is a normal reaction to things like rejection, hiding and discrimination. It's not an illness or a weakness.",
				},
				{
					ID:       "q2",
					Prompt:   "Which are good ways to share a coping idea? Choose all that apply.",
					Multiple: true,
					Choices: []kindred.Choice{
						right("\"Some people find slow breathing helps. Would you want to try it?\""),
						wrong("\"You need to start meditating every day.\""),
						right("\"What's helped you before, even a little?\""),
						wrong("\"If you tried harder to stay positive, you'd feel better.\""),
					},
					Explanation: "Offer choices and start from what already works for them. Orders and \"try harder\" put the blame on the member.",
				},
				{
					ID:     "q3",
					Prompt: "A member says drinking is the only thing that helps them sleep since their family stopped talking to them. What's the best response?",
					Choices: []kindred.Choice{
						wrong("Tell them drinking is dangerous and they must stop"),
						wrong("Ignore it, since it's their choice"),
						right("Listen without judging, ask how it's going for them, and offer other ideas or services if they want them"),
						wrong("Suggest they drink less and add sleeping pills instead"),
					},
					Explanation: "Lectures push people away, and ignoring it misses a need. Listening first, then offering options, keeps the door open. Never suggest medicine. If it sounds risky, talk to your coordinator.",
				},
			},
			Scenarios: []kindred.Scenario{{
				ID:        "s1",
				Situation: "Noor (19, she/they) says: \"I'm fine, I just can't stop scrolling through all the hate about trans people online. I'm up until 3am every night reading comments.\"",
				Reflections: []string{
					"What might be going on for Noor underneath \"I'm fine\"?",
					"Write a reply that offers one or two ideas without telling Noor what to do.",
					"How would you find out whether Noor has other support?",
				},
			}},
		},
		{
			Title:      "Helping in a crisis",
			Competency: kindred.CompCrisis,
			Body: `## What a crisis is

A crisis is when someone may be in danger right now: thinking about ending their life, hurting themselves, or being hurt by someone else. You are not expected to handle this alone. Your job is to **stay calm, stay with them, and bring in help.**

## Warning signs

- Talking about wanting to die, being a burden, or having no reason to live
- Talking about a plan, a method or a time
- Saying goodbye, or giving things away
- Being hurt or threatened at home, or having nowhere safe to sleep

Kindred also looks for crisis words and shows the member help straight away, but it misses a lot. Trust your own worry.

## Ask directly

If you're worried, ask plainly: **"Are you thinking about suicide?"** Asking does *not* put the idea in someone's head. Many people feel relieved that someone finally asked.

If they say yes, ask: "Do you have a plan? Do you have what you'd need with you?" This tells you how urgent it is.

## What to do

1. **Immediate danger?** If they have taken something, are hurt, or are about to act, they need emergency services now. Give them the number from *Get help now* and ask them to call. Stay in the chat.
2. **Escalate to your coordinator straight away** with the escalate button. Don't wait until the chat ends.
3. **Share crisis lines** from *Get help now*, like a phone or text line that's open now.
4. **Stay with them** while help comes in. Keep your messages short and calm.
5. **Make things safer together.** "Could you put the pills in another room while we talk?"

## What to say

> **Member:** i cant do this anymore. i have pills here
>
> **You:** I'm really glad you told me. I'm staying right here. Are you thinking about taking them to end your life?
>
> **Member:** yeah
>
> **You:** Thank you for being honest. Your safety matters to me. I'm bringing in my coordinator now so we can help you together. Have you taken any yet?

## Never promise secrecy

If someone says "promise you won't tell", be honest and kind: "I can't promise that if your life is in danger, because I care what happens to you. I'll tell you what I'm doing and why." For members aged 13–17, **always** bring in a coordinator when you're worried. Safeguarding them is not optional.

## What not to do

- Don't argue, lecture or say "think of your family".
- Don't leave suddenly. If you must go, hand over first.
- Don't try to find out where they live or go to them yourself.
- Don't handle it alone or keep it to yourself.

## Handing over

Tell the coordinator what you know: what was said, how urgent it seems, what you've done. Tell the member: "Jo, our coordinator, is joining to help." Afterwards, **debrief**. Crisis chats are heavy, and you deserve support too.`,
			Questions: []kindred.Question{
				{
					ID:     "q1",
					Prompt: "Before telling you something, a member writes: \"Promise you won't tell anyone?\" What's the best reply?",
					Choices: []kindred.Choice{
						wrong("\"I promise. You can trust me with anything.\""),
						right("\"What you share stays within Kindred's support team, but if I'm worried about your safety I'll bring in my coordinator, and I'll tell you first. I'm here to listen.\""),
						wrong("\"I can't promise anything, so maybe don't tell me.\""),
						wrong("Ignore the question and wait for them to go on"),
					},
					Explanation: "Never promise secrecy about risk: breaking a promise later breaks trust when it matters most. Be honest about the limits and warm about wanting to hear them.",
				},
				{
					ID:       "q2",
					Prompt:   "A member says they plan to end their life tonight. What should you do? Choose all that apply.",
					Multiple: true,
					Choices: []kindred.Choice{
						right("Escalate to your coordinator straight away"),
						right("Share crisis lines from Get help now, and emergency services if they're in immediate danger"),
						wrong("End the chat so professionals can take over"),
						right("Stay with them and keep messages short and calm"),
						wrong("Ask for their home address so you can go there"),
					},
					Explanation: "Bring in help and stay with them. Leaving suddenly can feel like rejection, and going to them yourself isn't safe or your role. Emergency services and your coordinator handle that.",
				},
				{
					ID:     "q3",
					Prompt: "Does asking someone \"Are you thinking about suicide?\" make them more likely to act on it?",
					Choices: []kindred.Choice{
						wrong("Yes, so hint at it gently instead"),
						right("No. Asking directly is safe and often a relief"),
						wrong("Only for young people"),
						wrong("Only if you use the word \"suicide\""),
					},
					Explanation: "Asking directly doesn't put the idea in someone's head. It shows you can handle the answer and opens the door to help.",
				},
			},
			Scenarios: []kindred.Scenario{{
				ID:        "s1",
				Situation: "It's 11pm. Riley (15, they/them) has been chatting with you about their parents finding their binder. Suddenly they write: \"whatever. it doesnt matter. i wont be here much longer anyway. dont tell anyone ok\".",
				Reflections: []string{
					"Write your next message to Riley.",
					"What steps would you take, in what order?",
					"What would you tell your coordinator when you hand over?",
				},
			}},
		},
		{
			Title:      "Communicating by text",
			Competency: kindred.CompCommunicate,
			Body: `## Text is different

Most Kindred support happens in writing. There's no voice or face to show you care, so your words do all the work. Short messages can look cold; a pause can feel like you've gone.

## Clear and warm

- **Keep it short.** A few sentences at a time is easier to read, especially when someone is upset.
- **Say feelings out loud.** "I'm really glad you told me" says what a smile would say in person.
- **Plain words.** Skip jargon. If you must use a term, explain it.
- **One question at a time.** Three questions at once can feel like a quiz.
- **Emoji with care.** A heart can help; a laughing face after something painful can hurt. Follow their lead.

## Checking you've understood

Text is easy to misread. Check: "It sounds like you're mostly angry with your sister, not your mum. Have I got that right?" And if a message of yours seems to land badly, ask: "That came out wrong, I think. What I meant was…"

## Pauses

- If you need a moment to think, say so: "Give me a sec to take that in."
- If they go quiet, wait, then check gently: "No rush. I'm still here." They may have had to hide their phone.
- If you have to go, say when, and never vanish mid-conversation. In a crisis, hand over first.

## Words matter

- **Use their words** for their identity, body and relationships.
- **Don't use slurs,** even reclaimed ones, unless they do and it feels right to them.
- **Avoid blame.** "Why didn't you tell someone?" sounds like a telling-off. Try "What made it hard to tell someone?"
- **Content warnings.** In groups, put a content warning on posts about self-harm, abuse or suicide so others can choose.

## An example

> **Member:** idk. whatever. its fine
>
> **You:** That "whatever" sounds heavy. We can talk about it, or just sit here for a bit. Either is fine with me.

## Ending well

- Give a heads-up: "We've got about ten minutes left."
- Sum up what you talked about and anything they want to try.
- Remind them how to get support again, and of *Get help now*.
- Let them have the last word if they want it.

## Writing notes

Your debrief notes are read by coordinators. Write facts, not opinions: "Member said her mum took her phone" rather than "Member is being dramatic". Write only what's needed, and never copy in more personal details than the team needs. Write as if the member might one day read it.`,
			Questions: []kindred.Question{
				{
					ID:     "q1",
					Prompt: "A member goes quiet for several minutes in the middle of a chat. What do you do?",
					Choices: []kindred.Choice{
						wrong("End the chat; they've probably left"),
						right("Wait, then send a gentle message like \"No rush, I'm still here\""),
						wrong("Send several messages asking where they went"),
						wrong("Escalate to a coordinator straight away"),
					},
					Explanation: "They may have had to hide their phone or need time. A calm, gentle check-in keeps the door open. (If the silence follows something worrying about their safety, follow Module 8.)",
				},
				{
					ID:       "q2",
					Prompt:   "Which are good practice when chatting by text? Choose all that apply.",
					Multiple: true,
					Choices: []kindred.Choice{
						right("Asking one question at a time"),
						right("Checking you've understood"),
						wrong("Writing long paragraphs so you cover everything"),
						right("Telling them before you need to go"),
					},
					Explanation: "Short messages, one question at a time, checking understanding and warning before you leave all help. Long paragraphs are hard to take in when someone is upset.",
				},
				{
					ID:     "q3",
					Prompt: "Which is the best line for a debrief note?",
					Choices: []kindred.Choice{
						wrong("\"Member is overreacting about her parents.\""),
						right("\"Member said her parents took her phone after finding her messages. Feels isolated. Wants to try the online group.\""),
						wrong("\"Member's full name, school and home town, in case we need them.\""),
						wrong("\"Long chat, went fine.\""),
					},
					Explanation: "Good notes are factual, respectful and only as detailed as the team needs. Opinions, extra identifying details or notes too thin to help don't serve the member.",
				},
			},
			Scenarios: []kindred.Scenario{{
				ID:        "s1",
				Situation: "Tomás (17, he/him) has been chatting about a boy he likes at school. You reply with a joke and a laughing emoji. His next message is: \"k\". Then nothing for a minute.",
				Reflections: []string{
					"What might have happened?",
					"Write your next message.",
					"How could you avoid this kind of misunderstanding next time?",
				},
			}},
		},
		{
			Title:      "Working as a team",
			Competency: kindred.CompCollaborate,
			Body: `## You're not on your own

Peer supporters are part of a team: **coordinators** supervise and support you, **moderators** keep spaces safe, and **facilitators** lead groups. Working together keeps members safe and keeps you well.

## Who does what

| Role | Helps with |
|---|---|
| Coordinator | your questions, escalations, hand-offs, debriefs, sign-off |
| Moderator | reports, harmful posts, bans |
| Facilitator | group sessions and group rules |
| Other supporters | hand-offs with the member's agreement, peer advice |

## When to bring in your coordinator

- Any worry about someone's safety (see Module 8)
- Any worry about a member aged 13–17
- When you aren't sure what to do
- When a chat is affecting you a lot
- When a member asks for something outside your role
- When you've made a mistake

Asking early is a strength, not a failure. Nobody gets marked down for asking.

## Sharing information in the team

Members trust Kindred, not only you. Inside the team, share what people need to know to help, and no more.

- **Do** tell your coordinator what's needed for safety and support.
- **Don't** talk about members with other supporters "for interest", in other chats, or outside Kindred.
- **Never** share screenshots of chats outside Kindred.

## Hand-offs

Sometimes another supporter would be a better fit: they speak the member's language, share an experience, or you're at your limit. A hand-off needs the member's **agreement**.

> **You:** I've really valued talking with you. I think Marisol, one of our supporters, might be a great fit; she's Spanish-speaking and has been through something similar. Would you like me to ask her to join? It's completely your choice.

If they say no, that's OK. Talk with your coordinator about next steps.

## Debriefs

After each conversation, write a short debrief. Coordinators read them to spot patterns, follow up on worries and look after you. Say how *you* are too: "I found this one hard because it reminded me of my own family."

## When you disagree

You might not agree with a coordinator's decision. Say so respectfully, and ask about their reasons. In a safety situation, follow the coordinator's lead first and talk it through afterwards.`,
			Questions: []kindred.Question{
				{
					ID:       "q1",
					Prompt:   "When should you bring in your coordinator? Choose all that apply.",
					Multiple: true,
					Choices: []kindred.Choice{
						right("You're worried about a member's safety"),
						right("A chat has left you really shaken"),
						right("You've made a mistake in a chat"),
						wrong("Only when a member asks for a coordinator"),
					},
					Explanation: "Coordinators are there for safety worries, for your wellbeing and for mistakes. Waiting until a member asks means help comes too late.",
				},
				{
					ID:     "q2",
					Prompt: "You think another supporter would be a better fit for a member. What do you do?",
					Choices: []kindred.Choice{
						wrong("Hand them over; it's for their own good"),
						right("Explain why and ask the member if they'd like the hand-off"),
						wrong("Stop replying so the member asks for someone else"),
						wrong("Tell the other supporter everything first, then ask the member"),
					},
					Explanation: "A hand-off needs the member's agreement. Explain why, offer the choice, and respect a no.",
				},
				{
					ID:     "q3",
					Prompt: "Another supporter asks you: \"Did you hear what happened with that kid from the trans group?\" What's the best response?",
					Choices: []kindred.Choice{
						wrong("Share what you know; you're both supporters"),
						right("Kindly say you don't talk about members unless it's needed to support them, and suggest raising any worry with a coordinator"),
						wrong("Ask for the details so you can help too"),
						wrong("Report the supporter to a moderator"),
					},
					Explanation: "Inside the team, share what's needed to help, not for interest. Pointing a genuine worry to the coordinator is the right path.",
				},
			},
			Scenarios: []kindred.Scenario{{
				ID:        "s1",
				Situation: "You've been supporting Elif (24, she/her) for three weeks. She's started to message you outside your shift times and says: \"You're the only one who gets me. I don't want to talk to anyone else.\" You're feeling stretched.",
				Reflections: []string{
					"What could be going on for Elif, and for you?",
					"How would you bring your coordinator into this?",
					"How might you talk with Elif about other support without her feeling rejected?",
				},
			}},
		},
		{
			Title:      "Speaking up without speaking over",
			Competency: kindred.CompAdvocacy,
			Body: `## What advocacy is

**Advocacy** means speaking up for change: for one person, like a student who wants their name used at school, or for many, like a campaign for better services. In peer work, the best advocacy helps people speak for themselves.

## Supporting self-advocacy

Often the most powerful thing is helping a member find their own voice:

- **Explore what they want.** "What would you like the school to do?"
- **Share information** about their rights or how to raise things, if you know it well. Check with your coordinator if you don't.
- **Help them prepare:** what to say, who to say it to, what to bring.
- **Practise together.** Role-play a conversation in the chat.
- **Respect their pace.** Some people want to change everything; some just want to get through the term.

> **Member:** my teacher keeps using my deadname in class
>
> **You:** That's really hard to sit through. What would you want to happen? Some people talk to a teacher they trust, or the school counsellor. Would it help to plan what you'd say?

## Be careful about outing

Speaking up can out someone. A school might tell parents. A complaint at work might reach others. Before a member takes a step, help them think: **who will find out, and is that safe?** Never contact a school, family or employer about a member yourself.

## Nothing about us without us

This phrase means decisions about a group should include the people in it. For you, it means:

- Don't speak *for* members. Help them speak, or ask them what they want said.
- **Make room** for voices heard less often: trans people, queer people of colour, disabled queer people, young people, people from small towns.
- **Ask before sharing a story,** even without names. It's theirs.
- When you speak in public, you speak for yourself, not Kindred, unless asked to.

## Collective change

Many problems aren't personal: unsafe schools, long waits for care, laws that hurt queer people. Kindred has events, projects and campaigns where members can work together. Point members to them if they want to act, and remember that joining in is always a choice. Taking a break from activism is self-care too.

## Feeding back

If you notice the same problem again and again, like several members at one school having the same trouble, tell your coordinator (without naming anyone who hasn't agreed). Your organisation may be able to act.

## Leading by example

Leadership in peer work looks like being reliable, owning your mistakes, treating everyone with respect, and lifting others up.`,
			Questions: []kindred.Question{
				{
					ID:     "q1",
					Prompt: "A 14-year-old member's teacher keeps misgendering them. What's the best way to support them?",
					Choices: []kindred.Choice{
						wrong("Email the school yourself to explain their pronouns"),
						right("Explore what they'd like to happen, help them think about who might find out, and help them plan if they want to act"),
						wrong("Tell them to ignore it until they leave school"),
						wrong("Post about the teacher in a group so others know"),
					},
					Explanation: "Support self-advocacy and think about outing together. Contacting the school yourself could out them, and public posts could identify them.",
				},
				{
					ID:       "q2",
					Prompt:   "Which of these fit \"nothing about us without us\"? Choose all that apply.",
					Multiple: true,
					Choices: []kindred.Choice{
						right("Asking a member before sharing their story, even without their name"),
						wrong("Speaking for trans members at a meeting because they might be nervous"),
						right("Making room for voices that are heard less often"),
						right("Helping members speak for themselves"),
					},
					Explanation: "The idea is to include people in what affects them. Speaking for a group without asking them, even kindly meant, leaves them out.",
				},
				{
					ID:     "q3",
					Prompt: "You notice three members from the same school all describe anti-queer bullying being ignored by staff. What should you do?",
					Choices: []kindred.Choice{
						right("Tell your coordinator about the pattern, without naming anyone who hasn't agreed"),
						wrong("Contact the school with the members' names"),
						wrong("Do nothing; it's not your role"),
						wrong("Put the three members in touch with each other"),
					},
					Explanation: "Patterns help your organisation act, but members' privacy stays protected. Connecting members to each other needs each one's agreement.",
				},
			},
			Scenarios: []kindred.Scenario{{
				ID:        "s1",
				Situation: "Your organisation is planning a campaign about queer-inclusive sex education in schools. A coordinator asks if you'd share a story from one of the teens you support, \"anonymously, of course\", because it would really move people.",
				Reflections: []string{
					"What would you consider before answering?",
					"How could the member's voice be included in a way that respects them?",
					"Who should decide whether the story is shared?",
				},
			}},
		},
		{
			Title:      "Looking after yourself and growing",
			Competency: kindred.CompGrowth,
			Body: `## You matter too

Peer support is meaningful, and it can also be heavy. You may hear stories close to your own. You'll care about people you can't fix. Looking after yourself isn't selfish: it's how you keep doing this well.

## Know the signs

- **Burnout:** feeling drained, numb, cynical, or dreading shifts.
- **Vicarious trauma:** when hearing about others' pain starts to affect you as if it were your own, like bad dreams, feeling on edge or seeing danger everywhere.
- **Old wounds opening:** a member's family rejection can bring back your own.

These are common and nothing to be ashamed of. They're signals to slow down and get support.

## Everyday self-care

- **Keep to your shift and caseload limits.** Kindred sets them to protect you. Turning your availability off is allowed.
- **Have an "after" routine:** a walk, music, a shower, a message to a friend (about your day, not the member).
- **Don't check Kindred in bed** or on your day off.
- **Keep your own support:** friends, community, your own counsellor if you have one.
- **Do things that fill you up,** especially joyful queer things.

## Debriefing

After a hard chat, talk it through with your coordinator. A debrief is not a test. It's a chance to say:

- What happened
- How it felt
- What went well
- What you'd do differently
- What you need now

> **You:** That crisis chat last night is still on my mind. I keep wondering if I said the right thing.
>
> **Coordinator:** Thanks for telling me. Let's go through it together. You brought me in quickly and stayed with them. That's exactly what we ask.

## Mistakes

You will make mistakes: a wrong word, a missed sign, a joke that lands badly. Own it, repair it if you can, learn, and let it go. Perfection isn't the goal; caring and learning are.

## Growing

- **Read feedback** from members and coordinators with curiosity.
- **Reflect** after chats: what did I learn about listening? About myself?
- **Keep learning** about experiences unlike yours: other identities, cultures, ages.
- **Do your refresher** each year; things change, and so do you.

## Stepping back

Sometimes the kindest thing, for you and members, is a break. Life changes, a loss, or your own mental health may mean you need to pause. Tell your coordinator. You can come back when you're ready.

Thank you for doing this work. It matters.`,
			Questions: []kindred.Question{
				{
					ID:     "q1",
					Prompt: "What is \"vicarious trauma\"?",
					Choices: []kindred.Choice{
						wrong("Trauma that happened to you a long time ago"),
						right("When hearing about other people's pain starts to affect you as if it were your own"),
						wrong("When a member lies about what happened to them"),
						wrong("Being tired after a long shift"),
					},
					Explanation: "Vicarious trauma comes from taking in others' pain over time. It's common in support work, and a sign to get support and slow down.",
				},
				{
					ID:       "q2",
					Prompt:   "Which of these help protect you from burnout? Choose all that apply.",
					Multiple: true,
					Choices: []kindred.Choice{
						right("Keeping to your shift and caseload limits"),
						wrong("Checking messages on your day off in case someone needs you"),
						right("Debriefing with your coordinator after hard chats"),
						right("Having your own support outside Kindred"),
					},
					Explanation: "Limits, debriefs and your own support keep you well. Being always on call wears you down, and other supporters and crisis lines are there when you're off.",
				},
				{
					ID:     "q3",
					Prompt: "You realise you used the wrong pronouns for a member throughout yesterday's chat. What's the best next step?",
					Choices: []kindred.Choice{
						wrong("Say nothing and hope they didn't notice"),
						wrong("Stop being a supporter; you clearly aren't good enough"),
						right("Apologise briefly next time you talk, use the right pronouns, and mention it in your debrief"),
						wrong("Ask the member to change their profile so it's clearer"),
					},
					Explanation: "Own it, repair it and learn. A short apology and getting it right from now on matter more than being perfect. Mistakes aren't a reason to quit.",
				},
			},
			Scenarios: []kindred.Scenario{{
				ID:        "s1",
				Situation: "For the past month you've supported several members whose families rejected them, as yours did. You've started sleeping badly, feel flat before shifts, and snapped at a friend who asked how volunteering was going.",
				Reflections: []string{
					"What signs do you notice in yourself here?",
					"What would you say to your coordinator?",
					"What's one change you could make this week to look after yourself?",
				},
			}},
		},
	}
}
