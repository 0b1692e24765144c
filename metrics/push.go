package metrics

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/push"
)

// ErrPush is returned by Push when the Pushgateway did not take the metrics.
var ErrPush = errors.New("metrics: push failed")

// Push sends everything g gathers to the Pushgateway at url, under job and the
// grouping labels, replacing what that group held before (an HTTP PUT). It
// suits a run too short to be scraped. The grouping must not name a label the
// metrics carry already, such as policy: group by run or instance instead.
func Push(ctx context.Context, url, job string, g prometheus.Gatherer, grouping map[string]string) error {
	p := push.New(url, job).Gatherer(g)
	for _, k := range slices.Sorted(maps.Keys(grouping)) {
		p = p.Grouping(k, grouping[k])
	}
	if err := p.PushContext(ctx); err != nil {
		return fmt.Errorf("%w to %s: %w", ErrPush, url, err)
	}
	return nil
}
