package catalog

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// ImportOptions say what an import does with its file.
type ImportOptions struct {
	// DryRun checks every row and reports, writing nothing.
	DryRun bool
	// ApplyValid applies the valid products of a file that also has bad
	// rows. Without it a file with any bad row applies nothing.
	ApplyValid bool
}

// RowError is one reason a row cannot be imported.
type RowError struct {
	Row    int    `json:"row"`
	Column string `json:"column"`
	Reason string `json:"reason"`
	key    string
	args   []any
}

// ImportReport is what an import found and did.
type ImportReport struct {
	Rows      int        `json:"rows"`
	Products  int        `json:"products"`
	Valid     int        `json:"valid_products"`
	Created   int        `json:"created"`
	Updated   int        `json:"updated"`
	Unchanged int        `json:"unchanged"`
	Applied   bool       `json:"applied"`
	DryRun    bool       `json:"dry_run"`
	Errors    []RowError `json:"errors"`
}

// Localize renders the reasons in lang.
func (r *ImportReport) Localize(lang platform.Lang) {
	for i := range r.Errors {
		r.Errors[i].Reason = platform.T(lang, r.Errors[i].key, r.Errors[i].args...)
	}
}

// importGroup is the rows of one product and what they become.
type importGroup struct {
	rows    []ImportRow
	in      ProductInput
	skuLine []int // the file line of each of in.SKUs (0: kept from the database)
	status  Status
	id      platform.ID // the existing product, or 0
	bad     bool
	// same: the existing product already is what the rows say (seen in
	// the check; the apply leaves it alone).
	same bool
}

// importApplyBatch is how many products one write transaction applies,
// so a big file never holds the writer (or delays the outbox) for long.
const importApplyBatch = 500

// Import checks rows (from ParseImport) and, unless opt says otherwise,
// upserts their products by SKU code, audited as actor: a row whose SKU
// code exists updates that SKU's product, other rows create products (as
// drafts, then moved to the row's status if it names one). Importing the
// same file again changes nothing and writes nothing. Products are
// applied in batches of 500 per transaction.
//
// Errors: only database errors; bad rows are in the report.
func (a *Admin) Import(ctx context.Context, actor audit.Actor, rows []ImportRow, opt ImportOptions) (*ImportReport, error) {
	rep := &ImportReport{Rows: len(rows), DryRun: opt.DryRun, Errors: []RowError{}}
	var groups []*importGroup
	tpls := templates{}
	err := a.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		groups, err = buildGroups(ctx, tx, rows, rep, tpls)
		return err
	})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(rep.Errors, func(a, b RowError) int { return cmp.Compare(a.Row, b.Row) })
	rep.Products = len(groups)
	for _, g := range groups {
		if !g.bad {
			rep.Valid++
		}
	}
	if opt.DryRun || (len(rep.Errors) > 0 && !opt.ApplyValid) || rep.Valid == 0 {
		return rep, nil
	}
	reason := platform.T(platform.ZH, "catalog.import.reason")
	for start := 0; start < len(groups); start += importApplyBatch {
		batch := groups[start:min(start+importApplyBatch, len(groups))]
		var created, updated, unchanged int
		err := a.db.Write(ctx, func(tx *store.Tx) error {
			created, updated, unchanged = 0, 0, 0
			// New products are buffered and written together; their
			// status moves (rare: the file asks for one other than on
			// sale) wait until the rows exist.
			var fresh newProducts
			type move struct {
				g  *importGroup
				id platform.ID
			}
			var moves []move
			for _, g := range batch {
				if g.bad {
					continue
				}
				if g.same {
					unchanged++
					continue
				}
				initial := StatusDraft
				if g.status == StatusOnSale {
					initial = StatusOnSale
				}
				if g.id == 0 {
					p, err := fresh.add(ctx, tx, actor, g.in, tpls, initial)
					if err != nil {
						return fmt.Errorf("catalog: import line %d: %w", g.rows[0].Line, err)
					}
					created++
					if g.status != "" && g.status != p.Status {
						moves = append(moves, move{g, p.ID})
					}
					continue
				}
				p, changed, err := saveProduct(ctx, tx, actor, g.id, g.in, tpls, initial)
				if err != nil {
					return fmt.Errorf("catalog: import line %d: %w", g.rows[0].Line, err)
				}
				moved := false
				if g.status != "" && g.status != p.Status {
					if err := setStatus(ctx, tx, actor, p.ID, g.status, reason); err != nil {
						return fmt.Errorf("catalog: import line %d: %w", g.rows[0].Line, err)
					}
					moved = true
				}
				switch {
				case changed:
					updated++
				case moved:
					updated++
				default:
					unchanged++
				}
			}
			if err := fresh.flush(ctx, tx); err != nil {
				return fmt.Errorf("catalog: import: %w", err)
			}
			for _, m := range moves {
				if err := setStatus(ctx, tx, actor, m.id, m.g.status, reason); err != nil {
					return fmt.Errorf("catalog: import line %d: %w", m.g.rows[0].Line, err)
				}
			}
			return nil
		})
		if err != nil {
			return rep, err
		}
		rep.Created += created
		rep.Updated += updated
		rep.Unchanged += unchanged
	}
	rep.Applied = true
	return rep, nil
}

