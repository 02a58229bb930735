package shell_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	runewidth "github.com/mattn/go-runewidth"
)

// tmuxTerm is zkc in a tmux window: tmux is the terminal emulator that
// renders what zkc writes, and capture-pane shows the screen a user sees.
type tmuxTerm struct {
	t      *testing.T
	socket string
}

func startTmux(t *testing.T, cols int, args ...string) *tmuxTerm {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tmux is missing (make deps installs it)")
		}
		t.Skip("tmux is not installed")
	}
	tt := &tmuxTerm{t: t, socket: fmt.Sprintf("zkc-test-%d-%d", os.Getpid(), time.Now().UnixNano())}
	home := t.TempDir()
	cmdline := fmt.Sprintf("env TZ=UTC NO_COLOR=1 ZKC_SERVER= ZKC_AUTH= HOME=%s XDG_STATE_HOME=%s %s %s; sleep 30",
		home, filepath.Join(home, "state"), zkc.Bin, strings.Join(args, " "))
	tt.tmux("-f", "/dev/null", "new-session", "-d", "-x", fmt.Sprint(cols), "-y", "30", cmdline)
	t.Cleanup(func() { exec.Command("tmux", "-L", tt.socket, "kill-server").Run() })
	return tt
}

func (tt *tmuxTerm) tmux(args ...string) string {
	tt.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", tt.socket}, args...)...).CombinedOutput()
	if err != nil {
		tt.t.Fatalf("tmux %v: %v: %s", args, err, out)
	}
	return string(out)
}

// rows is the screen, trailing blanks and empty rows dropped.
func (tt *tmuxTerm) rows() []string {
	lines := strings.Split(strings.TrimRight(tt.tmux("capture-pane", "-p"), "\n"), "\n")
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], " ")
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

func (tt *tmuxTerm) cursor() (x, y int) {
	fmt.Sscanf(tt.tmux("display", "-p", "#{cursor_x} #{cursor_y}"), "%d %d", &x, &y)
	return x, y
}

