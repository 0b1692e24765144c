package workload

import "slices"

// texts are the canned message, post and edit texts of generated users.
// Sixty-four of them, so a text is picked with a mask and no allocation.
var texts = [64]string{
	"Hi, thanks for connecting!",
	"Great to meet you at the conference last week.",
	"Do you have time for a quick call on Thursday?",
	"I saw your post about the migration, very useful.",
	"Congratulations on the new role!",
	"Could you share the slides from your talk?",
	"Happy to make an introduction if that helps.",
	"Are you still hiring for the platform team?",
	"Thanks, that answers my question.",
	"Let me check my calendar and get back to you.",
	"Sounds good, talk soon.",
	"Would love your feedback on the draft.",
	"We are looking for a senior engineer in Berlin.",
	"Is the position still open?",
	"I have attached my CV, as discussed.",
	"Thank you for the recommendation!",
	"Let's grab a coffee next time you are in town.",
	"Quick question about your experience with Kafka.",
	"Our team is growing, any referrals welcome.",
	"Can we move our meeting to 3pm?",
	"Just following up on my last message.",
	"Thanks for the endorsement!",
	"Loved the article you shared this morning.",
	"Are you attending the meetup on Friday?",
	"Here is the link to the job description.",
	"I'd be glad to help with the hiring panel.",
	"Apologies for the late reply.",
	"Great news, the offer has been approved.",
	"We'd like to invite you to a second interview.",
	"Could you confirm your availability next week?",
	"Thanks for your patience during the process.",
	"I'm reaching out about a partnership opportunity.",
	"Would you be open to a short chat?",
	"Happy work anniversary!",
	"Nice to see you here again.",
	"Good luck with the launch tomorrow.",
	"I'll send over the contract today.",
	"The webinar recording is now available.",
	"Can you introduce me to your colleague in sales?",
	"Thanks, I really appreciate it.",
	"Did you get a chance to review the proposal?",
	"We just published our engineering blog post.",
	"Let me know if you need anything else.",
	"Looking forward to working together.",
	"Your profile came up in our search for a lead.",
	"Interested in speaking at our next event?",
	"Is remote work an option for this role?",
	"I've shared the document with you.",
	"What's the best email to reach you?",
	"Congrats on the funding round!",
	"Our recruiter will contact you shortly.",
	"Thanks for the warm welcome to the team.",
	"How did the interview go?",
	"Could you endorse me for Go and distributed systems?",
	"The deadline has moved to the end of the month.",
	"See you at the all-hands.",
	"Thanks for hosting the panel yesterday.",
	"I'm putting together a reading list, any tips?",
	"Let's keep in touch.",
	"Sorry, wrong thread!",
	"Can you send me the updated numbers?",
	"We should collaborate on this.",
	"Thanks for thinking of me for this.",
	"Have a great weekend!",
}

// spamTexts are what spammers send during a spam wave.
var spamTexts = [8]string{
	"Earn $5000 a week from home, click here!",
	"You have been selected for an exclusive crypto opportunity.",
	"Limited offer: boost your profile views 10x today.",
	"Congratulations, you won a free gift card, claim now.",
	"I am a recruiter with an urgent job, send your bank details.",
	"Invest now and double your money in 7 days.",
	"Your account needs verification, log in at this link.",
	"Buy followers and endorsements, cheap and fast.",
}

// Texts returns the canned texts generated sends, posts and edits carry.
func Texts() []string { return slices.Clone(texts[:]) }

// SpamTexts returns the texts a spam wave's messages carry.
func SpamTexts() []string { return slices.Clone(spamTexts[:]) }
