// Command ferretdb runs an embedded FerretDB (MongoDB wire protocol) server on a
// SQLite backend. We wrap the library ourselves because the upstream cmd/ferretdb
// binary panics outside FerretDB's own build tooling (it wants a generated
// version.txt).
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	addr := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	dir := flag.String("dir", ".data/ferretdb", "directory for SQLite database files")
	handler := flag.String("handler", "sqlite", "backend handler: sqlite or postgresql")
	pgURL := flag.String("postgresql-url", "", "PostgreSQL URL when -handler=postgresql")
	flag.Parse()

	abs, err := filepath.Abs(*dir)
	if err != nil {
		log.Fatalf("ferretdb: bad -dir: %v", err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		log.Fatalf("ferretdb: cannot create %s: %v", abs, err)
	}

	cfg := &ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *addr},
		Handler:  *handler,
	}
	switch *handler {
	case "sqlite":
		cfg.SQLiteURL = "file:" + abs + "/"
	case "postgresql":
		cfg.PostgreSQLURL = *pgURL
	default:
		log.Fatalf("ferretdb: unknown -handler %q", *handler)
	}

	f, err := ferretdb.New(cfg)
	if err != nil {
		log.Fatalf("ferretdb: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	done := make(chan struct{})
	go func() {
		f.Run(ctx)
		close(done)
	}()
	// The line below is what scripts wait for before connecting.
	fmt.Printf("ferretdb listening on %s (%s)\n", *addr, *handler)
	<-done
}