// productCols are the columns that belong to the product, not the SKU.
var productCols = []string{ColTitle, ColSubtitle, ColCategory, ColBrand, ColStorage, ColAttributes, ColTags, ColDescription, ColStatus}

// buildGroups turns rows into products and checks them, adding every
// problem to rep.
func buildGroups(ctx context.Context, tx *store.Tx, rows []ImportRow, rep *ImportReport, tpls templates) ([]*importGroup, error) {
	tree, err := LoadTree(ctx, tx)
	if err != nil {
		return nil, err
	}
	cats := categoryIndex(tree)
	brandList, err := listBrands(ctx, tx)
	if err != nil {
		return nil, err
	}
	brands := map[string]platform.ID{}
	for _, b := range brandList {
		brands[strings.ToLower(b.Name)] = b.ID
		if b.NameEN != "" {
			brands[strings.ToLower(b.NameEN)] = b.ID
		}
	}
	var groups []*importGroup
	byKey := map[string]*importGroup{}
	codeLine := map[string]int{}
	fail := func(g *importGroup, line int, col, key string, args ...any) {
		if g != nil {
			g.bad = true
		}
		rep.Errors = append(rep.Errors, RowError{Row: line, Column: col, key: key, args: args})
	}
	for _, r := range rows {
		code := r.Get(ColSKUCode)
		// A row without a spu key is a product of its own.
		key := "spu:" + r.Get(ColSPU)
		if r.Get(ColSPU) == "" {
			key = "line:" + strconv.Itoa(r.Line)
		}
		g := byKey[key]
		if g == nil {
			g = &importGroup{}
			byKey[key] = g
			groups = append(groups, g)
		}
		g.rows = append(g.rows, r)
		if code == "" {
			fail(g, r.Line, ColSKUCode, "field.required")
		} else if first, ok := codeLine[strings.ToUpper(code)]; ok {
			fail(g, r.Line, ColSKUCode, "catalog.import.code_twice", first)
		} else {
			codeLine[strings.ToUpper(code)] = r.Line
		}
	}
	owners, err := skuOwners(ctx, tx, rows)
	if err != nil {
		return nil, err
	}
	// The products the file's codes belong to, read in a few batched
	// queries rather than three per product.
	ownerIDs := make([]platform.ID, 0, len(owners))
	seen := map[platform.ID]bool{}
	for _, id := range owners {
		if !seen[id] {
			seen[id] = true
			ownerIDs = append(ownerIDs, id)
		}
	}
	existing, err := loadEdits(ctx, tx, ownerIDs)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		first := g.rows[0]
		for _, r := range g.rows[1:] {
			for _, c := range productCols {
				if v := r.Get(c); v != "" && v != first.Get(c) {
					fail(g, r.Line, c, "catalog.import.differs", first.Line)
				}
			}
		}
		if err := buildGroup(ctx, tx, g, cats, brands, owners, existing, fail); err != nil {
			return nil, err
		}
		if g.bad {
			continue
		}
		if err := prepare(ctx, tx, &g.in, tpls); err != nil {
			e := platform.AsError(err)
			if e.Code != platform.CodeInvalid {
				return nil, err
			}
			for _, fe := range e.Fields {
				line, col := g.locate(fe.Field)
				fail(g, line, col, fe.Key, fe.Args...)
			}
		}
		if !g.bad && g.status != "" {
			checkImportStatus(ctx, tx, g, existing, fail)
		}
	}
	return groups, nil
}

