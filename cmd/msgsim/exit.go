package main

import (
	"errors"
	"fmt"
)

// Exit codes, DESIGN.md section 6.
const (
	exitOK    = 0 // every expectation, invariant and threshold held
	exitFail  = 1 // a run finished and something did not hold, or was interrupted
	exitInput = 2 // the input or the command line is unusable
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

// failed is a run that finished but did not pass: exit 1, nothing more to say.
var failed = &exitError{code: exitFail}

// codeOf maps a command's error to its exit code.
func codeOf(err error) int {
	var ee *exitError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ee):
		return ee.code
	}
	return exitInput
}
