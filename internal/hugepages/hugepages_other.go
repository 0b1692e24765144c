//go:build !linux

package hugepages

// Start does nothing: transparent huge pages are a Linux feature.
func Start() (stop func()) { return func() {} }
