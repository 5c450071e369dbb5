// The pod sandbox's process (the kubelet's "pause" image): it holds the pod's namespaces open, reaps
// orphaned children when it is the pod's PID 1, and exits 0 on SIGINT or SIGTERM, as Kubernetes'
// build/pause/linux/pause.c does.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

const version = "3.10.2-tourkit"

func main() {
	if len(os.Args) > 1 && os.Args[1] == "-v" {
		fmt.Println("pause.go", version)
		return
	}
	if os.Getpid() != 1 {
		fmt.Fprintln(os.Stderr, "Warning: pause should be the first process")
	}
	signals := make(chan os.Signal, 8)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for sig := range signals {
		if sig != syscall.SIGCHLD {
			fmt.Fprintf(os.Stderr, "Shutting down, got signal: %v\n", sig)
			os.Exit(0)
		}
		// Several children may have ended for one SIGCHLD: reap until none is left.
		for {
			var status syscall.WaitStatus
			pid, err := syscall.Wait4(-1, &status, syscall.WNOHANG, nil)
			if pid <= 0 || err != nil {
				break
			}
		}
	}
}
