package format

// QuotaJSON is listquota's output: the limits and the current usage, each as
// the record's keys (count, bytes, countHardLimit, byteHardLimit; -1 = unset).
type QuotaJSON struct {
	Path   string           `json:"path"`
	Limits map[string]int64 `json:"limits"`
	Usage  map[string]int64 `json:"usage"`
}
