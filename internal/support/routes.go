package support

import (
	"net/http"

	"storeops/internal/platform"
	"storeops/internal/web"
)

func (h *handlers) routes() []web.Route {
	const tag = "support"
	admin := "/api/v1/admin/support/tickets/{id}/"
	action := func(name, summary, desc string, req any) web.Route {
		return web.Route{Method: http.MethodPost, Path: admin + name, Surface: web.AdminAPI, Perm: PermHandle, Handler: h.adminAction(name),
			Doc: &web.OpenAPIOp{Tag: tag, Summary: summary, Description: desc, Request: req, Response: StaffTicket{}}}
	}
	routes := []web.Route{
		{Method: http.MethodPost, Path: "/api/v1/support/tickets", Surface: web.API, Handler: h.apiContact,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Contact customer service: open a ticket",
				Description: "A signed-in shopper's ticket is theirs; a guest must give an email or a mobile number. type is pre_sale, in_order, after_sale, complaint or suggestion; order_id must be the shopper's own order. 429 support_too_many after ten contacts in an hour.",
				Request:     NewTicket{}, Response: Ticket{}, Status: http.StatusCreated}},
		{Method: http.MethodGet, Path: "/api/v1/customers/me/tickets", Surface: web.API, Customer: true, Handler: h.apiMyTickets,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "The signed-in customer's tickets, newest first (at most 100)", Response: struct {
				Items []Ticket `json:"items"`
			}{}}},
		{Method: http.MethodGet, Path: ticketPath, Surface: web.API, Customer: true, Handler: h.apiMyTicket,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "One of the signed-in customer's tickets with its conversation", Description: "Another customer's ticket is 404.", Response: TicketDetail{}}},
		{Method: http.MethodPost, Path: ticketPath + "/messages", Surface: web.API, Customer: true, Handler: h.apiMyReply,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Add a message to one of the signed-in customer's tickets",
				Description: "A pending or resolved ticket opens again; 409 support_ticket_closed on a closed one.", Request: ReplyInput{}, Response: TicketDetail{}, Status: http.StatusCreated}},
		{Method: http.MethodPost, Path: "/api/v1/support/surveys/{token}", Surface: web.API, Handler: h.apiSurvey,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Rate a resolved ticket (CSAT) with the token of the survey link",
				Description: "score 1–5 and an optional comment, once per ticket: 409 support_survey_unavailable after that.", Request: SurveyInput{}, Status: http.StatusNoContent}},

		{Method: http.MethodGet, Path: "/api/v1/admin/support/tickets", Surface: web.AdminAPI, Perm: PermView, Handler: h.adminList,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "List tickets, newest first", Query: adminQuery, Response: platform.Page[Ticket]{}}},
		{Method: http.MethodPost, Path: "/api/v1/admin/support/tickets", Surface: web.AdminAPI, Perm: PermHandle, Handler: h.adminPhone,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Log a phone call as a ticket", Request: PhoneInput{}, Response: StaffTicket{}, Status: http.StatusCreated}},
		{Method: http.MethodGet, Path: "/api/v1/admin/support/tickets/{id}", Surface: web.AdminAPI, Perm: PermView, Handler: h.adminGet,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "One ticket with its conversation and internal notes", Response: StaffTicket{}}},
		action("reply", "Reply to the customer", "Stops the first-response timer; the ticket waits on the customer. Email contacts get the reply by email. body, or canned_id to send a canned reply with the ticket's variables. 409 support_ticket_closed.", StaffReplyInput{}),
		action("note", "Add an internal note the customer never sees", "", StaffReplyInput{}),
		action("assign", "Assign the ticket to an agent and/or a team", "422 support_not_agent unless the staff user is an active agent.", AssignInput{}),
		action("classify", "Record the type, priority and cause", "A new priority moves the deadlines not yet met.", Classify{}),
		action("resolve", "Mark the ticket resolved and send the satisfaction survey", "", nil),
		action("close", "Close the ticket", "", nil),
		action("orders", "Link an order by its number", "", LinkInput{}),
		{Method: http.MethodGet, Path: "/api/v1/admin/support/metrics", Surface: web.AdminAPI, Perm: PermReport, Handler: h.apiMetrics,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Service metrics per agent, team and in total for tickets opened in a period",
				Description: "First response and resolution in working seconds, SLA attainment, CSAT, backlog now.", Query: periodQuery, Response: Metrics{}}},
		{Method: http.MethodGet, Path: "/api/v1/admin/support/report", Surface: web.AdminAPI, Perm: PermReport, Handler: h.apiReport,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Contact reasons by type and week, top causes with the product, carrier or policy they point at, CSAT and repeat contacts",
				Query: periodQuery, Response: Report{}}},
		{Method: http.MethodGet, Path: "/api/v1/admin/support/customers/{id}", Surface: web.AdminAPI, Perm: PermView, Handler: h.apiCustomer,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Customer 360: orders, lifetime value, tickets and satisfaction of one customer", Response: Customer360{}}},
	}
	console := "/console/support/tickets/{id}/"
	for _, a := range []string{"reply", "note", "assign", "classify", "resolve", "close", "orders"} {
		routes = append(routes, web.Route{Method: http.MethodPost, Path: console + a, Surface: web.Console, Perm: PermHandle, Handler: h.consoleAction(a)})
	}
	for _, f := range []string{"agent", "team", "sla", "hours", "day", "canned", "care"} {
		routes = append(routes, web.Route{Method: http.MethodPost, Path: "/console/support/settings/" + f, Surface: web.Console, Perm: PermAdmin, Handler: h.settingsForm(f)})
	}
	routes = append(routes,
		web.Route{Method: http.MethodGet, Path: "/contact", Surface: web.Shop, Handler: h.contactPage},
		web.Route{Method: http.MethodPost, Path: "/contact", Surface: web.Shop, Handler: h.contactForm},
		web.Route{Method: http.MethodGet, Path: "/support/survey/{token}", Surface: web.Shop, Handler: h.surveyPage},
		web.Route{Method: http.MethodPost, Path: "/support/survey/{token}", Surface: web.Shop, Handler: h.surveyForm},
		web.Route{Method: http.MethodGet, Path: "/console/support", Surface: web.Console, Perm: PermView, Handler: h.queuePage},
		web.Route{Method: http.MethodGet, Path: "/console/support/tickets/{id}", Surface: web.Console, Perm: PermView, Handler: h.detailPage},
		web.Route{Method: http.MethodGet, Path: "/console/support/metrics", Surface: web.Console, Perm: PermReport, Handler: h.metricsPage},
		web.Route{Method: http.MethodGet, Path: "/console/support/report", Surface: web.Console, Perm: PermReport, Handler: h.reportPage},
		web.Route{Method: http.MethodGet, Path: "/console/support/settings", Surface: web.Console, Perm: PermAdmin, Handler: h.settingsPage},
		web.Route{Method: http.MethodGet, Path: "/console/support/phone", Surface: web.Console, Perm: PermHandle, Handler: h.phonePage},
		web.Route{Method: http.MethodPost, Path: "/console/support/phone", Surface: web.Console, Perm: PermHandle, Handler: h.phoneForm},
	)
	return routes
}
