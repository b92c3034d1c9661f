// Command qiao-ferretdb runs FerretDB (SQLite backend) for Qiao's embedded database.
//
// It listens on the given loopback address, prints "READY <mongodb-uri>" on stdout once the
// port accepts connections, and exits when it receives SIGTERM/SIGINT or when its standard
// input closes — so it never outlives the Node process that started it, even after a crash.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	addr := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	dir := flag.String("data-dir", ".data/db", "folder for the SQLite files")
	flag.Parse()

	if err := os.MkdirAll(*dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "cannot create data dir:", err)
		os.Exit(1)
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *addr},
		Handler:   "sqlite",
		SQLiteURL: "file:" + *dir + "/",
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "cannot configure FerretDB:", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	// The parent keeps our stdin open; EOF means it is gone.
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		stop()
	}()

	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()

	go func() {
		for i := 0; i < 600; i++ {
			c, err := net.DialTimeout("tcp", *addr, 200*time.Millisecond)
			if err == nil {
				c.Close()
				fmt.Println("READY", f.MongoDBURI())
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()

	if err := <-done; err != nil && ctx.Err() == nil {
		fmt.Fprintln(os.Stderr, "FerretDB stopped:", err)
		os.Exit(1)
	}
}
