package support

import (
	"net/http"

	"storeops/internal/platform"
)

// The service desk's error codes. Clients branch on them; they never
// change once released.
var (
	// CodeTicketClosed (409): the ticket is closed; a new contact opens a
	// new ticket.
	CodeTicketClosed = platform.NewCode("support_ticket_closed", http.StatusConflict,
		platform.Message{ZH: "工单已关闭，如有新问题请重新提交", EN: "The ticket is closed; please open a new one"})
	// CodeNotResolved (409): a survey is answered only once the ticket is
	// resolved, and only once.
	CodeSurveyUnavailable = platform.NewCode("support_survey_unavailable", http.StatusConflict,
		platform.Message{ZH: "该评价已提交或暂不可评价", EN: "This survey was already answered or is not open"})
	// CodeNotAgent (422): the staff user is not an active agent.
	CodeNotAgent = platform.NewCode("support_not_agent", http.StatusUnprocessableEntity,
		platform.Message{ZH: "该员工不是在岗客服", EN: "That staff user is not an active agent"})
	// CodeTooMany (429): too many contacts from one address in a short
	// time.
	CodeTooMany = platform.NewCode("support_too_many", http.StatusTooManyRequests,
		platform.Message{ZH: "提交过于频繁，请稍后再试", EN: "Too many messages; please try again later"})
)