// buildGroup reads a group's cells into its input, finds the product its
// SKU codes belong to and merges the file's SKUs into that product's.
func buildGroup(ctx context.Context, tx *store.Tx, g *importGroup, cats, brands, skuOwner map[string]platform.ID,
	existing map[platform.ID]*ProductEdit, fail func(*importGroup, int, string, string, ...any)) error {
	first := g.rows[0]
	line := first.Line
	in := ProductInput{Title: first.Get(ColTitle), Subtitle: first.Get(ColSubtitle), Description: first.Cells[ColDescription]}
	if c := first.Get(ColCategory); c != "" {
		id, ok := cats[strings.ToLower(c)]
		if !ok {
			fail(g, line, ColCategory, "catalog.import.unknown_category", c)
		}
		in.CategoryID = id
	}
	if b := first.Get(ColBrand); b != "" {
		id, ok := brands[strings.ToLower(b)]
		if !ok {
			fail(g, line, ColBrand, "catalog.import.unknown_brand", b)
		}
		in.BrandID = &id
	}
	if s := first.Get(ColStorage); s != "" {
		if in.StorageClass = parseStorage(s); in.StorageClass == "" {
			fail(g, line, ColStorage, "field.invalid")
		}
	}
	var ok bool
	if in.Attributes, ok = ParseAttrText(first.Get(ColAttributes)); !ok {
		fail(g, line, ColAttributes, "catalog.field.attr_text")
	}
	if t := first.Get(ColTags); t != "" {
		in.Tags = SplitList(t)
	}
	if s := first.Get(ColStatus); s != "" {
		if g.status = parseStatus(s); g.status == "" {
			fail(g, line, ColStatus, "field.invalid")
		}
	}
	owners := map[platform.ID]bool{}
	for _, r := range g.rows {
		s := SKUInput{Code: r.Get(ColSKUCode), Barcode: r.Get(ColBarcode)}
		if s.Spec, ok = ParseAttrText(r.Get(ColSpec)); !ok {
			fail(g, r.Line, ColSpec, "catalog.field.attr_text")
		}
		money := func(col string) platform.Money {
			v := r.Get(col)
			if v == "" {
				return 0
			}
			m, err := platform.ParseMoney(v)
			if err != nil {
				fail(g, r.Line, col, "catalog.field.money")
			}
			return m
		}
		integer := func(col string) int {
			v := r.Get(col)
			if v == "" {
				return 0
			}
			n, err := strconv.Atoi(v)
			if err != nil {
				fail(g, r.Line, col, "field.invalid")
			}
			return n
		}
		if r.Get(ColPrice) == "" {
			fail(g, r.Line, ColPrice, "field.required")
		}
		s.Price, s.Cost = money(ColPrice), money(ColCost)
		if r.Get(ColCompareAt) != "" {
			m := money(ColCompareAt)
			s.CompareAt = &m
		}
		s.WeightG, s.VolumeCM3 = integer(ColWeight), integer(ColVolume)
		in.SKUs = append(in.SKUs, s)
		g.skuLine = append(g.skuLine, r.Line)
		if s.Code == "" {
			continue
		}
		if owner, ok := skuOwner[s.Code]; ok {
			if len(owners) > 0 && !owners[owner] {
				fail(g, r.Line, ColSKUCode, "catalog.import.codes_span")
			}
			owners[owner] = true
			g.id = owner
		}
	}
	g.in = in
	if g.id == 0 || g.bad {
		return nil
	}
	// An existing product keeps the SKUs the file does not name.
	have := existing[g.id]
	if have == nil {
		var err error
		if have, err = loadEdit(ctx, tx, g.id); err != nil {
			return err
		}
	}
	merged := make([]SKUInput, 0, len(have.SKUs)+len(in.SKUs))
	lines := make([]int, 0, cap(merged))
	for _, s := range have.SKUs {
		if i := indexSKU(in.SKUs, s.Code); i >= 0 {
			merged, lines = append(merged, in.SKUs[i]), append(lines, g.skuLine[i])
		} else {
			s.ID = 0
			merged, lines = append(merged, s), append(lines, 0)
		}
	}
	for i, s := range in.SKUs {
		if indexSKU(have.SKUs, s.Code) < 0 {
			merged, lines = append(merged, s), append(lines, g.skuLine[i])
		}
	}
	g.in.SKUs, g.skuLine = merged, lines
	if g.in.Tags == nil {
		g.in.Tags = have.Tags
	}
	// Normalise a copy the way the save would, to see whether it changes
	// anything.
	probe := g.in
	probe.SKUs = slices.Clone(g.in.SKUs)
	if probe.Validate(nil) == nil && sameInput(have.ProductInput, probe) && (g.status == "" || g.status == have.Status) {
		g.same = true
	}
	return nil
}

