package quota

import (
	"sort"
	"strconv"
	"strings"
)

// StatsTrack is ZooKeeper's quota record (the data of zookeeper_limits and
// zookeeper_stats under /zookeeper/quota): key=value pairs separated by ','
// or ';'. Missing keys read as -1.
type StatsTrack map[string]int64

// Keys of a StatsTrack.
const (
	Count          = "count"
	Bytes          = "bytes"
	CountHardLimit = "countHardLimit"
	ByteHardLimit  = "byteHardLimit"
)

// ParseStatsTrack reads the text as ZooKeeper's StatsTrack(String) does: an
// empty value is -1; an unparsable one is an error.
func ParseStatsTrack(s string) (StatsTrack, error) {
	st := StatsTrack{}
	if s == "" {
		return st, nil
	}
	for _, pair := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' }) {
		kv := strings.Split(pair, "=")
		v := int64(-1)
		if len(kv) > 1 && kv[1] != "" {
			n, err := strconv.ParseInt(kv[1], 10, 64)
			if err != nil {
				return nil, err
			}
			v = n
		}
		st[kv[0]] = v
	}
	return st, nil
}

// Get returns a value, -1 when absent.
func (st StatsTrack) Get(key string) int64 {
	if v, ok := st[key]; ok {
		return v
	}
	return -1
}

// String is StatsTrack.toString: count and bytes first (for parsers older
// than 3.5), then, after a deliberate stray '=', the other keys sorted and
// ';'-separated: "count=10,bytes=-1=;byteHardLimit=-1;countHardLimit=-1".
func (st StatsTrack) String() string {
	var b strings.Builder
	b.WriteString("count=" + strconv.FormatInt(st.Get(Count), 10))
	b.WriteString(",bytes=" + strconv.FormatInt(st.Get(Bytes), 10))
	var keys []string
	for k := range st {
		if k != Count && k != Bytes {
			keys = append(keys, k)
		}
	}
	if len(keys) > 0 {
		b.WriteByte('=')
		sort.Strings(keys)
		for _, k := range keys {
			b.WriteString(";" + k + "=" + strconv.FormatInt(st[k], 10))
		}
	}
	return b.String()
}
