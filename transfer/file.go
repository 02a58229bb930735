package transfer

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/zkc-cli/zkc/safeio"
	"github.com/zkc-cli/zkc/session"
)

// MaxLine bounds one line of an export: a 1 MB node is at most 6 MB of
// escaped JSON text; anything longer is not a file zkc wrote.
const MaxLine = 32 << 20

// Writer writes an export.
type Writer struct {
	w      *bufio.Writer
	enc    *json.Encoder
	nodes  int64
	errors int64
	zxid   int64
}

// NewWriter writes the header.
func NewWriter(w io.Writer, h Header) (*Writer, error) {
	bw := bufio.NewWriterSize(w, 256<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	h.Format, h.Version = FormatName, FormatVersion
	if err := enc.Encode(h); err != nil {
		return nil, err
	}
	return &Writer{w: bw, enc: enc}, nil
}

// Write writes one node line.
func (w *Writer) Write(n *Node) error {
	w.nodes++
	if n.Error != "" {
		w.errors++
	}
	if st := n.Stat; st != nil {
		w.zxid = max(w.zxid, st.CZxid, st.MZxid, st.PZxid)
	}
	if n.Error != "" {
		return w.enc.Encode(errorLine{Path: n.Path, Error: n.Error, Message: n.Message})
	}
	return w.enc.Encode(n)
}

// Counts returns the nodes written and how many of them are error lines.
func (w *Writer) Counts() (nodes, errors int64) { return w.nodes, w.errors }

// Close writes the end line and flushes (it does not close the stream).
func (w *Writer) Close() error {
	if err := w.enc.Encode(End{End: true, Nodes: w.nodes, Errors: w.errors, Zxid: hexZxid(w.zxid)}); err != nil {
		return err
	}
	return w.w.Flush()
}

// errorLine is the line of a node that could not be read.
type errorLine struct {
	Path    string `json:"path"`
	Error   string `json:"error"`
	Message string `json:"message"`
}

// FileError is a problem with an export file, at a line.
type FileError struct {
	Name string
	Line int
	Msg  string
}

func (e *FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Name, e.Line, e.Msg)
	}
	return e.Name + ": " + e.Msg
}

// Reader reads and checks an export: the header, every node line (syntax,
// data encoding, path, `ls -R` order with every parent listed before its
// children) and the end line. A file that ends before its end line is
// reported as truncated.
type Reader struct {
	Header Header
	name   string
	br     *bufio.Reader
	line   int // the line being reported on
	read   int // lines read so far
	done   bool
	nodes  int64
	errs   int64

	// Lines are read ahead in batches and decoded on every core (JSON
	// decoding is most of an import's own time); the checks that need
	// the order run one line at a time as Next hands them out.
	batch   []pendingLine
	pos     int
	readErr error
	skim    bool   // Skim is running: lines are checked, not decoded
	lines   []byte // the batch's lines, one after another

	// order check: the parent whose children are being listed, the last
	// name in that list, its members so far, and the nodes listed but not
	// yet visited (pre-order stack, next on top).
	parent  string
	last    string
	group   []string
	pending []string
}

// NewReader reads the header of the export in r; name is for messages.
func NewReader(r io.Reader, name string) (*Reader, error) {
	rd := &Reader{name: name, br: bufio.NewReaderSize(r, 256<<10), parent: "\x00"}
	line, err := rd.readLine()
	if err == io.EOF {
		return nil, rd.fail("empty file, not a zkc export")
	}
	if err != nil {
		return nil, err
	}
	if err := strictUnmarshal(line, &rd.Header); err != nil || rd.Header.Format != FormatName {
		return nil, rd.fail("not a zkc export (no zkc-export header line)")
	}
	if rd.Header.Version != FormatVersion {
		return nil, rd.fail(fmt.Sprintf("export format version %d; this zkc reads version %d", rd.Header.Version, FormatVersion))
	}
	if session.ValidatePath(rd.Header.Root, false) != nil {
		return nil, rd.fail(fmt.Sprintf("bad root %q in the header", rd.Header.Root))
	}
	return rd, nil
}

