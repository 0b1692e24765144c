package actors

import "encoding/binary"

// arena keeps a registry shard's packed threads, each a uvarint length and
// its bytes, in blocks of a fixed size. One array grown by doubling left
// up to half of itself unused: the heap profile of a 1M-user run showed 37
// bytes of arena per thread for the 19 each packed into.
type arena struct {
	blocks [][]byte // each of capacity blockSize
	waste  int      // bytes no thread uses: activated threads' and block tails
}

const blockSize = 4 << 10

// add appends b as a record and returns its offset; ok is false when b is
// too long for a block (4 KiB: a thread within the packing limits nearly
// always packs into far less; one that does not stays unpacked).
func (a *arena) add(b []byte) (off int, ok bool) {
	need := varintLen(len(b)) + len(b)
	if need > blockSize {
		return 0, false
	}
	last := len(a.blocks) - 1
	if last < 0 || blockSize-len(a.blocks[last]) < need {
		if last >= 0 {
			a.waste += blockSize - len(a.blocks[last])
		}
		a.blocks = append(a.blocks, make([]byte, 0, blockSize))
		last++
	}
	blk := a.blocks[last]
	off = last*blockSize + len(blk)
	blk = binary.AppendUvarint(blk, uint64(len(b)))
	a.blocks[last] = append(blk, b...)
	return off, true
}

// at returns the record at off.
func (a *arena) at(off int) []byte {
	b := a.blocks[off/blockSize][off%blockSize:]
	n, k := binary.Uvarint(b)
	return b[k : k+int(n)]
}

// free counts the record at off as waste.
func (a *arena) free(off int) {
	n := len(a.at(off))
	a.waste += varintLen(n) + n
}

// wasteful reports whether an eighth of the arena is waste, past the
// first few blocks.
func (a *arena) wasteful() bool {
	return len(a.blocks) > 4 && a.waste > len(a.blocks)*blockSize/8
}

// size returns the bytes the arena's blocks take.
func (a *arena) size() int { return len(a.blocks) * blockSize }

func varintLen(n int) int {
	k := 1
	for ; n >= 0x80; n >>= 7 {
		k++
	}
	return k
}
