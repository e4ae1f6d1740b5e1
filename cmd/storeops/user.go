package main

import (
	"context"
	"flag"
	"fmt"
	"os/user"

	"storeops/internal/app"
	"storeops/internal/platform"
	"storeops/internal/staff"
)

func init() {
	register(command{name: "user add", summary: "add a staff user: --email E --password P --role R [--name N] [--department D]", run: userAdd})
}

// operator names whoever runs the command, for the audit log.
func operator() staff.Acting {
	who := "cli"
	if u, err := user.Current(); err == nil && u.Username != "" {
		who = "cli:" + u.Username
	}
	return staff.Operator(who)
}

// openStaff opens the database (applying migrations) and the staff
// service on it, with cheap password hashing under --dev.
func openStaff(ctx context.Context, g *globals) (*app.App, *staff.Service, error) {
	a, err := app.Open(ctx, app.Config{DB: g.db, Log: g.log, Dev: g.dev})
	if err != nil {
		return nil, nil, err
	}
	cfg := staff.DefaultConfig(g.dev, false)
	cfg.Log = g.log
	return a, staff.New(a.DB, cfg), nil
}

func userAdd(ctx context.Context, g *globals, args []string) error {
	var email, password, role, name, dept, mobile string
	err := parse(g, "user add", args, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "sign-in email (required)")
		fs.StringVar(&password, "password", "", "password, at least 8 characters (required)")
		fs.StringVar(&role, "role", "", "role: owner, admin, catalog, marketing, service, supply or analyst (required)")
		fs.StringVar(&name, "name", "", "display name (default: the part of the email before @)")
		fs.StringVar(&dept, "department", "", "department: management, catalog, marketing, service or supply (default: from the role)")
		fs.StringVar(&mobile, "mobile", "", "mobile number (optional)")
	})
	if err != nil {
		return err
	}
	if email == "" || password == "" || role == "" {
		return fmt.Errorf("user add: --email, --password and --role are required")
	}
	if name == "" {
		name = email
		for i, c := range email {
			if c == '@' {
				name = email[:i]
				break
			}
		}
	}
	if dept == "" {
		dept = string(departmentOf(platform.Role(role)))
	}
	a, s, err := openStaff(ctx, g)
	if err != nil {
		return err
	}
	defer a.Close()
	u, err := s.Create(ctx, operator(), staff.NewUser{Email: email, Password: password, Role: platform.Role(role), Name: name,
		Department: staff.Department(dept), Mobile: mobile})
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(g.stdout, "created staff user %s (%s, id %s)\n", u.Email, u.Role, u.ID)
	return nil
}

// departmentOf is the usual department of a role.
func departmentOf(r platform.Role) staff.Department {
	switch r {
	case platform.RoleCatalog:
		return staff.DeptCatalog
	case platform.RoleMarketing:
		return staff.DeptMarketing
	case platform.RoleService:
		return staff.DeptService
	case platform.RoleSupply:
		return staff.DeptSupply
	}
	return staff.DeptManagement
}

// describe spells out an application error for a terminal: the message
// and each invalid field, in English.
func describe(err error) error {
	e, ok := err.(*platform.Error)
	if !ok {
		return err
	}
	msg := e.Message(platform.EN)
	for _, f := range e.Fields {
		msg += fmt.Sprintf("; --%s %s", f.Field, platform.T(platform.EN, f.Key, f.Args...))
	}
	return fmt.Errorf("%s", msg)
}