func (r *Reader) fail(msg string) error { return &FileError{Name: r.name, Line: r.line, Msg: msg} }

// readLine returns the next line without its newline; io.EOF at the end.
func (r *Reader) readLine() ([]byte, error) {
	var buf []byte
	for {
		chunk, err := r.br.ReadSlice('\n')
		if len(buf)+len(chunk) > MaxLine {
			r.read++
			r.line = r.read
			return nil, r.fail(fmt.Sprintf("line longer than %d MB", MaxLine>>20))
		}
		switch {
		case err == nil:
			r.read++
			r.line = r.read
			if buf == nil {
				return bytes.TrimSuffix(chunk, []byte("\n")), nil
			}
			return bytes.TrimSuffix(append(buf, chunk...), []byte("\n")), nil
		case errors.Is(err, bufio.ErrBufferFull):
			buf = append(buf, chunk...)
		case err == io.EOF:
			if len(buf)+len(chunk) == 0 {
				return nil, io.EOF
			}
			r.read++
			r.line = r.read
			return nil, r.fail("truncated: the last line is incomplete")
		default:
			r.read++
			r.line = r.read
			return nil, r.fail(readErrorText(err))
		}
	}
}

func readErrorText(err error) string {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, gzip.ErrChecksum) {
		return "truncated or corrupt compressed data"
	}
	return err.Error()
}

// strictUnmarshal rejects unknown fields, so a misspelt key is an error
// rather than lost data.
func strictUnmarshal(line []byte, v interface{}) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("more than one JSON value on the line")
	}
	return nil
}

// Next returns the next node; io.EOF after a valid end line.
func (r *Reader) Next() (*Node, error) {
	p, err := r.nextLine()
	if err != nil {
		return nil, err
	}
	if p.skimmed {
		return nil, errors.New("transfer: Next after Skim") // never: Skim reads to the end
	}
	n := p.n
	p.n = nil
	if err := n.check(); err != nil {
		return nil, r.fail(err.Error())
	}
	return n, r.counted(n.Path, n.Error != "")
}

// Skim reads the rest of the file, checking every line as Next does without
// building the nodes (an import's check pass); nil after a valid end line.
func (r *Reader) Skim(ctx context.Context) error {
	r.skim = true
	defer func() { r.skim = false }()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		p, err := r.nextLine()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if !p.skimmed {
			n := p.n
			p.n = nil
			if err := n.check(); err != nil {
				return r.fail(err.Error())
			}
			p.path, p.isErr = n.Path, n.Error != ""
		}
		if err := r.counted(p.path, p.isErr); err != nil {
			return err
		}
	}
}

// nextLine hands out the next line read ahead: a decoded (or skimmed) node
// line, or the end line's verdict.
func (r *Reader) nextLine() (*pendingLine, error) {
	if r.done {
		return nil, io.EOF
	}
	if r.pos >= len(r.batch) {
		if r.readErr != nil {
			return nil, r.readErr
		}
		if err := r.fill(); err == io.EOF {
			r.line = r.read
			return nil, r.fail(fmt.Sprintf("truncated: the file ends after %d nodes without its end line", r.nodes))
		} else if err != nil {
			return nil, err
		}
	}
	p := &r.batch[r.pos]
	r.pos++
	r.line = p.line
	if p.end {
		return nil, r.finish(p.raw)
	}
	if p.err != nil {
		return nil, r.fail("bad node line: " + jsonErrorText(p.err))
	}
	return p, nil
}

// counted checks a checked node's place in the order and counts it.
func (r *Reader) counted(path string, isErr bool) error {
	if isErr {
		r.errs++
	}
	if err := r.checkOrder(path); err != nil {
		return r.fail(err.Error())
	}
	r.nodes++
	return nil
}

