package fourlw

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Status is the outcome of asking one server.
type Status string

const (
	StatusOK             Status = "ok"
	StatusDown           Status = "down"            // refused, unreachable, reset
	StatusTimeout        Status = "timeout"         // no full answer within the timeout
	StatusNotWhitelisted Status = "not-whitelisted" // 4lw.commands.whitelist lacks the word
	StatusNotServing     Status = "not-serving"     // up, but no quorum / still starting
	StatusFailed         Status = "failed"          // answered, but not what was asked (ruok != imok, HTTP error...)
)

// Messages ZooKeeper sends instead of an answer.
const (
	whitelistSuffix = " is not executed because it is not in the whitelist."
	notServingMsg   = "This ZooKeeper instance is not currently serving requests"
)

// Options are how every server is asked.
type Options struct {
	Timeout time.Duration // per server, dial to last byte; 0 means 5s
	// TLS, when set, wraps the 4lw connection (the secure client port).
	// For https:// admin addresses it is the HTTP client's configuration.
	TLS *tls.Config
	// Arg is stmk's trace mask.
	Arg int64
}

// Answer is one server's reply.
type Answer struct {
	Server string // Endpoint.Name()
	Admin  bool
	Status Status
	// Raw is the answer exactly as sent: the 4lw bytes or the HTTP body.
	Raw string
	// Detail explains a non-OK status in a few words.
	Detail string
}

// OK reports whether the server answered the word.
func (a Answer) OK() bool { return a.Status == StatusOK }

// AskAll asks every endpoint in parallel and returns the answers in the
// order of eps.
func AskAll(ctx context.Context, eps []Endpoint, w Word, opts Options) []Answer {
	out := make([]Answer, len(eps))
	var wg sync.WaitGroup
	for i, ep := range eps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = Ask(ctx, ep, w, opts)
		}()
	}
	wg.Wait()
	return out
}

// Ask asks one server.
func Ask(ctx context.Context, ep Endpoint, w Word, opts Options) Answer {
	if opts.Timeout <= 0 {
		opts.Timeout = 5 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	a := Answer{Server: ep.Name(), Admin: ep.Admin}
	var err error
	if ep.Admin {
		err = askAdmin(ctx, ep, w, opts, &a)
	} else {
		a.Raw, err = askTCP(ctx, ep.Addr, w, opts)
		if err == nil {
			classify4lw(w, &a)
		}
	}
	if err != nil {
		a.Status, a.Detail = classifyErr(ctx, err)
	}
	return a
}

// Request is the bytes sent for w: the word, and for stmk the mask as a
// big-endian 64-bit number (what NIOServerCnxn reads after the word).
func Request(w Word, arg int64) []byte {
	b := []byte(w.Name)
	if w.Arg {
		b = binary.BigEndian.AppendUint64(b, uint64(arg))
	}
	return b
}

func askTCP(ctx context.Context, addr string, w Word, opts Options) (string, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	// Closing on cancel unblocks reads (Ctrl-C, --watch stop).
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	if opts.TLS != nil {
		cfg := opts.TLS.Clone()
		if cfg.ServerName == "" {
			host, _, _ := net.SplitHostPort(addr)
			cfg.ServerName = host
		}
		tc := tls.Client(conn, cfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			return "", err
		}
		conn = tc
	}
	if _, err := conn.Write(Request(w, opts.Arg)); err != nil {
		return "", err
	}
	// The server writes its answer and closes; read to EOF. A reset after a
	// complete answer (the server closing with unread bytes) is not an error.
	var buf bytes.Buffer
	_, err = io.Copy(&buf, conn)
	if err != nil && buf.Len() > 0 && isReset(err) {
		err = nil
	}
	if err != nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	return buf.String(), err
}

func isReset(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, net.ErrClosed)
}

func classify4lw(w Word, a *Answer) {
	t := strings.TrimSpace(a.Raw)
	switch {
	case strings.HasSuffix(t, whitelistSuffix):
		a.Status = StatusNotWhitelisted
		a.Detail = fmt.Sprintf("%s is not in the server's 4lw.commands.whitelist", w.Name)
	case t == notServingMsg:
		a.Status = StatusNotServing
		a.Detail = "not currently serving requests"
	case a.Raw == "" && w.Name != "hash": // hash is empty while there is no digest history
		a.Status = StatusFailed
		a.Detail = "closed the connection without answering"
	case w.Name == "ruok" && a.Raw != "imok":
		a.Status = StatusFailed
		a.Detail = fmt.Sprintf("answered %q instead of imok", shorten(a.Raw))
	default:
		a.Status = StatusOK
	}
}

func classifyErr(ctx context.Context, err error) (Status, string) {
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return StatusTimeout, "timed out"
	case errors.Is(err, context.Canceled):
		return StatusDown, "interrupted"
	case errors.Is(err, syscall.ECONNREFUSED):
		return StatusDown, "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return StatusDown, "connection reset"
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return StatusDown, "unknown host " + dnsErr.Name
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return StatusDown, oe.Err.Error()
	}
	return StatusDown, err.Error()
}

func askAdmin(ctx context.Context, ep Endpoint, w Word, opts Options, a *Answer) error {
	url := ep.Scheme + "://" + ep.Addr + "/commands/" + w.Admin
	if w.Arg {
		url += "?traceMask=" + strconv.FormatInt(opts.Arg, 10)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	tr := &http.Transport{TLSClientConfig: opts.TLS, DisableKeepAlives: true}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return err
	}
	a.Raw = string(body)
	var m map[string]any
	jerr := json.Unmarshal(body, &m)
	switch {
	case jerr != nil:
		a.Status = StatusFailed
		a.Detail = fmt.Sprintf("HTTP %d, not a JSON answer", resp.StatusCode)
	case m["error"] != nil:
		msg := fmt.Sprint(m["error"])
		a.Status, a.Detail = StatusFailed, msg
		if msg == notServingMsg {
			a.Status, a.Detail = StatusNotServing, "not currently serving requests"
		}
	case resp.StatusCode != http.StatusOK:
		a.Status = StatusFailed
		a.Detail = "HTTP " + resp.Status
	default:
		a.Status = StatusOK
	}
	return nil
}

func shorten(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
