package main

import "testing"

func TestPhysicalMemory(t *testing.T) {
	if m := physicalMemory(); m != 0 && m < 1<<26 {
		t.Fatalf("physical memory %d bytes: /proc/meminfo misread", m)
	}
}
