package conform_test

import "time"

func durationOf(minutes int) time.Duration { return time.Duration(minutes) * time.Minute }