// pendingLine is a line read ahead: its number, and its node or error
// (skimmed: its path and whether it is an error line, already checked).
type pendingLine struct {
	line    int
	raw     []byte // the end line (kept), or a node line until decoded
	end     bool
	n       *Node
	err     error
	skimmed bool
	path    string
	isErr   bool
}

// Read-ahead bounds: lines and bytes per batch.
const (
	readBatch      = 256
	readBatchBytes = 4 << 20
)

// fill reads the next batch of lines (up to the end line) and decodes the
// node lines in parallel. A read error after some lines is kept for when
// they are used up; io.EOF means no line was left.
func (r *Reader) fill() error {
	r.batch, r.pos = r.batch[:0], 0
	if cap(r.lines) > 2*readBatchBytes {
		r.lines = nil // a batch with a huge line: not kept for the next
	}
	// The batch's lines are copied into one buffer (a copy each was a
	// fifth of the check pass); raw is cut from it once it is complete.
	r.lines = r.lines[:0]
	var ends []int
	for len(r.batch) < readBatch && len(r.lines) < readBatchBytes {
		line, err := r.readLine()
		if err != nil {
			if len(r.batch) == 0 {
				return err
			}
			if err != io.EOF {
				r.readErr = err
			}
			break
		}
		r.lines = append(r.lines, line...)
		ends = append(ends, len(r.lines))
		p := pendingLine{line: r.read}
		p.end = bytes.HasPrefix(bytes.TrimSpace(line), []byte(`{"end"`))
		r.batch = append(r.batch, p)
		if p.end {
			break
		}
	}
	start := 0
	for i, end := range ends {
		r.batch[i].raw = r.lines[start:end:end]
		start = end
	}
	workers := min(runtime.GOMAXPROCS(0), len(r.batch)/64+1)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var scratch []byte
			for i := w; i < len(r.batch); i += workers {
				p := &r.batch[i]
				if p.end {
					continue
				}
				if r.skim {
					if p.path, p.isErr, p.skimmed = skimNodeLine(p.raw, &scratch); p.skimmed {
						p.raw = nil
						continue
					}
				}
				n := &Node{}
				if !decodeNodeFast(p.raw, n) {
					n = &Node{}
					if err := strictUnmarshal(p.raw, n); err != nil {
						p.err = err
						n = nil
					}
				}
				p.n = n
				p.raw = nil
			}
		}()
	}
	wg.Wait()
	return nil
}

func checkEntries(entries []ACLEntry) (int, error) {
	for _, e := range entries {
		if e.Scheme == "" {
			return 0, errors.New("ACL entry without a scheme")
		}
		if _, err := parsePerms(e.Perms); err != nil {
			return 0, err
		}
	}
	return len(entries), nil
}