// skuOwners finds the products that hold the rows' SKU codes, a few
// hundred codes per query.
func skuOwners(ctx context.Context, tx *store.Tx, rows []ImportRow) (map[string]platform.ID, error) {
	out := map[string]platform.ID{}
	var codes []any
	flush := func() error {
		if len(codes) == 0 {
			return nil
		}
		ph := make([]string, len(codes))
		for i := range codes {
			ph[i] = "$" + strconv.Itoa(i+1)
		}
		rs, err := tx.QueryContext(ctx, `SELECT code, product_id FROM skus WHERE code IN (`+strings.Join(ph, ", ")+`)`, codes...)
		if err != nil {
			return fmt.Errorf("catalog: import sku owners: %w", err)
		}
		defer rs.Close()
		for rs.Next() {
			var code string
			var id platform.ID
			if err := rs.Scan(&code, &id); err != nil {
				return err
			}
			out[code] = id
		}
		codes = codes[:0]
		return rs.Err()
	}
	for _, r := range rows {
		if c := r.Get(ColSKUCode); c != "" {
			codes = append(codes, c)
		}
		if len(codes) == 500 {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	return out, flush()
}

func indexSKU(skus []SKUInput, code string) int {
	for i, s := range skus {
		if s.Code == code {
			return i
		}
	}
	return -1
}

// checkImportStatus refuses a status the product cannot move to.
func checkImportStatus(ctx context.Context, tx *store.Tx, g *importGroup, existing map[platform.ID]*ProductEdit,
	fail func(*importGroup, int, string, string, ...any)) {
	cur := StatusDraft
	if have := existing[g.id]; g.id != 0 && have != nil {
		cur = have.Status
	} else if g.id != 0 {
		if st, err := productStatus(ctx, tx, g.id); err == nil {
			cur = st
		}
	}
	if g.status != cur && !CanMove(cur, g.status) {
		fail(g, g.rows[0].Line, ColStatus, "catalog.import.bad_move", platform.Key(cur.Label()), platform.Key(g.status.Label()))
		return
	}
	if g.status == StatusOnSale {
		for _, s := range g.in.SKUs {
			if s.Price > 0 {
				return
			}
		}
		fail(g, g.rows[0].Line, ColPrice, "error."+string(CodeNotSellable))
	}
}

// locate maps a validation field ("skus.2.price", "attributes.材质") to
// the file line and column it came from.
func (g *importGroup) locate(field string) (int, string) {
	line := g.rows[0].Line
	head, rest, _ := strings.Cut(field, ".")
	switch head {
	case "skus":
		idx, sub, _ := strings.Cut(rest, ".")
		if i, err := strconv.Atoi(idx); err == nil && i < len(g.skuLine) && g.skuLine[i] != 0 {
			line = g.skuLine[i]
		}
		sub, _, _ = strings.Cut(sub, ".")
		if sub == "" || sub == "code" {
			return line, ColSKUCode
		}
		return line, sub
	case "category_id":
		return line, ColCategory
	case "brand_id":
		return line, ColBrand
	case "attributes":
		return line, ColAttributes
	case "list_at", "delist_at":
		return line, ColStatus
	}
	return line, head
}

// categoryIndex finds categories by id, slug, name path ("服饰/连衣裙",
// "服饰 > 连衣裙") and, when unique, bare name; keys are lower case.
func categoryIndex(t *Tree) map[string]platform.ID {
	m := map[string]platform.ID{}
	names := map[string]int{}
	var walk func(ns []*CategoryNode, path []string)
	walk = func(ns []*CategoryNode, path []string) {
		for _, n := range ns {
			p := append(append([]string(nil), path...), n.Name)
			m[n.ID.String()] = n.ID
			m[strings.ToLower(n.Slug)] = n.ID
			m[strings.ToLower(strings.Join(p, "/"))] = n.ID
			m[strings.ToLower(strings.Join(p, " > "))] = n.ID
			names[strings.ToLower(n.Name)]++
			walk(n.Children, p)
		}
	}
	walk(t.Roots, nil)
	var fill func(ns []*CategoryNode)
	fill = func(ns []*CategoryNode) {
		for _, n := range ns {
			if k := strings.ToLower(n.Name); names[k] == 1 {
				m[k] = n.ID
			}
			fill(n.Children)
		}
	}
	fill(t.Roots)
	return m
}

func parseStorage(s string) StorageClass {
	switch strings.ToLower(s) {
	case "ambient", "常温":
		return Ambient
	case "chilled", "冷藏":
		return Chilled
	case "frozen", "冷冻":
		return Frozen
	}
	return ""
}

func parseStatus(s string) Status {
	switch strings.ToLower(s) {
	case "draft", "草稿":
		return StatusDraft
	case "on_sale", "在售", "上架":
		return StatusOnSale
	case "off_sale", "下架", "已下架":
		return StatusOffSale
	case "archived", "归档", "已归档":
		return StatusArchived
	}
	return ""
}
