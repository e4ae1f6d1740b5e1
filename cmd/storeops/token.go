package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"storeops/internal/staff"
)

func init() {
	register(command{name: "token create", summary: "make an API token for a staff user and print it once: --email E [--name N] [--expires 720h]", run: tokenCreate})
}

func tokenCreate(ctx context.Context, g *globals, args []string) error {
	var email, name string
	var expires time.Duration
	err := parse(g, "token create", args, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "the staff user the token acts as, with their role (required)")
		fs.StringVar(&name, "name", "cli", "a name to tell tokens apart")
		fs.DurationVar(&expires, "expires", 0, "lifetime, e.g. 720h (default: no expiry)")
	})
	if err != nil {
		return err
	}
	if email == "" {
		return fmt.Errorf("token create: --email is required")
	}
	a, s, err := openStaff(ctx, g)
	if err != nil {
		return err
	}
	defer a.Close()
	in := staff.NewToken{Email: email, Name: name}
	if expires > 0 {
		t := a.DB.Now().Add(expires)
		in.ExpiresAt = &t
	}
	secret, _, err := s.CreateToken(ctx, operator(), in)
	if err != nil {
		return describe(err)
	}
	// The secret alone on stdout, so scripts can capture it; it is not
	// stored and cannot be shown again.
	fmt.Fprintln(g.stdout, secret)
	return nil
}
