package main

import (
	"errors"
	"fmt"
)

// Exit codes, DESIGN.md section 6 and the README's table. An error carries
// its code from where it arises (inputError, runError, failed), the way
// k6 attaches exit codes to errors; an error nobody classified is msgsim's
// own fault, not the user's.
const (
	exitOK       = 0 // every expectation, invariant and threshold held
	exitFail     = 1 // a run finished and something did not hold, was interrupted, or its report could not be written
	exitInput    = 2 // the input or the command line is unusable; nothing was run
	exitInternal = 3 // msgsim failed on its own: a bug, to be reported
)

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// inputError marks err as a problem with the input: exit 2.
func inputError(err error) error { return &exitError{code: exitInput, err: err} }

// runError marks err as a run that could not deliver what it was asked
// for, its input being fine (a report that could not be written after
// the run): exit 1.
func runError(err error) error { return &exitError{code: exitFail, err: err} }

// failed is a run that finished but did not pass: exit 1, nothing more to say.
var failed = &exitError{code: exitFail}

// codeOf maps a command's error to its exit code: an error that no one
// classified is internal.
func codeOf(err error) int {
	var ee *exitError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ee):
		return ee.code
	}
	return exitInternal
}
