package metrics

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// ErrListen is returned by Serve when it cannot listen on its address, for
// instance because the port is in use.
var ErrListen = errors.New("metrics: cannot listen")

// Server serves a registry over HTTP: the exposition on /metrics and a page
// linking to it on /.
type Server struct {
	srv  *http.Server
	addr string
	stop func() bool   // cancels closing the server when Serve's ctx is done
	done chan struct{} // closed when http.Server.Serve has returned
	err  error         // why Serve returned, if not because it was closed

	closeOnce sync.Once
	closeErr  error
}

// Serve listens on addr (host:port; port 0 picks a free one) and serves g's
// metrics there until Close is called or ctx is done, whichever comes first.
// It listens before it returns, so an address in use is an error wrapping
// ErrListen rather than a failure in the background.
func Serve(ctx context.Context, addr string, g prometheus.Gatherer) (*Server, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%w on %s: %w", ErrListen, addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(g, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /{$}", index)
	s := &Server{
		srv:  &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second},
		addr: ln.Addr().String(),
		done: make(chan struct{}),
	}
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			s.err = fmt.Errorf("metrics: serving on %s: %w", s.addr, err)
		}
	}()
	s.stop = context.AfterFunc(ctx, func() { s.srv.Close() })
	return s, nil
}

// Addr returns the address the server listens on, with the port it was given
// when Serve was asked for port 0.
func (s *Server) Addr() string { return s.addr }

// Close stops the server: it stops listening, lets requests in progress
// finish until ctx is done, then drops them. It returns why serving failed, if
// it did, or ctx's error if requests had to be dropped. Calling Close again
// returns the same result.
func (s *Server) Close(ctx context.Context) error {
	s.closeOnce.Do(func() {
		if !s.stop() { // Serve's ctx is done and closed the server already.
			<-s.done
			s.closeErr = s.err
			return
		}
		err := s.srv.Shutdown(ctx)
		if err != nil {
			s.srv.Close()
			err = fmt.Errorf("metrics: closing %s: %w", s.addr, err)
		}
		<-s.done
		s.closeErr = errors.Join(s.err, err)
	})
	return s.closeErr
}

const indexPage = `<!doctype html>
<html>
<head><meta charset="utf-8"><title>msgsim</title></head>
<body>
<h1>msgsim</h1>
<p><a href="/metrics">/metrics</a>: Prometheus metrics of the run in progress.</p>
</body>
</html>
`

func index(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(indexPage))
}
