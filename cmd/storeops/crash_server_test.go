package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// buildBinary compiles this command into dir once per test run: the crash
// test needs a process it can kill, not a server inside the test binary.
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "storeops")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// serverProc is a storeops serve child process.
type serverProc struct {
	cmd  *exec.Cmd
	base string
	logs *lockedBuffer
	done chan struct{}
	err  error
}

// lockedBuffer collects a child's stderr while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startServer runs `storeops serve` on spec on a free port and returns
// once it answers /readyz. The port comes from the URL the command prints,
// so no port is picked and then raced for.
func startServer(t *testing.T, bin, spec string) *serverProc {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--db", spec, "--addr", "127.0.0.1:0", "--dev", "--log-level", "warn")
	cmd.Env = append(os.Environ(), "STOREOPS_CONFIG=")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &serverProc{cmd: cmd, logs: &lockedBuffer{}, done: make(chan struct{})}
	cmd.Stderr = p.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() { p.kill() })
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "storefront: "); ok {
				urls <- strings.TrimSuffix(u, "/")
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case p.base = <-urls:
	case <-p.done:
		t.Fatalf("storeops serve exited before serving: %v\n%s", p.err, p.logs.String())
	case <-time.After(2 * time.Minute):
		t.Fatalf("storeops serve printed no URL\n%s", p.logs.String())
	}
	deadline := time.Now().Add(time.Minute)
	for {
		res, err := http.Get(p.base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return p
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("storeops serve never became ready (last: %v)\n%s", err, p.logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kill sends SIGKILL, as a power cut or the OOM killer would, and reaps
// the process. Killing a finished process is a no-op.
func (p *serverProc) kill() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// stop asks for a graceful shutdown and returns the exit error.
func (p *serverProc) stop(ctx context.Context) error {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return p.err
	case <-ctx.Done():
		p.kill()
		return ctx.Err()
	}
}
