package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/msgsim/msgsim/report"
)

// checkOutput refuses an output path that cannot be written, before any
// work: its directory must exist and take a new file, and the path must
// not be a directory. "" is no output.
func checkOutput(flag, path string) error {
	if path == "" {
		return nil
	}
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return inputError(fmt.Errorf("%s: %s is a directory; want a file's path", flag, path))
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.check")
	if err != nil {
		return inputError(fmt.Errorf("%s: cannot write %s: %w", flag, path, unwrapPath(err)))
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}

// unwrapPath drops the temporary file's name from an error about it.
func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// writeAtomic writes a file through write: into a temporary file in the
// same directory, then renamed over path, so that a full disk or a crash
// leaves the previous file whole. A failure is the run's (exit 1): the
// path was checked before the run.
func writeAtomic(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return runError(fmt.Errorf("writing %s: %w", path, unwrapPath(err)))
	}
	tmp := f.Name()
	err = write(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return runError(fmt.Errorf("writing %s: %w", path, unwrapPath(err)))
	}
	return nil
}

// writeJSON writes v to path as report.JSON renders it.
func writeJSON(path string, v any) error {
	data, err := report.JSON(v)
	if err != nil {
		return err // a report that cannot be marshalled is msgsim's bug
	}
	return writeAtomic(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// writeHTML writes a report page to path.
func writeHTML(path string, p report.Page) error {
	return writeAtomic(path, func(w io.Writer) error { return report.Write(w, p) })
}

// pushTimeout bounds checkPush's wait for the Pushgateway.
const pushTimeout = 5 * time.Second

// checkPush refuses a --push URL that is not an http(s) URL or whose host
// does not accept a connection, before the run. "" is no push.
func checkPush(ctx context.Context, raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return inputError(fmt.Errorf("--push: want the Pushgateway's http:// or https:// URL, got %q", raw))
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), map[string]string{"http": "80", "https": "443"}[u.Scheme])
	}
	ctx, cancel := context.WithTimeout(ctx, pushTimeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		return inputError(fmt.Errorf("--push: the Pushgateway at %s does not answer: %w", raw, err))
	}
	conn.Close()
	return nil
}
