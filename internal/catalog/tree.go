package catalog

import (
	"context"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// Tree is the category tree, built once from the flat list and shared
// read-only between requests.
type Tree struct {
	// Roots are the top categories in display order.
	Roots []*CategoryNode `json:"roots"`
	byID  map[platform.ID]*CategoryNode
}

// CategoryNode is a category with its sub-categories.
type CategoryNode struct {
	Category
	Children []*CategoryNode `json:"children"`
	parent   *CategoryNode
}

func newTree(cats []Category) *Tree {
	t := &Tree{Roots: []*CategoryNode{}, byID: make(map[platform.ID]*CategoryNode, len(cats))}
	for _, c := range cats {
		t.byID[c.ID] = &CategoryNode{Category: c, Children: []*CategoryNode{}}
	}
	// cats come ordered by position, so children keep display order.
	for _, c := range cats {
		n := t.byID[c.ID]
		if c.ParentID != nil {
			if p, ok := t.byID[*c.ParentID]; ok && p != n {
				n.parent = p
				p.Children = append(p.Children, n)
				continue
			}
		}
		t.Roots = append(t.Roots, n)
	}
	return t
}

// Find returns the node of id, or false.
func (t *Tree) Find(id platform.ID) (*CategoryNode, bool) {
	n, ok := t.byID[id]
	return n, ok
}

// Subtree lists id and every category below it. A cycle in bad data
// cannot loop: each node is visited once.
func (t *Tree) Subtree(id platform.ID) []platform.ID {
	n, ok := t.byID[id]
	if !ok {
		return nil
	}
	seen := map[platform.ID]bool{}
	var out []platform.ID
	stack := []*CategoryNode{n}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[n.ID] {
			continue
		}
		seen[n.ID] = true
		out = append(out, n.ID)
		stack = append(stack, n.Children...)
	}
	return out
}

// Path lists the categories from the root down to id (a breadcrumb).
func (t *Tree) Path(id platform.ID) []Category {
	var out []Category
	seen := map[platform.ID]bool{}
	for n, ok := t.byID[id]; ok && n != nil && !seen[n.ID]; n = n.parent {
		seen[n.ID] = true
		out = append([]Category{n.Category}, out...)
	}
	return out
}

// Label is the category's name in lang (the Chinese name when it has no
// English one).
func (c Category) Label(lang platform.Lang) string {
	if lang == platform.EN && c.NameEN != "" {
		return c.NameEN
	}
	return c.Name
}

// LoadTree reads the whole category tree through q (inside a caller's
// transaction, say); the tree is small. Service.Tree is the cached one.
func LoadTree(ctx context.Context, q store.Querier) (*Tree, error) {
	cats, err := listCategories(ctx, q)
	if err != nil {
		return nil, err
	}
	return newTree(cats), nil
}

// Ancestry lists id and its ancestors, nearest first: the categories a
// pricing scope on any of them covers.
func (t *Tree) Ancestry(id platform.ID) []platform.ID {
	path := t.Path(id)
	out := make([]platform.ID, len(path))
	for i, c := range path {
		out[len(path)-1-i] = c.ID
	}
	return out
}
