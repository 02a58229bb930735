package zkharness

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Ensemble is a quorum of QuorumPeerMain processes on loopback.
type Ensemble struct {
	Servers []*Server
}

// ConnectString lists every member, host:port comma-separated.
func (e *Ensemble) ConnectString() string {
	addrs := make([]string, len(e.Servers))
	for i, s := range e.Servers {
		addrs[i] = s.Addr()
	}
	return strings.Join(addrs, ",")
}

// StartEnsemble starts n members (ids 1..n) and waits until each serves.
func StartEnsemble(n int, cfg Config) (*Ensemble, error) {
	if err := Available(); err != nil {
		return nil, err
	}
	type ports struct{ client, peer, election int }
	ps := make([]ports, n)
	seen := map[int]bool{}
	for i := range ps {
		for _, p := range []*int{&ps[i].client, &ps[i].peer, &ps[i].election} {
			for {
				v, err := FreePort()
				if err != nil {
					return nil, err
				}
				if !seen[v] {
					seen[v] = true
					*p = v
					break
				}
			}
		}
	}
	var serverLines []string
	for i, p := range ps {
		serverLines = append(serverLines, fmt.Sprintf("server.%d=127.0.0.1:%d:%d:participant;127.0.0.1:%d", i+1, p.peer, p.election, p.client))
	}
	e := &Ensemble{}
	for i, p := range ps {
		dir, err := os.MkdirTemp("", fmt.Sprintf("zkc-zk%d-", i+1))
		if err != nil {
			e.Close()
			return nil, err
		}
		s := &Server{ID: i + 1, Port: p.client, Dir: dir, mainClass: "org.apache.zookeeper.server.quorum.QuorumPeerMain", cfg: cfg}
		lines := cfg.zooCfg(filepath.Join(dir, "data"))
		lines = append(lines, "initLimit=10", "syncLimit=5", "standaloneEnabled=false")
		lines = append(lines, serverLines...)
		if err := s.writeConfig(lines); err != nil {
			e.Close()
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(dir, "data", "myid"), []byte(strconv.Itoa(i+1)+"\n"), 0o644); err != nil {
			e.Close()
			return nil, err
		}
		e.Servers = append(e.Servers, s)
	}
	for _, s := range e.Servers {
		if err := s.Launch(); err != nil {
			e.Close()
			return nil, err
		}
	}
	if err := e.WaitServing(90 * time.Second); err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

// WaitServing waits until every running member serves.
func (e *Ensemble) WaitServing(timeout time.Duration) error {
	var wg sync.WaitGroup
	errs := make([]error, len(e.Servers))
	for i, s := range e.Servers {
		if !s.Running() {
			continue
		}
		wg.Add(1)
		go func(i int, s *Server) {
			defer wg.Done()
			errs[i] = s.WaitServing(timeout)
		}(i, s)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Mode returns a member's mode from srvr (leader, follower, ...), or "" when down.
func (s *Server) Mode() string {
	out, err := FourLetter(s.Addr(), "srvr", 2*time.Second)
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(out, "\n") {
		if m, ok := strings.CutPrefix(line, "Mode: "); ok {
			return strings.TrimSpace(m)
		}
	}
	return ""
}

// Leader returns the member that is leader, or nil.
func (e *Ensemble) Leader() *Server {
	for _, s := range e.Servers {
		if s.Mode() == "leader" {
			return s
		}
	}
	return nil
}

// Close stops every member and removes their data.
func (e *Ensemble) Close() {
	for _, s := range e.Servers {
		s.Close()
	}
}
