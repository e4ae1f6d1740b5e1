package customer

import (
	"net/http"

	"storeops/internal/web"
)

// accountRoutes are the API of the account features: sign-in by code,
// password reset, profile, consent, data export and deletion.
func (h *handlers) accountRoutes() []web.Route {
	const tag = "customers"
	return []web.Route{
		{Method: http.MethodPost, Path: "/api/v1/customers/codes", Surface: web.API, Handler: h.sendCode,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Send a six-digit sign-in code by SMS",
				Description: "The code lives 5 minutes and works once. One code a minute per number; requests are limited per number and per client address (429 with Retry-After).",
				Request: struct {
					Mobile string `json:"mobile"`
				}{}, Response: CodeSent{}, Status: http.StatusAccepted}},
		{Method: http.MethodPost, Path: "/api/v1/customers/signin/code", Surface: web.API, Handler: h.signInCode,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Sign in, or sign up, with a mobile number and the code sent to it",
				Description: "201 when the number had no account and one was created. A code burns after 5 wrong tries; 401 customer_code_invalid for a wrong, expired or used code.",
				Request:     CodeSignInInput{}, Response: Customer{}}},
		{Method: http.MethodPost, Path: "/api/v1/customers/password/reset", Surface: web.API, Handler: h.requestReset,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Email a password reset link",
				Description: "Always 202, whether or not the address is registered. The link works once within 30 minutes.",
				Request: struct {
					Email string `json:"email"`
				}{}, Status: http.StatusAccepted}},
		{Method: http.MethodPost, Path: "/api/v1/customers/password/reset/confirm", Surface: web.API, Handler: h.confirmReset,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Set a new password with the token from the reset email",
				Description: "Signs every session of the account out. 400 customer_reset_invalid for an unknown, expired or used token.",
				Request:     ResetInput{}, Status: http.StatusNoContent}},
		{Method: http.MethodGet, Path: "/api/v1/customers/me/profile", Surface: web.API, Customer: true, Handler: h.profile,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "The signed-in customer's profile and marketing consents", Response: Profile{}}},
		{Method: http.MethodPut, Path: "/api/v1/customers/me/profile", Surface: web.API, Customer: true, Handler: h.updateProfile,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Replace name, gender, birthday (YYYY-MM-DD) and language",
				Request: ProfileInput{}, Response: Profile{}}},
		{Method: http.MethodPut, Path: "/api/v1/customers/me/consents", Surface: web.API, Customer: true, Handler: h.setConsent,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Grant or withdraw marketing consent on one channel (sms or email)",
				Request: ConsentInput{}, Response: []Consent{}}},
		{Method: http.MethodGet, Path: "/api/v1/customers/me/export", Surface: web.API, Customer: true, Handler: h.export,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Download everything the shop holds about the signed-in customer (JSON)", Response: Export{}}},
		{Method: http.MethodDelete, Path: "/api/v1/customers/me", Surface: web.API, Customer: true, Handler: h.deleteAccount,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Delete the signed-in account",
				Description: `Body {"confirm":"DELETE"}. Personal data is anonymised and every session ends; orders are kept for accounting and tax with personal fields masked. Sign-in is impossible afterwards.`,
				Request:     DeleteInput{}, Status: http.StatusNoContent}},
	}
}
