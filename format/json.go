package format

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"time"
	"unicode/utf8"

	"github.com/go-zookeeper/zk"
)

// JSON output: one document per command (NDJSON for streams). Field names
// are part of zkc's stable interface, documented in README.md.

// WriteJSON writes v as one line of JSON.
func WriteJSON(w io.Writer, v interface{}) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// StatJSON is a stat with ZooKeeper's Java field names (cZxid style), zxids as
// numbers and times as RFC 3339.
type StatJSON struct {
	CZxid          int64  `json:"cZxid"`
	Ctime          string `json:"ctime"`
	MZxid          int64  `json:"mZxid"`
	Mtime          string `json:"mtime"`
	PZxid          int64  `json:"pZxid"`
	Cversion       int32  `json:"cversion"`
	DataVersion    int32  `json:"dataVersion"`
	AclVersion     int32  `json:"aclVersion"`
	EphemeralOwner int64  `json:"ephemeralOwner"`
	DataLength     int32  `json:"dataLength"`
	NumChildren    int32  `json:"numChildren"`
}

// NewStatJSON converts a stat; nil gives nil.
func NewStatJSON(st *zk.Stat) *StatJSON {
	if st == nil {
		return nil
	}
	rfc := func(ms int64) string { return time.UnixMilli(ms).UTC().Format(time.RFC3339Nano) }
	return &StatJSON{
		CZxid: st.Czxid, Ctime: rfc(st.Ctime), MZxid: st.Mzxid, Mtime: rfc(st.Mtime), PZxid: st.Pzxid,
		Cversion: st.Cversion, DataVersion: st.Version, AclVersion: st.Aversion,
		EphemeralOwner: st.EphemeralOwner, DataLength: st.DataLength, NumChildren: st.NumChildren,
	}
}

// DataJSON is node data: a UTF-8 string when valid, else base64 with
// Encoding "base64". Null data has Data nil and Encoding "null".
type DataJSON struct {
	Data     *string `json:"data"`
	Encoding string  `json:"encoding"` // "utf-8", "base64" or "null"
}

// NewDataJSON encodes data for JSON output.
func NewDataJSON(data []byte) DataJSON {
	if data == nil {
		return DataJSON{Encoding: "null"}
	}
	if utf8.Valid(data) {
		s := string(data)
		return DataJSON{Data: &s, Encoding: "utf-8"}
	}
	s := base64.StdEncoding.EncodeToString(data)
	return DataJSON{Data: &s, Encoding: "base64"}
}
