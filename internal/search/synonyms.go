package search

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"storeops/internal/audit"
	"storeops/internal/outbox"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// TopicSynonymsChanged is published when the console changes a synonym
// group, so every node's index reloads the groups.
const TopicSynonymsChanged = "search.synonyms_changed"

// Synonym limits keep a group a list of words, not a document.
const (
	maxSynonymTerms   = 10
	maxSynonymTermLen = 20 // runes
)

// SynonymGroup is a set of words a shopper may use for the same thing
// (手机壳 = 保护壳).
type SynonymGroup struct {
	ID        platform.ID `json:"id"`
	Terms     []string    `json:"terms"`
	CreatedAt time.Time   `json:"created_at"`
}

// synonymSet is the groups by term, as a query looks them up.
type synonymSet struct {
	byTerm map[string][]string
	// terms are every group's words, longest first, so a query takes the
	// longest synonym it contains.
	terms []string
}

func newSynonymSet(groups []SynonymGroup) *synonymSet {
	s := &synonymSet{byTerm: map[string][]string{}}
	for _, g := range groups {
		for _, t := range g.Terms {
			if _, seen := s.byTerm[t]; !seen {
				s.terms = append(s.terms, t)
			}
			s.byTerm[t] = appendUnique(s.byTerm[t], g.Terms...)
		}
	}
	sort.Slice(s.terms, func(i, j int) bool {
		li, lj := utf8.RuneCountInString(s.terms[i]), utf8.RuneCountInString(s.terms[j])
		if li != lj {
			return li > lj
		}
		return s.terms[i] < s.terms[j]
	})
	return s
}

func appendUnique(dst []string, vs ...string) []string {
	for _, v := range vs {
		found := false
		for _, d := range dst {
			if d == v {
				found = true
				break
			}
		}
		if !found {
			dst = append(dst, v)
		}
	}
	return dst
}

// parseSynonymTerms reads a group as typed in the console: words
// separated by commas (either width), 、, = or new lines.
// Errors: CodeInvalid when fewer than two distinct words remain, or a
// word is too long, or there are too many.
func parseSynonymTerms(s string) ([]string, error) {
	f := func(r rune) bool {
		return r == ',' || r == '，' || r == '、' || r == '=' || r == '\n' || r == ';' || r == '；'
	}
	var terms []string
	for _, part := range strings.FieldsFunc(s, f) {
		t := normalizeString(part)
		if t == "" {
			continue
		}
		if utf8.RuneCountInString(t) > maxSynonymTermLen {
			return nil, platform.Invalid("terms", "search.synonym_too_long", maxSynonymTermLen)
		}
		terms = appendUnique(terms, t)
	}
	if len(terms) < 2 {
		return nil, platform.Invalid("terms", "search.synonym_needs_two")
	}
	if len(terms) > maxSynonymTerms {
		return nil, platform.Invalid("terms", "search.synonym_too_many", maxSynonymTerms)
	}
	return terms, nil
}

// listSynonyms reads every group, oldest first.
func listSynonyms(ctx context.Context, q store.Querier) ([]SynonymGroup, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, terms, created_at FROM search_synonyms ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("search: list synonyms: %w", err)
	}
	defer rows.Close()
	out := []SynonymGroup{}
	for rows.Next() {
		var g SynonymGroup
		var terms string
		if err := rows.Scan(&g.ID, &terms, &g.CreatedAt); err != nil {
			return nil, fmt.Errorf("search: list synonyms: %w", err)
		}
		g.Terms = strings.Split(terms, ",")
		out = append(out, g)
	}
	return out, rows.Err()
}

// Synonyms manages the synonym groups. Its writes are audited and
// published in the same transaction.
type Synonyms struct{ db *store.DB }

// List returns every group.
func (s *Synonyms) List(ctx context.Context) ([]SynonymGroup, error) {
	var out []SynonymGroup
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		out, err = listSynonyms(ctx, tx)
		return err
	})
	return out, err
}

// Add creates a group from its words as typed (see parseSynonymTerms).
// Errors: CodeInvalid for a bad list, CodeConflict when the same group
// exists.
func (s *Synonyms) Add(ctx context.Context, actor audit.Actor, text string) (SynonymGroup, error) {
	terms, err := parseSynonymTerms(text)
	if err != nil {
		return SynonymGroup{}, err
	}
	sorted := append([]string(nil), terms...)
	sort.Strings(sorted)
	var g SynonymGroup
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		g = SynonymGroup{ID: tx.NewID(), Terms: terms, CreatedAt: tx.Now}
		_, err := tx.ExecContext(ctx, `INSERT INTO search_synonyms (id, terms, created_at, updated_at) VALUES ($1, $2, $3, $3)`,
			g.ID, strings.Join(sorted, ","), tx.Now)
		if store.IsUniqueViolation(err) {
			return platform.Errorf(platform.CodeConflict, "search.synonym_exists")
		}
		if err != nil {
			return fmt.Errorf("search: add synonyms: %w", err)
		}
		g.Terms = sorted
		if err := audit.Change(ctx, tx, actor, "search.synonym_create", "search_synonym", g.ID, nil, g); err != nil {
			return err
		}
		return outbox.Publish(ctx, tx, outbox.Event{Topic: TopicSynonymsChanged, Key: g.ID.String()})
	})
	return g, err
}

// Delete removes a group. Errors: CodeNotFound for an unknown id.
func (s *Synonyms) Delete(ctx context.Context, actor audit.Actor, id platform.ID) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		var g SynonymGroup
		var terms string
		err := tx.QueryRowContext(ctx, `SELECT id, terms, created_at FROM search_synonyms WHERE id = $1`, id).
			Scan(&g.ID, &terms, &g.CreatedAt)
		if errors.Is(err, sql.ErrNoRows) {
			return platform.NotFound("search_synonym")
		}
		if err != nil {
			return fmt.Errorf("search: delete synonyms: %w", err)
		}
		g.Terms = strings.Split(terms, ",")
		if _, err := tx.ExecContext(ctx, `DELETE FROM search_synonyms WHERE id = $1`, id); err != nil {
			return fmt.Errorf("search: delete synonyms: %w", err)
		}
		if err := audit.Change(ctx, tx, actor, "search.synonym_delete", "search_synonym", id, g, nil); err != nil {
			return err
		}
		return outbox.Publish(ctx, tx, outbox.Event{Topic: TopicSynonymsChanged, Key: id.String()})
	})
}

// actorOf is the audit actor of a console request.
func actorOf(r *http.Request) audit.Actor { return audit.ActorFrom(r) }

// NewSynonyms makes the synonym service on db.
func NewSynonyms(db *store.DB) *Synonyms { return &Synonyms{db: db} }