func jsonErrorText(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return "not valid JSON"
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

func (r *Reader) finish(line []byte) error {
	var e End
	if err := strictUnmarshal(line, &e); err != nil || !e.End {
		return r.fail("bad end line")
	}
	if e.Nodes != r.nodes || e.Errors != r.errs {
		return r.fail(fmt.Sprintf("the end line counts %d nodes but the file has %d", e.Nodes, r.nodes))
	}
	if _, err := r.readLine(); err != io.EOF {
		if err != nil {
			return err
		}
		return r.fail("data after the end line")
	}
	r.done = true
	return io.EOF
}

// checkOrder verifies that rel comes next in `ls -R` order: the root
// first, each node's siblings sorted and listed together, and each list
// belonging to the next node in pre-order that has children.
func (r *Reader) checkOrder(rel string) error {
	parent, name := splitPath(rel)
	if r.nodes == 0 {
		if rel != "/" {
			return fmt.Errorf("the first node must be the root \"/\", not %q", rel)
		}
		r.parent, r.group = "", []string{"/"}
		return nil
	}
	if parent == r.parent {
		if name <= r.last {
			return fmt.Errorf("%s is out of order (after %s)", rel, Join(r.parent, "/"+r.last))
		}
		r.last = name
		r.group = append(r.group, rel)
		return nil
	}
	for i := len(r.group) - 1; i >= 0; i-- {
		r.pending = append(r.pending, r.group[i])
	}
	r.group = r.group[:0]
	for len(r.pending) > 0 {
		top := r.pending[len(r.pending)-1]
		r.pending = r.pending[:len(r.pending)-1]
		if top == parent {
			r.parent, r.last = parent, name
			r.group = append(r.group, rel)
			return nil
		}
	}
	return fmt.Errorf("%s is out of order or its parent is missing", rel)
}

// Counts returns the nodes read and how many were error lines.
func (r *Reader) Counts() (nodes, errors int64) { return r.nodes, r.errs }

// OpenFile opens an export for reading; "-" is stdin. A .gz name (or gzip
// data) is decompressed. Opening a FIFO waits for its writer only as long
// as ctx.
func OpenFile(ctx context.Context, name string, stdin io.Reader) (io.ReadCloser, error) {
	var f io.ReadCloser
	if name == "-" {
		f = io.NopCloser(stdin)
	} else {
		fh, err := safeio.Open(ctx, name)
		if err != nil {
			return nil, err
		}
		st, err := fh.Stat()
		if err != nil {
			fh.Close()
			return nil, err
		}
		if st.IsDir() {
			fh.Close()
			return nil, fmt.Errorf("%s is a directory", name)
		}
		if !st.Mode().IsRegular() {
			if fh, err = safeio.Pollable(fh); err != nil {
				return nil, err
			}
		}
		f = fh
	}
	// A read blocked on a FIFO or a pipe ends when ctx does: closing the
	// file wakes it.
	src := f
	stop := context.AfterFunc(ctx, func() { src.Close() })
	f = closeFunc{src, func() error { stop(); return src.Close() }}
	br := bufio.NewReader(f)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: %s", name, readErrorText(err))
		}
		return struct {
			io.Reader
			io.Closer
		}{zr, f}, nil
	}
	return struct {
		io.Reader
		io.Closer
	}{br, f}, nil
}

// closeFunc is a reader with another Close.
type closeFunc struct {
	io.Reader
	close func() error
}

func (c closeFunc) Close() error { return c.close() }

// FileOut is an export being written to a file: into a temporary file
// beside it, renamed into place by Commit, so that a failed or interrupted
// export never leaves a partial file under the name (nor replaces an older
// good one).
type FileOut struct {
	io.Writer
	name string
	tmp  *os.File
	gz   *gzip.Writer
}

// CreateFile starts writing an export to name (gzip-compressed for .gz).
func CreateFile(name string) (*FileOut, error) {
	dir := filepath.Dir(name)
	if st, err := os.Stat(name); err == nil && !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s exists and is not a regular file", name)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("cannot create %s: %v", name, err)
	}
	out := &FileOut{Writer: tmp, name: name, tmp: tmp}
	if strings.HasSuffix(name, ".gz") {
		out.gz = gzip.NewWriter(tmp)
		out.Writer = out.gz
	}
	return out, nil
}

// Commit finishes the file and moves it into place.
func (f *FileOut) Commit() error {
	if f.gz != nil {
		if err := f.gz.Close(); err != nil {
			f.Abort()
			return err
		}
	}
	if err := f.tmp.Sync(); err != nil {
		f.Abort()
		return err
	}
	if err := f.tmp.Close(); err != nil {
		os.Remove(f.tmp.Name())
		return err
	}
	if err := os.Rename(f.tmp.Name(), f.name); err != nil {
		os.Remove(f.tmp.Name())
		return err
	}
	return nil
}

// Abort removes the temporary file.
func (f *FileOut) Abort() {
	f.tmp.Close()
	os.Remove(f.tmp.Name())
}
