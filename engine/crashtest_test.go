package engine_test

import (
	"context"
	"math/rand"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gostream/gostream/engine"
)

// crashChild is a query run in a child process of the test binary, to be
// killed and restarted: the Test function named test runs it when the
// variable env holds its arguments, and finishes once the query has
// processed all of its input.
type crashChild struct {
	test string   // the child's Test function
	env  string   // the variable that carries args to the child
	args []string // what the child reads with crashChildArgs
	// kills is how many times at most the child is killed before it is
	// left to finish.
	kills int
	// Each kill comes after delay plus a random part of jitter.
	delay, jitter time.Duration
}

// killAndRestart starts c, kills it with SIGKILL at a random moment and
// starts it again, until it finishes before the kill or has been killed
// c.kills times; then it runs c once more to its end (a restart of a
// finished query too). It fails the test if the child fails, and returns
// how many times the child was killed.
func killAndRestart(t *testing.T, c crashChild) (kills int) {
	t.Helper()
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	for kills < c.kills && !c.run(t, c.delay+time.Duration(rng.Int63n(int64(c.jitter)))) {
		kills++
	}
	c.run(t, 0)
	return kills
}

// run runs the child, killed after killAfter unless that is 0, and reports
// whether it finished by itself.
func (c crashChild) run(t *testing.T, killAfter time.Duration) (finished bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+c.test+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), c.env+"="+strings.Join(c.args, "\n"))
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	if killAfter > 0 {
		select {
		case err = <-done:
		case <-time.After(killAfter):
			cmd.Process.Signal(syscall.SIGKILL)
			<-done
			return false
		}
	} else {
		err = <-done
	}
	if err != nil {
		t.Fatalf("child %s failed: %v\n%s", c.test, err, out.String())
	}
	return true
}

// crashChildArgs returns the arguments a crashChild passes in env, and
// skips the test when it is not running as one.
func crashChildArgs(t *testing.T, env string) []string {
	t.Helper()
	v := os.Getenv(env)
	if v == "" {
		t.Skipf("runs only as a child process of a crash test, which sets %s", env)
	}
	return strings.Split(v, "\n")
}

// runToEnd fails the test if the query did not start or ends with an
// error.
func runToEnd(t *testing.T, q *engine.StreamingQuery, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	if err := q.AwaitTermination(context.Background()); err != nil {
		t.Fatal(err)
	}
}
