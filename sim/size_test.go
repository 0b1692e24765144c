package sim

import (
	"testing"
	"unsafe"
)

// TestSizes keeps the memory figures in doc.go true.
func TestSizes(t *testing.T) {
	for _, c := range []struct {
		name      string
		got, want uintptr
	}{
		{"Message", unsafe.Sizeof(Message{}), 40},
		{"Event", unsafe.Sizeof(Event{}), 48},
		{"User", unsafe.Sizeof(User{}), 168},
		{"Entry", unsafe.Sizeof(Entry{}), 24},
		{"hide", unsafe.Sizeof(hide{}), 8},
		{"mark", unsafe.Sizeof(mark{}), 16},
	} {
		if c.got != c.want {
			t.Errorf("%s is %d bytes; doc.go says %d", c.name, c.got, c.want)
		}
	}
}
