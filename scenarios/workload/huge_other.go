//go:build !linux

package workload

// adviseHuge does nothing where transparent huge pages cannot be asked for.
func adviseHuge[T any](s []T) {}
