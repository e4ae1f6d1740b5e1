package support

import (
	"context"
	"strings"
	"unicode/utf8"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// maxComment bounds a survey comment.
const maxComment = 1000

// Survey records the customer's satisfaction with a resolved ticket, once,
// by the token of the link they were sent (no sign-in: the link is the
// credential, and it only ever rates one ticket).
//
// Errors: CodeInvalid (422, score outside 1–5 or comment too long),
// CodeNotFound (unknown token), CodeSurveyUnavailable (409, answered
// already or the ticket reopened), or a database error.
func (s *Service) Survey(ctx context.Context, tok string, in SurveyInput) error {
	in.Comment = strings.TrimSpace(in.Comment)
	e := platform.E(platform.CodeInvalid)
	if in.Score < 1 || in.Score > 5 {
		e.With("score", "support.field.score")
	}
	if utf8.RuneCountInString(in.Comment) > maxComment {
		e.With("comment", "field.too_long", maxComment)
	}
	if len(e.Fields) > 0 {
		return e
	}
	if tok == "" || len(tok) > 64 {
		return platform.NotFound("survey")
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE support_tickets SET csat_score = $1, csat_comment = $2, csat_at = $3
			WHERE csat_token = $4 AND csat_score IS NULL AND status IN ('resolved', 'closed')`, in.Score, in.Comment, tx.Now, tok)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return nil
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM support_tickets WHERE csat_token = $1`, tok).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return platform.NotFound("survey")
		}
		return platform.E(CodeSurveyUnavailable)
	})
}

// SurveyTicket is the ticket a survey token rates (for the survey page).
//
// Errors: CodeNotFound.
func (s *Service) SurveyTicket(ctx context.Context, tok string) (Ticket, error) {
	if tok == "" || len(tok) > 64 {
		return Ticket{}, platform.NotFound("survey")
	}
	var id platform.ID
	if err := s.db.R.QueryRowContext(ctx, `SELECT id FROM support_tickets WHERE csat_token = $1`, tok).Scan(&id); err != nil {
		return Ticket{}, platform.NotFound("survey")
	}
	return getTicket(ctx, s.db.R, id)
}
