package search

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// Todo is a note for the catalog team left from the keyword report:
// shoppers ask for something the shop does not carry.
type Todo struct {
	ID        platform.ID `json:"id"`
	Query     string      `json:"query"`
	Note      string      `json:"note"`
	Searches  int         `json:"searches"`
	Status    string      `json:"status"`
	CreatedAt time.Time   `json:"created_at"`
}

const maxTodoNote = 200

// Todos manages the report's notes; each write is audited in its
// transaction.
type Todos struct{ db *store.DB }

// NewTodos makes the notes service on db.
func NewTodos(db *store.DB) *Todos { return &Todos{db: db} }

// Open lists the open notes, newest first.
func (s *Todos) Open(ctx context.Context) ([]Todo, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT id, query, note, searches, status, created_at FROM search_todos
		WHERE status = 'open' ORDER BY id DESC LIMIT 100`)
	if err != nil {
		return nil, fmt.Errorf("search: list todos: %w", err)
	}
	defer rows.Close()
	out := []Todo{}
	for rows.Next() {
		var t Todo
		if err := rows.Scan(&t.ID, &t.Query, &t.Note, &t.Searches, &t.Status, &t.CreatedAt); err != nil {
			return nil, fmt.Errorf("search: list todos: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Add leaves a note for query. Errors: CodeInvalid for an empty or too
// long query or note, CodeConflict when the query already has an open
// note.
func (s *Todos) Add(ctx context.Context, actor audit.Actor, query, note string, searches int) (Todo, error) {
	query = normalizeString(query)
	note = strings.TrimSpace(note)
	if query == "" || utf8.RuneCountInString(query) > maxQueryRunes {
		return Todo{}, platform.Invalid("query", "search.query_too_long", maxQueryRunes)
	}
	if note == "" || utf8.RuneCountInString(note) > maxTodoNote {
		return Todo{}, platform.Invalid("note", "search.todo_note")
	}
	var t Todo
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		t = Todo{ID: tx.NewID(), Query: query, Note: note, Searches: max(searches, 0), Status: "open", CreatedAt: tx.Now}
		_, err := tx.ExecContext(ctx, `INSERT INTO search_todos (id, query, note, searches, status, created_at)
			VALUES ($1, $2, $3, $4, 'open', $5)`, t.ID, t.Query, t.Note, t.Searches, tx.Now)
		if store.IsUniqueViolation(err) {
			return platform.Errorf(platform.CodeConflict, "search.todo_exists")
		}
		if err != nil {
			return fmt.Errorf("search: add todo: %w", err)
		}
		return audit.Change(ctx, tx, actor, "search.todo_create", "search_todo", t.ID, nil, t)
	})
	return t, err
}

// Done closes a note. Errors: CodeNotFound for an unknown or closed note.
func (s *Todos) Done(ctx context.Context, actor audit.Actor, id platform.ID) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE search_todos SET status = 'done', done_at = $1 WHERE id = $2 AND status = 'open'`, tx.Now, id)
		if err != nil {
			return fmt.Errorf("search: close todo: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return platform.NotFound("search_todo")
		}
		return audit.Change(ctx, tx, actor, "search.todo_done", "search_todo", id, map[string]string{"status": "open"}, map[string]string{"status": "done"})
	})
}
