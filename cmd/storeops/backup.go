package main

import (
	"context"
	"flag"
	"fmt"

	"storeops/internal/store"
)

func init() {
	register(command{name: "backup", summary: "write an online backup of the database: --out FILE", run: backup})
	register(command{name: "restore", summary: "replace the database with a backup: --from FILE (stop the shop first on SQLite)", run: restore})
}

func backup(ctx context.Context, g *globals, args []string) error {
	var out string
	if err := parse(g, "backup", args, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "out", "", "the backup file to write; it must not exist (required)")
	}); err != nil {
		return err
	}
	if out == "" {
		return fmt.Errorf("backup: --out is required")
	}
	// No migrations and no job queue: a backup copies what is there.
	db, err := store.Open(ctx, g.db, store.Options{Logger: g.log})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := store.Backup(ctx, db, out); err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "backup written to %s\n", out)
	return nil
}

func restore(ctx context.Context, g *globals, args []string) error {
	var from string
	if err := parse(g, "restore", args, func(fs *flag.FlagSet) {
		fs.StringVar(&from, "from", "", "the backup file made by storeops backup (required)")
	}); err != nil {
		return err
	}
	if from == "" {
		return fmt.Errorf("restore: --from is required")
	}
	if err := store.Restore(ctx, g.db, from); err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "restored %s from %s\n", g.db, from)
	return nil
}
