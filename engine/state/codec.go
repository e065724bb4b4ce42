package state

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
)

// Record tags and the file header (see the package doc).
const (
	tagPut    byte = 'P'
	tagRemove byte = 'R'
	tagEnd    byte = 'E'
	magic          = "GSST"
	formatV1  byte = 1
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// CorruptError reports a state file that cannot be decoded: truncated,
// altered, or of an unknown format.
type CorruptError struct {
	File   string
	Reason string
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("corrupt state file %s: %s; delete the query's checkpoint state (and its offsets and commits) or restore the file", e.File, e.Reason)
}

// encodeRecords encodes keys and values (nil value = remove) as a file of
// the given kind.
func encodeRecords(kind byte, keys []string, values [][]byte) []byte {
	size := len(magic) + 2 + 1 + binary.MaxVarintLen64 + 4
	for i, k := range keys {
		size += 1 + 2*binary.MaxVarintLen64 + len(k) + len(values[i])
	}
	b := make([]byte, 0, size)
	b = append(b, magic...)
	b = append(b, formatV1, kind)
	for i, k := range keys {
		v := values[i]
		if v == nil {
			b = append(b, tagRemove)
			b = binary.AppendUvarint(b, uint64(len(k)))
			b = append(b, k...)
			continue
		}
		b = append(b, tagPut)
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
		b = binary.AppendUvarint(b, uint64(len(v)))
		b = append(b, v...)
	}
	b = append(b, tagEnd)
	b = binary.AppendUvarint(b, uint64(len(keys)))
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli))
}

// decodeRecords checks data and calls fn for each record in order (value
// nil for a remove). Values alias data.
func decodeRecords(path string, data []byte, kind byte, fn func(key string, value []byte)) error {
	bad := func(format string, args ...any) error {
		return &CorruptError{File: path, Reason: fmt.Sprintf(format, args...)}
	}
	if len(data) < len(magic)+2+1+1+4 || string(data[:len(magic)]) != magic {
		return bad("not a state file (bad header)")
	}
	body, sum := data[:len(data)-4], binary.LittleEndian.Uint32(data[len(data)-4:])
	if crc32.Checksum(body, castagnoli) != sum {
		return bad("checksum mismatch (the file is truncated or was changed)")
	}
	if body[len(magic)] != formatV1 {
		return bad("format version %d is not supported", body[len(magic)])
	}
	if body[len(magic)+1] != kind {
		return bad("file kind %q, want %q", body[len(magic)+1], kind)
	}
	pos := len(magic) + 2
	readLen := func() (int, bool) {
		n, w := binary.Uvarint(body[pos:])
		if w <= 0 || n > uint64(len(body)-pos-w) {
			return 0, false
		}
		pos += w
		return int(n), true
	}
	var count uint64
	for pos < len(body) {
		tag := body[pos]
		pos++
		switch tag {
		case tagEnd:
			n, w := binary.Uvarint(body[pos:])
			if w <= 0 || pos+w != len(body) {
				return bad("bad end record")
			}
			if n != count {
				return bad("%d records, the end record says %d", count, n)
			}
			return nil
		case tagPut, tagRemove:
			kl, ok := readLen()
			if !ok {
				return bad("bad key length at byte %d", pos)
			}
			key := string(body[pos : pos+kl])
			pos += kl
			if tag == tagRemove {
				if kind == kindSnapshot {
					return bad("remove record in a snapshot")
				}
				fn(key, nil)
				count++
				continue
			}
			vl, ok := readLen()
			if !ok {
				return bad("bad value length at byte %d", pos)
			}
			v := body[pos : pos+vl : pos+vl]
			pos += vl
			fn(key, v)
			count++
		default:
			return bad("unknown record tag %q at byte %d", tag, pos-1)
		}
	}
	return bad("no end record")
}
