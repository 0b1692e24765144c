package actors

import "sync"

// pool is a protoactor dispatcher that runs mailboxes on a fixed set of
// worker goroutines instead of starting a goroutine each time an idle
// mailbox receives a message.
type pool struct {
	work chan func()
	wg   sync.WaitGroup
}

func newPool(n int) *pool {
	p := &pool{work: make(chan func(), 1<<16)}
	p.wg.Add(n)
	for range n {
		go func() {
			defer p.wg.Done()
			for f := range p.work {
				f()
			}
		}()
	}
	return p
}

// Schedule implements actor.Dispatcher. When the queue is full it falls
// back to a goroutine: a worker scheduling a mailbox must never block.
func (p *pool) Schedule(f func()) {
	select {
	case p.work <- f:
	default:
		go f()
	}
}

// Throughput implements actor.Dispatcher: messages a mailbox processes
// before yielding.
func (p *pool) Throughput() int { return 300 }

func (p *pool) close() {
	close(p.work)
	p.wg.Wait()
}
