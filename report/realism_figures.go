package report

// Realism is how much a run's traffic looked like people's messaging
// (issue 18), measured on what the run did, whatever model generated it:
// the operations' outcomes and one pass over the final state's threads.
type Realism struct {
	// NotFoundShare is, by action, the share of its operations answered
	// not_found: reads, archives or mutes of threads the user does not
	// have, deletes of unknown messages.
	NotFoundShare map[string]float64 `json:"not_found_share"`
	// ReplyShare is the share of the messages of direct threads that
	// answer the other member: whose previous message in the thread is
	// the other member's.
	ReplyShare float64 `json:"reply_share"`
	// ReplyDelaySeconds is the simulated time from that previous message
	// to the answer, to within 6% (a histogram of 20 bins a decade).
	ReplyDelaySeconds Spread `json:"reply_delay_seconds"`
	// MessagesPerThread is the number of messages stored in a thread
	// (recalled ones included), over the threads with one at least.
	MessagesPerThread Spread `json:"messages_per_thread"`
	// Top1pctSenderShare is the share of the stored messages that the
	// most active 1% of their authors wrote.
	Top1pctSenderShare float64 `json:"top1pct_sender_share"`
	// ActiveThreadsPerUser is the number of threads with messages that a
	// user is or was a member of, over all users.
	ActiveThreadsPerUser Spread `json:"active_threads_per_user"`
	// ThreadLengths and ReplyDelays are the distributions, for plots on
	// log scales: the count of threads of at most Upto messages (and more
	// than the previous bin's), and of reply delays of at most Upto
	// seconds, in powers of two.
	ThreadLengths []Bin `json:"thread_lengths"`
	ReplyDelays   []Bin `json:"reply_delays"`
}

// Spread is some percentiles of a distribution; a field is left out when
// the figure does not report it.
type Spread struct {
	P50 float64  `json:"p50"`
	P90 float64  `json:"p90"`
	P99 *float64 `json:"p99,omitempty"`
	Max *float64 `json:"max,omitempty"`
}

// Bin is a histogram's bin: Count values at most Upto and above the
// previous bin's Upto.
type Bin struct {
	Upto  float64 `json:"upto"`
	Count int     `json:"count"`
}
