package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Backup writes a consistent copy of the open database to dest while the
// shop keeps running. dest must not exist yet; the copy appears there only
// when complete (it is written beside it and renamed).
//
// SQLite: VACUUM INTO on a connection of its own, so one read transaction's
// snapshot is copied and the writer is never blocked. PostgreSQL: pg_dump in
// its custom format (restore it with Restore or pg_restore); pg_dump must be
// on PATH and should be at least the server's major version.
func Backup(ctx context.Context, db *DB, dest string) error {
	if dest == "" {
		return errors.New("store: backup: empty destination")
	}
	if _, err := os.Lstat(dest); err == nil {
		return fmt.Errorf("store: backup: %s already exists", dest)
	}
	tmp, err := tempPath(dest)
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	defer os.Remove(tmp)
	switch db.Dialect {
	case SQLite:
		err = backupSQLite(ctx, db.Path, tmp)
	case Postgres:
		err = backupPostgres(ctx, db.URL, tmp)
	default:
		err = fmt.Errorf("unknown dialect %q", db.Dialect)
	}
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	if err := os.Rename(tmp, dest); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	if err := syncDir(filepath.Dir(dest)); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	return nil
}

func backupSQLite(ctx context.Context, path, dest string) error {
	// The readers are query_only, which refuses VACUUM INTO, and the
	// writer must stay free: use a connection of its own.
	conn, err := sql.Open("sqlite", sqliteDSN(path, "rw"))
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `VACUUM INTO $1`, dest); err != nil {
		return fmt.Errorf("sqlite: vacuum into: %w", err)
	}
	return nil
}

func backupPostgres(ctx context.Context, spec, dest string) error {
	bin, err := pgTool("pg_dump")
	if err != nil {
		return err
	}
	conn, env, err := libpqURL(spec)
	if err != nil {
		return err
	}
	return runTool(ctx, bin, env, "--format=custom", "--file="+dest, "--dbname="+conn)
}

// Restore replaces the database named by spec (as for Open) with the backup
// at src, made by Backup.
//
// SQLite: the shop must be stopped; Restore refuses while another
// connection has the file open. The backup is checked, copied beside the
// database, synced and renamed over it, and any -wal/-shm of the old file
// removed first, so a crash leaves either the old database or the new.
// PostgreSQL: pg_restore --clean --if-exists --no-owner in one transaction
// (all or nothing) into the database of the URL, which must exist.
func Restore(ctx context.Context, spec, src string) error {
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	var err error
	switch {
	case strings.HasPrefix(spec, "postgres://"), strings.HasPrefix(spec, "postgresql://"):
		err = restorePostgres(ctx, spec, src)
	case strings.HasPrefix(spec, "sqlite:"):
		err = restoreSQLite(ctx, strings.TrimPrefix(spec, "sqlite:"), src)
	case strings.HasSuffix(spec, ".db"):
		err = restoreSQLite(ctx, spec, src)
	default:
		return fmt.Errorf("store: restore: --db must be sqlite:PATH or a postgres:// URL, not %q", spec)
	}
	if err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	return nil
}

func restoreSQLite(ctx context.Context, path, src string) error {
	if path == "" {
		return errors.New("sqlite: empty path")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	if err := checkNotInUse(ctx, path); err != nil {
		return err
	}
	tmp, err := tempPath(path)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := copyFile(src, tmp); err != nil {
		return err
	}
	if err := quickCheck(ctx, tmp); err != nil {
		return fmt.Errorf("%s is not a usable SQLite backup: %w", src, err)
	}
	if err := syncFile(tmp); err != nil {
		return err
	}
	// Stale WAL frames would be replayed onto the new file: remove them
	// before it takes the old one's place.
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}

// checkNotInUse fails when another connection has the SQLite file open: in
// WAL mode an exclusive lock is only granted to the sole connection.
func checkNotInUse(ctx context.Context, path string) error {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	conn, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+
		"?mode=rw&_pragma=busy_timeout(0)&_pragma=locking_mode(EXCLUSIVE)")
	if err != nil {
		return err
	}
	defer conn.Close()
	c, err := conn.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	if _, err := c.ExecContext(ctx, `BEGIN EXCLUSIVE`); err != nil {
		if IsTransient(err) {
			return fmt.Errorf("%s is in use; stop the server before restoring", path)
		}
		return err
	}
	_, err = c.ExecContext(ctx, `COMMIT`)
	return err
}

func quickCheck(ctx context.Context, path string) error {
	// Read-write: opening a WAL file read-only needs its -shm to exist.
	conn, err := sql.Open("sqlite", sqliteDSN(path, "rw"))
	if err != nil {
		return err
	}
	defer conn.Close()
	var res string
	if err := conn.QueryRowContext(ctx, `PRAGMA quick_check`).Scan(&res); err != nil {
		return err
	}
	if res != "ok" {
		return errors.New(res)
	}
	return nil
}

func restorePostgres(ctx context.Context, spec, src string) error {
	bin, err := pgTool("pg_restore")
	if err != nil {
		return err
	}
	conn, env, err := libpqURL(spec)
	if err != nil {
		return err
	}
	return runTool(ctx, bin, env, "--clean", "--if-exists", "--no-owner", "--single-transaction",
		"--exit-on-error", "--dbname="+conn, src)
}

func sqliteDSN(path, mode string) string {
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?mode=" + mode + "&_pragma=busy_timeout(10000)"
}

// pgTool finds a PostgreSQL client program or says how to get it.
func pgTool(name string) (string, error) {
	bin, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%s not found on PATH: install the PostgreSQL client tools (Debian: apt-get install postgresql-client)", name)
	}
	return bin, nil
}

// libpqURL turns a pgx URL into one libpq programs accept: pgx's own
// parameters (pool_max_conns…) are dropped, and the password moves to
// PGPASSWORD so it does not show in the process list.
func libpqURL(spec string) (string, []string, error) {
	u, err := url.Parse(spec)
	if err != nil {
		return "", nil, fmt.Errorf("postgres: bad URL: %w", err)
	}
	env := os.Environ()
	if p, ok := u.User.Password(); ok {
		env = append(env, "PGPASSWORD="+p)
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	for k := range q {
		switch {
		case strings.HasPrefix(k, "pool_"), k == "statement_cache_capacity",
			k == "description_cache_capacity", k == "default_query_exec_mode":
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return u.String(), env, nil
}

func runTool(ctx context.Context, bin string, env []string, args ...string) error {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 2000 {
			msg = msg[:2000] + "…"
		}
		return fmt.Errorf("%s: %w: %s", filepath.Base(bin), err, msg)
	}
	return nil
}

// tempPath names an unused file beside path.
func tempPath(path string) (string, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return "", err
	}
	name := f.Name()
	f.Close()
	// VACUUM INTO and pg_dump want to create the file themselves.
	return name, os.Remove(name)
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return err
	}
	if _, err := out.ReadFrom(in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	// Some file systems cannot sync a directory; the rename still stands.
	_ = d.Sync()
	return nil
}
