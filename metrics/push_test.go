package metrics

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"

	"github.com/msgsim/msgsim/sim"
)

// request is what a fake Pushgateway saw.
type request struct {
	method, path string
	families     map[string]*dto.MetricFamily
}

// gateway starts a fake Pushgateway that answers code and sends each request
// it decodes on the returned channel.
func gateway(t *testing.T, code int) (*httptest.Server, <-chan request) {
	t.Helper()
	got := make(chan request, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req := request{method: r.Method, path: r.URL.Path, families: map[string]*dto.MetricFamily{}}
		dec := expfmt.NewDecoder(r.Body, expfmt.ResponseFormat(r.Header))
		for {
			var mf dto.MetricFamily
			if err := dec.Decode(&mf); err != nil {
				if !errors.Is(err, io.EOF) {
					t.Errorf("decoding the pushed body: %v", err)
				}
				break
			}
			req.families[mf.GetName()] = &mf
		}
		got <- req
		w.WriteHeader(code)
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

func TestPush(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	New(reg, "p").Op(sim.Send, sim.OK, 0)
	srv, got := gateway(t, http.StatusOK)

	if err := Push(t.Context(), srv.URL, "msgsim", reg, map[string]string{"run": "r1"}); err != nil {
		t.Fatal(err)
	}
	req := <-got
	if req.method != http.MethodPut || req.path != "/metrics/job/msgsim/run/r1" {
		t.Errorf("pushed %s %s, want PUT /metrics/job/msgsim/run/r1", req.method, req.path)
	}
	ops := req.families["msgsim_operations_total"]
	if ops == nil {
		t.Fatalf("pushed %d families, none msgsim_operations_total", len(req.families))
	}
	var total float64
	for _, m := range ops.GetMetric() {
		total += m.GetCounter().GetValue()
	}
	if total != 1 {
		t.Errorf("pushed msgsim_operations_total summing to %v, want 1", total)
	}
}

func TestPushRefused(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	New(reg, "p")
	srv, got := gateway(t, http.StatusInternalServerError)
	err := Push(t.Context(), srv.URL, "msgsim", reg, nil)
	<-got
	if !errors.Is(err, ErrPush) {
		t.Errorf("Push to a failing gateway: %v, want ErrPush", err)
	}
}

func TestPushGroupingClash(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	New(reg, "p")
	srv, _ := gateway(t, http.StatusOK)
	err := Push(t.Context(), srv.URL, "msgsim", reg, map[string]string{"policy": "p"})
	if !errors.Is(err, ErrPush) {
		t.Errorf("Push grouped by policy: %v, want ErrPush", err)
	}
}
