package zkharness

import (
	"fmt"
	"os"
	"sync"
	"testing"
)

// Tests in one package share servers through a Pool created in TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(zkharness.Main(m, &pool)) }
//
// Servers start on first use and are stopped after the package's tests.
type Pool struct {
	mu         sync.Mutex
	standalone map[string]*Server
	ensembles  map[string]*Ensemble
	kdcs       map[string]*KDC
	failures   map[string]error
	krbFixture *KerberosFixture
	krbErr     error
}

// Main runs the tests and then stops every server the pool started.
func Main(m *testing.M, p *Pool) int {
	code := m.Run()
	p.Close()
	return code
}

// InCI is true when CI=true: a test that needs ZooKeeper then fails instead of skipping.
func InCI() bool { return os.Getenv("CI") == "true" }

func (p *Pool) unavailable(t testing.TB, what string, err error) {
	t.Helper()
	msg := fmt.Sprintf("cannot start ZooKeeper %s: %v", what, err)
	if InCI() {
		t.Fatal(msg)
	}
	t.Skip(msg + " (not in CI: skipping)")
}

// Standalone returns the pool's standalone server named key, starting it with
// cfg on first use. Different keys give different servers (for example one
// with enforceQuota, one with a restrictive whitelist).
func (p *Pool) Standalone(t testing.TB, key string, cfg Config) *Server {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.standalone == nil {
		p.standalone, p.ensembles, p.failures = map[string]*Server{}, map[string]*Ensemble{}, map[string]error{}
	}
	if err := p.failures["s:"+key]; err != nil {
		p.unavailable(t, "standalone "+key, err)
	}
	if s, ok := p.standalone[key]; ok {
		return s
	}
	s, err := StartStandalone(cfg)
	if err != nil {
		p.failures["s:"+key] = err
		p.unavailable(t, "standalone "+key, err)
	}
	p.standalone[key] = s
	return s
}

// Ensemble returns the pool's 3-node ensemble named key, started on first use.
func (p *Pool) Ensemble(t testing.TB, key string, cfg Config) *Ensemble {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.standalone == nil {
		p.standalone, p.ensembles, p.failures = map[string]*Server{}, map[string]*Ensemble{}, map[string]error{}
	}
	if err := p.failures["e:"+key]; err != nil {
		p.unavailable(t, "ensemble "+key, err)
	}
	if e, ok := p.ensembles[key]; ok {
		return e
	}
	e, err := StartEnsemble(3, cfg)
	if err != nil {
		p.failures["e:"+key] = err
		p.unavailable(t, "ensemble "+key, err)
	}
	p.ensembles[key] = e
	return e
}

// Close stops everything the pool started.
func (p *Pool) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, s := range p.standalone {
		s.Close()
	}
	for _, e := range p.ensembles {
		e.Close()
	}
	for _, k := range p.kdcs {
		k.Close()
	}
}

// KDC returns the pool's KDC for realm, started on first use. Under CI=true a
// KDC that cannot start fails the test, as a ZooKeeper would.
func (p *Pool) KDC(t testing.TB, realm string) *KDC {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.kdcs == nil {
		p.kdcs = map[string]*KDC{}
	}
	if p.failures == nil {
		p.failures = map[string]error{}
	}
	if err := p.failures["k:"+realm]; err != nil {
		p.unavailableKDC(t, err)
	}
	if k, ok := p.kdcs[realm]; ok {
		return k
	}
	k, err := StartKDC(realm)
	if err != nil {
		p.failures["k:"+realm] = err
		p.unavailableKDC(t, err)
	}
	p.kdcs[realm] = k
	return k
}

func (p *Pool) unavailableKDC(t testing.TB, err error) {
	t.Helper()
	msg := fmt.Sprintf("cannot start the Kerberos KDC: %v", err)
	if InCI() {
		t.Fatal(msg)
	}
	t.Skip(msg + " (not in CI: skipping)")
}
