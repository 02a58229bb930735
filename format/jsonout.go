package format

// The JSON documents of the data commands (get, ls, stat, create, set -s,
// sync, getAllChildrenNumber, version, ls -R). Every object that is about a
// znode has "path"; data is "data"+"encoding" (DataJSON); stats are "stat".
// README.md's "JSON output" section documents them; they are stable.

// NodeJSON is `get`: the path, the data and the stat.
type NodeJSON struct {
	Path string `json:"path"`
	DataJSON
	Stat *StatJSON `json:"stat"`
}

// ChildrenJSON is `ls` and `ls -s`: sorted child names and the parent's stat.
type ChildrenJSON struct {
	Path     string    `json:"path"`
	Children []string  `json:"children"`
	Stat     *StatJSON `json:"stat"`
}

// PathStatJSON is `stat` and `set -s`.
type PathStatJSON struct {
	Path string    `json:"path"`
	Stat *StatJSON `json:"stat"`
}

// PathJSON is one line of `ls -R` (NDJSON, one object per node).
type PathJSON struct {
	Path string `json:"path"`
}

// CreatedJSON is `create`: the path asked for and the path created (they
// differ for sequential nodes).
type CreatedJSON struct {
	Path    string `json:"path"`
	Created string `json:"created"`
}

// CountJSON is `getAllChildrenNumber`.
type CountJSON struct {
	Path  string `json:"path"`
	Count int64  `json:"count"`
}

// SyncJSON is `sync`.
type SyncJSON struct {
	Path   string `json:"path"`
	Synced bool   `json:"synced"`
}

// VersionJSON is `version`.
type VersionJSON struct {
	Version string `json:"version"`
}
