package web

import "storeops/internal/platform"

// FilterProblem is how a console list shows a filter the user got wrong
// (a bad date, status or cursor): the message in lang with each field's
// reason, and the status to render the list with. ok is false for any
// other error, which the handler returns as it is.
func FilterProblem(lang platform.Lang, err error) (msg string, status int, ok bool) {
	e := platform.AsError(err)
	if e.Code != platform.CodeInvalid && e.Code != platform.CodeBadCursor {
		return "", 0, false
	}
	msg = e.Message(lang)
	for _, fe := range e.Fields {
		msg += " (" + fe.Field + ": " + platform.T(lang, fe.Key, fe.Args...) + ")"
	}
	return msg, e.Code.Status(), true
}
