package expr

import (
	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// strOut builds a string or binary array row by row straight into Arrow
// buffers: one offsets allocation, a data buffer grown by doubling, and a
// validity bitmap made only if a null appears.
type strOut struct {
	offBuf *memory.Buffer
	offs   []int32
	data   *memory.Buffer
	size   int
	row    int
	nulls  *bitmapBuilder
}

func newStrOut(mem memory.Allocator, n, dataHint int) *strOut {
	s := &strOut{nulls: newBitmapBuilder(mem, n)}
	s.offBuf, s.offs = fixedBuf[int32](mem, n+1)
	if s.offs == nil {
		s.offBuf.Resize(4)
		s.offs = castSlice[int32](s.offBuf.Bytes(), 1)
	}
	s.data = memory.NewResizableBuffer(mem)
	s.data.Reserve(max(dataHint, 64))
	return s
}

// scratch returns an empty slice at the end of the data with room for k
// bytes; append to it and pass the result to push.
func (s *strOut) scratch(k int) []byte {
	if s.size+k > s.data.Cap() {
		s.data.Reserve(max(2*s.data.Cap(), s.size+k))
	}
	return s.data.Buf()[s.size:s.size:s.data.Cap()]
}

func (s *strOut) push(b []byte) {
	if s.size+len(b) > s.data.Cap() {
		s.data.Reserve(max(2*s.data.Cap(), s.size+len(b)))
	}
	copy(s.data.Buf()[s.size:], b)
	s.size += len(b)
	s.row++
	s.offs[s.row] = int32(s.size)
}

func (s *strOut) pushString(str string) {
	if s.size+len(str) > s.data.Cap() {
		s.data.Reserve(max(2*s.data.Cap(), s.size+len(str)))
	}
	copy(s.data.Buf()[s.size:], str)
	s.size += len(str)
	s.row++
	s.offs[s.row] = int32(s.size)
}

func (s *strOut) pushNull() {
	s.nulls.setNull(s.row)
	s.row++
	s.offs[s.row] = int32(s.size)
}

func (s *strOut) finish(dt arrow.DataType) arrow.Array {
	s.data.Resize(s.size)
	valid, nulls := s.nulls.finish()
	return makeArray(dt, s.row, valid, nulls, s.offBuf, s.data)
}
