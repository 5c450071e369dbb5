// An HTTP forward proxy (plain requests and CONNECT tunnels) that the RUN steps of image builds use
// to reach the Debian mirror and the npm registry. BuildKit runs those steps in containerd's network
// namespace, which for the local node is its own namespace without a route out; the proxy listens
// on an address that namespace reaches (the host's end of its link) and dials out from the host.
// It prints "listening on ADDR" once ready and serves until SIGTERM.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// Hop-by-hop headers (RFC 9110 section 7.6.1) are not forwarded.
var hopByHop = []string{"Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate",
	"Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade"}

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on (port 0: any free port)")
	flag.Parse()
	listener, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatalf("egress-proxy: cannot listen on %s: %v", *listen, err)
	}
	fmt.Printf("listening on %s\n", listener.Addr())
	os.Stdout.Sync()

	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	transport := &http.Transport{DialContext: dialer.DialContext, MaxIdleConnsPerHost: 16,
		IdleConnTimeout: 90 * time.Second, ResponseHeaderTimeout: 5 * time.Minute}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodConnect {
			tunnel(w, r, dialer)
			return
		}
		if r.URL.Host == "" {
			http.Error(w, "egress-proxy: only proxy requests (absolute URLs or CONNECT)", http.StatusBadRequest)
			return
		}
		out := r.Clone(r.Context())
		out.RequestURI = ""
		for _, h := range hopByHop {
			out.Header.Del(h)
		}
		resp, err := transport.RoundTrip(out)
		if err != nil {
			http.Error(w, "egress-proxy: "+err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		for _, h := range hopByHop {
			resp.Header.Del(h)
		}
		for k, vs := range resp.Header {
			for _, v := range vs {
				w.Header().Add(k, v)
			}
		}
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	})
	server := &http.Server{Handler: handler, ReadHeaderTimeout: 30 * time.Second}
	go func() {
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
		<-stop
		server.Close()
	}()
	if err := server.Serve(listener); err != nil && err != http.ErrServerClosed {
		log.Fatalf("egress-proxy: %v", err)
	}
}

func tunnel(w http.ResponseWriter, r *http.Request, dialer *net.Dialer) {
	upstream, err := dialer.DialContext(r.Context(), "tcp", r.Host)
	if err != nil {
		http.Error(w, "egress-proxy: "+err.Error(), http.StatusBadGateway)
		return
	}
	hijacker, ok := w.(http.Hijacker)
	if !ok {
		upstream.Close()
		http.Error(w, "egress-proxy: cannot tunnel over this connection", http.StatusInternalServerError)
		return
	}
	client, buffered, err := hijacker.Hijack()
	if err != nil {
		upstream.Close()
		return
	}
	client.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n"))
	// Bytes the client sent after the CONNECT request (a TLS hello) are already in the buffer.
	if n := buffered.Reader.Buffered(); n > 0 {
		pending, _ := buffered.Reader.Peek(n)
		upstream.Write(pending)
	}
	done := make(chan struct{}, 2)
	go func() { io.Copy(upstream, client); closeWrite(upstream); done <- struct{}{} }()
	go func() { io.Copy(client, upstream); closeWrite(client); done <- struct{}{} }()
	<-done
	<-done
	client.Close()
	upstream.Close()
}

func closeWrite(c net.Conn) {
	if tcp, ok := c.(*net.TCPConn); ok {
		tcp.CloseWrite()
	}
}
