package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// server is a server under test running as a child process, so that its
// memory and CPU are its own and read the same way for Kindred and the
// ceiling: VmRSS from /proc/<pid>/status, CPU time from /proc/<pid>/stat,
// and the live heap from the Go runtime's own GC trace (GODEBUG=gctrace=1
// on stderr), which needs nothing from the server's code.
type server struct {
	name string
	addr string // host:port
	cmd  *exec.Cmd
	log  string // the file its stdout and stderr go to
	done chan struct{}
	err  error // why it exited, once done is closed
}

// freeAddr returns a loopback address with a port nobody listens on now.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// startServer starts argv with its output in logPath and waits until
// http://addr/healthz answers 200.
func startServer(ctx context.Context, name, addr, logPath string, argv []string) (*server, error) {
	f, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.Env = append(os.Environ(), "GODEBUG=gctrace=1")
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	s := &server{name: name, addr: addr, cmd: cmd, log: logPath, done: make(chan struct{})}
	go func() {
		s.err = cmd.Wait()
		f.Close()
		close(s.done)
	}()
	deadline := time.Now().Add(60 * time.Second)
	client := &http.Client{Timeout: time.Second}
	for {
		resp, err := client.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		select {
		case <-s.done:
			return nil, fmt.Errorf("%s exited while starting (%v); its log: %s", name, s.err, logPath)
		case <-ctx.Done():
			s.stop()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("%s did not become healthy at %s within a minute; its log: %s", name, addr, logPath)
		}
	}
}

// stop asks the server to shut down and kills it if it takes too long.
func (s *server) stop() {
	select {
	case <-s.done:
		return
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

// exited reports whether the server has ended, and why.
func (s *server) exited() (bool, error) {
	select {
	case <-s.done:
		return true, s.err
	default:
		return false, nil
	}
}

// rss returns the server's resident set size in bytes.
func (s *server) rss() (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("no VmRSS in /proc status")
}

// clockTicks is USER_HZ, the unit of times in /proc/<pid>/stat; it is 100
// on every Linux architecture Go supports.
const clockTicks = 100

// cpu returns the CPU time (user + system) the server has used.
func (s *server) cpu() (time.Duration, error) {
	return procCPU(s.cmd.Process.Pid)
}

func procCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name in parentheses may contain spaces; fields count
	// from after its closing parenthesis.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, errors.New("malformed /proc stat")
	}
	fields := strings.Fields(string(b[i+1:]))
	if len(fields) < 13 {
		return 0, errors.New("short /proc stat")
	}
	// Fields 14 and 15 of stat (utime, stime) are 12 and 13 after the name.
	ut, err1 := strconv.ParseInt(fields[11], 10, 64)
	st, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	return time.Duration(ut+st) * time.Second / clockTicks, nil
}

// gcLine matches the memory part of a gctrace line:
// "4->5->2 MB, 6 MB goal, 1 MB stacks".
var gcLine = regexp.MustCompile(`^gc \d+ .* (\d+)->(\d+)->(\d+) MB, (\d+) MB goal, (\d+) MB stacks`)

// gcStats returns how many collections the server's log shows, and the
// live heap and goroutine stacks at the last one (in bytes; the trace
// counts whole MiB).
func (s *server) gcStats() (gcs int, live, stacks int64) {
	f, err := os.Open(s.log)
	if err != nil {
		return 0, 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if m := gcLine.FindSubmatch(sc.Bytes()); m != nil {
			gcs++
			mb, _ := strconv.ParseInt(string(m[3]), 10, 64)
			st, _ := strconv.ParseInt(string(m[5]), 10, 64)
			live, stacks = mb<<20, st<<20
		}
	}
	return gcs, live, stacks
}

// machineBusy returns the CPU time all processors have spent on anything
// but idling since boot, from /proc/stat. Over a window, what the servers
// and the tool did not use of it is other load on the machine, which the
// report shows: figures measured while something else ran are not the
// machine's.
func machineBusy() time.Duration {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	fields := strings.Fields(line)
	if len(fields) < 5 || fields[0] != "cpu" {
		return 0
	}
	var busy int64
	for i, f := range fields[1:] {
		n, _ := strconv.ParseInt(f, 10, 64)
		// idle and iowait are not busy; guest time is already in user.
		if i == 3 || i == 4 || i >= 8 {
			continue
		}
		busy += n
	}
	return time.Duration(busy) * time.Second / clockTicks
}

// servicesCPU returns the CPU time used so far by every process whose
// command name is one of names (the PostgreSQL backends, nats-server), by
// pid. Backends come and go; over a window, a pid's use counts from when
// it was first seen.
func servicesCPU(names []string) map[int]time.Duration {
	out := map[int]time.Duration{}
	if len(names) == 0 {
		return out
	}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
		if err != nil || !slices.Contains(names, strings.TrimSpace(string(comm))) {
			continue
		}
		if d, err := procCPU(pid); err == nil {
			out[pid] = d
		}
	}
	return out
}

// cpuSince is how much CPU the processes in now used since before.
func cpuSince(before, now map[int]time.Duration) time.Duration {
	var total time.Duration
	for pid, d := range now {
		total += max(0, d-before[pid])
	}
	return total
}
