package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strings"

	"storeops/internal/app"
	"storeops/internal/audit"
	"storeops/internal/catalog"
	"storeops/internal/platform"
)

func init() {
	register(command{name: "import products", summary: "import products from CSV or XLSX: --file F [--dry-run] [--apply-valid]", run: importProducts})
	register(command{name: "export products", summary: "export products in the import format: --out F.csv|F.xlsx [--status S] [--tag T]", run: exportProducts})
}

// cliActor is whoever runs the command, for the audit log.
func cliActor() audit.Actor {
	who := "cli"
	if u, err := user.Current(); err == nil && u.Username != "" {
		who = "cli:" + u.Username
	}
	return audit.CLI(who)
}

func importProducts(ctx context.Context, g *globals, args []string) error {
	var file, lang string
	var dry, applyValid bool
	if err := parse(g, "import products", args, func(fs *flag.FlagSet) {
		fs.StringVar(&file, "file", "", "the CSV or XLSX file (required)")
		fs.BoolVar(&dry, "dry-run", false, "check every row and report, writing nothing")
		fs.BoolVar(&applyValid, "apply-valid", false, "import the valid products even when some rows are bad")
		fs.StringVar(&lang, "lang", "zh-CN", "language of the report: zh-CN or en")
	}); err != nil {
		return err
	}
	if file == "" {
		return errors.New("import products: --file is required")
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, 4)
	n, _ := f.Read(head)
	if _, err := f.Seek(0, 0); err != nil {
		return err
	}
	l := platform.ParseLang(lang)
	rows, err := catalog.ParseImport(f, catalog.FormatOf(file, head[:n]))
	if err != nil {
		return errors.New(describeIn(l, err))
	}
	a, err := app.Open(ctx, app.Config{DB: g.db, Log: g.log, Dev: g.dev})
	if err != nil {
		return err
	}
	defer a.Close()
	rep, err := catalog.NewAdmin(a.DB).Import(ctx, cliActor(), rows, catalog.ImportOptions{DryRun: dry, ApplyValid: applyValid})
	if err != nil {
		return err
	}
	rep.Localize(l)
	fmt.Fprintln(g.stdout, platform.T(l, "catalog.import.summary", rep.Rows, rep.Products, rep.Valid))
	for _, e := range rep.Errors {
		fmt.Fprintf(g.stdout, "%d\t%s\t%s\n", e.Row, catalog.ColumnLabel(l, e.Column), e.Reason)
	}
	switch {
	case rep.Applied:
		fmt.Fprintln(g.stdout, platform.T(l, "catalog.import.counts", rep.Created, rep.Updated, rep.Unchanged))
	case dry:
		fmt.Fprintln(g.stdout, platform.T(l, "catalog.import.checked"))
	case len(rep.Errors) > 0:
		return errors.New(platform.T(l, "catalog.import.refused"))
	}
	return nil
}

// describeIn renders an application error with its field reasons.
func describeIn(l platform.Lang, err error) string {
	e := platform.AsError(err)
	s := e.Message(l)
	for _, fe := range e.Fields {
		s += "; " + fe.Field + ": " + platform.T(l, fe.Key, fe.Args...)
	}
	return s
}

func exportProducts(ctx context.Context, g *globals, args []string) error {
	var out, status, tag string
	if err := parse(g, "export products", args, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "out", "", "the file to write, .csv or .xlsx (required; - writes CSV to standard output)")
		fs.StringVar(&status, "status", "", "only products in this status: draft, on_sale, off_sale or archived")
		fs.StringVar(&tag, "tag", "", "only products with this tag")
	}); err != nil {
		return err
	}
	if out == "" {
		return errors.New("export products: --out is required")
	}
	a, err := app.Open(ctx, app.Config{DB: g.db, Log: g.log, Dev: g.dev})
	if err != nil {
		return err
	}
	defer a.Close()
	adm := catalog.NewAdmin(a.DB)
	filter := catalog.AdminFilter{Status: catalog.Status(status), Tag: tag}
	if err := filter.Validate(); err != nil {
		return errors.New(describeIn(platform.ZH, err))
	}
	if out == "-" {
		return adm.ExportCSV(ctx, g.stdout, filter)
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if strings.EqualFold(filepath.Ext(out), ".xlsx") {
		err = adm.ExportXLSX(ctx, f, filter)
	} else {
		err = adm.ExportCSV(ctx, f, filter)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "exported to %s\n", out)
	return nil
}