// waitScreen waits until the screen satisfies ok.
func (tt *tmuxTerm) waitScreen(what string, ok func([]string) bool) []string {
	tt.t.Helper()
	end := time.Now().Add(deadline)
	for {
		rows := tt.rows()
		if ok(rows) {
			return rows
		}
		if time.Now().After(end) {
			tt.t.Fatalf("timed out waiting for %s; screen:\n%s", what, strings.Join(rows, "\n"))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// wrapRows is how a terminal lays s out on rows of width cols: a wide
// character that does not fit in the last column starts the next row.
// It returns the rows and where the cursor is after rune n.
func wrapRows(s string, cols, n int) (rows []string, cx, cy int) {
	var b strings.Builder
	col, i := 0, 0
	for _, r := range s {
		w := runewidth.RuneWidth(r)
		if col+w > cols {
			rows = append(rows, strings.TrimRight(b.String(), " "))
			b.Reset()
			col = 0
		}
		if i == n {
			cx, cy = col, len(rows)
		}
		b.WriteRune(r)
		col += w
		i++
	}
	rows = append(rows, strings.TrimRight(b.String(), " "))
	if i == n {
		cx, cy = col, len(rows)-1
		if col == cols {
			cx, cy = 0, len(rows)
		}
	}
	return rows, cx, cy
}

func sameRows(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

// Wide characters at the wrap point, at 40 and 120 columns: the screen
// shows the line as the terminal lays it out and the cursor is where the
// next character goes; the server gets the line as typed. At 40 columns
// the candidates show, and a resize with them open leaves no garbage.
func TestShellScreenWideCharacters(t *testing.T) {
	addr := server(t)
	for _, cols := range []int{40, 120} {
		t.Run(fmt.Sprint(cols), func(t *testing.T) {
			node := fmt.Sprintf("/wide%d", cols)
			t.Cleanup(func() { zkc.Run("", "-server", addr, "delete", node) })
			tt := startTmux(t, cols, "-server", addr)
			prompt := "[zk: " + addr + "(CONNECTED) 0] "
			tt.waitScreen("the prompt", func(r []string) bool { return strings.Contains(strings.Join(r, ""), "(CONNECTED) 0]") })
			tt.tmux("send-keys", "C-l")
			data := strings.Repeat("节", 60)
			line := "create " + node + " " + data
			tt.tmux("send-keys", "-l", line)
			want, _, _ := wrapRows(prompt+line, cols, 0)
			tt.waitScreen("the wrapped line", func(r []string) bool { return sameRows(r, want) })

			// Ctrl-A, then a character: it goes at the start, the rest moves.
			tt.tmux("send-keys", "C-a")
			tt.tmux("send-keys", "-l", "Z")
			n := len([]rune(prompt)) + 1
			want, cx, cy := wrapRows(prompt+"Z"+line, cols, n)
			tt.waitScreen("the line after Ctrl-A Z", func(r []string) bool { return sameRows(r, want) })
			if x, y := tt.cursor(); x != cx || y != cy {
				t.Errorf("cursor at %d,%d, want %d,%d (after the Z)", x, y, cx, cy)
			}
			// Ctrl-E: the cursor after the last wide character.
			tt.tmux("send-keys", "C-e")
			_, cx, cy = wrapRows(prompt+"Z"+line, cols, len([]rune(prompt+"Z"+line)))
			deadlineAt := time.Now().Add(5 * time.Second)
			for x, y := tt.cursor(); x != cx || y != cy; x, y = tt.cursor() {
				if time.Now().After(deadlineAt) {
					t.Fatalf("cursor at %d,%d after Ctrl-E, want %d,%d", x, y, cx, cy)
				}
				time.Sleep(50 * time.Millisecond)
			}
			// Remove the Z and run the line.
			tt.tmux("send-keys", "C-a", "C-d", "Enter")
			tt.waitScreen("the next prompt", func(r []string) bool { return strings.Contains(strings.Join(r, ""), "(CONNECTED) 1]") })
			if r := zkc.Run("", "-server", addr, "get", node); r.Stdout != data+"\n" {
				t.Errorf("the server has %q, want %q", r.Stdout, data)
			}

			// Candidates show at this width; resizing with them open
			// redraws line and candidates once, for the new width.
			tt.tmux("send-keys", "C-l")
			tt.tmux("send-keys", "-l", "get /wide")
			tt.tmux("send-keys", "Tab")
			prompt1 := "[zk: " + addr + "(CONNECTED) 1] "
			tt.waitScreen("the selected candidate", func(r []string) bool {
				return len(r) > 0 && r[len(r)-1] == "> "+node
			})
			for _, w := range []int{cols - 10, cols + 7} {
				tt.tmux("resize-window", "-x", fmt.Sprint(w))
				want, _, _ := wrapRows(prompt1+"get "+node, w, 0)
				if runewidth.StringWidth(prompt1+"get "+node)%w == 0 {
					want = append(want, "") // the cursor's row
				}
				want = append(want, "> "+node)
				tt.waitScreen(fmt.Sprintf("the redraw at %d columns", w), func(r []string) bool { return sameRows(r, want) })
			}
			tt.tmux("send-keys", "C-u", "quit", "Enter")
		})
	}
}

// A pasted line taller than the screen: the rows up to the cursor show,
// the cursor is after the last character, and the server gets it all.
func TestShellScreenLongLine(t *testing.T) {
	addr := server(t)
	t.Cleanup(func() { zkc.Run("", "-server", addr, "delete", "/longline") })
	tt := startTmux(t, 40, "-server", addr)
	tt.waitScreen("the prompt", func(r []string) bool { return strings.Contains(strings.Join(r, ""), "(CONNECTED) 0]") })
	data := strings.Repeat("0123456789", 300)
	line := "create /longline " + data
	tt.tmux("send-keys", "-l", line)
	prompt := "[zk: " + addr + "(CONNECTED) 0] "
	all, cx, cy := wrapRows(prompt+line, 40, len([]rune(prompt+line)))
	want := all[len(all)-29:] // 29 of the screen's 30 rows, the cursor's last
	tt.waitScreen("the line's last rows", func(r []string) bool { return len(r) >= 29 && sameRows(r[len(r)-29:], want) })
	// The cursor's row is the last one shown, at the bottom of the screen.
	if x, y := tt.cursor(); x != cx || y != 29 || cy != len(all)-1 {
		t.Errorf("cursor at %d,%d, want %d,29", x, y, cx)
	}
	tt.tmux("send-keys", "Enter")
	tt.waitScreen("the next prompt", func(r []string) bool { return strings.Contains(strings.Join(r, ""), "(CONNECTED) 1]") })
	if r := zkc.Run("", "-server", addr, "get", "/longline"); r.Stdout != data+"\n" {
		t.Errorf("the server has %d bytes, want %d", len(r.Stdout), len(data)+1)
	}
}
