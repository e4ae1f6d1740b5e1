package customer

import (
	"net/http"
	"strconv"

	"storeops/internal/platform"
	"storeops/internal/web"
)

// routes is the customer API table.
func (h *handlers) routes() []web.Route {
	const tag = "customers"
	page := []web.QueryParam{
		{Name: "cursor", Description: "opaque cursor from the previous page's next_cursor"},
		{Name: "limit", Description: "page size, 1–200, default 20"},
	}
	return []web.Route{
		{Method: http.MethodGet, Path: "/api/v1/regions", Surface: web.API, Handler: h.regions,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Provinces, or the cities or districts under a code, for address pickers",
				Query:    []web.QueryParam{{Name: "parent", Description: "six-digit province or city code; empty lists the provinces"}},
				Response: []RegionOption{}}},
		{Method: http.MethodPost, Path: "/api/v1/customers/signup", Surface: web.API, Handler: h.signUp,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Create a customer account and sign in",
				Description: "Email or mobile (or both) with a password. Sets the storeops_shop session cookie.",
				Request:     SignUpInput{}, Response: Customer{}, Status: http.StatusCreated}},
		{Method: http.MethodPost, Path: "/api/v1/customers/signin", Surface: web.API, Handler: h.signIn,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Sign in with email or mobile and password",
				Description: "Sets the storeops_shop session cookie. Repeated failures lock the login and the client address for a while (429 with Retry-After).",
				Request:     SignInInput{}, Response: Customer{}}},
		{Method: http.MethodPost, Path: "/api/v1/customers/signout", Surface: web.API, Handler: h.signOut,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Sign out this session", Status: http.StatusNoContent}},
		{Method: http.MethodGet, Path: "/api/v1/customers/me", Surface: web.API, Customer: true, Handler: h.me,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "The signed-in customer", Response: Customer{}}},
		{Method: http.MethodGet, Path: "/api/v1/customers/me/addresses", Surface: web.API, Customer: true, Handler: h.listAddresses,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "List the signed-in customer's addresses", Query: page,
				Response: platform.Page[Address]{}}},
		{Method: http.MethodPost, Path: "/api/v1/customers/me/addresses", Surface: web.API, Customer: true, Handler: h.createAddress,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Add an address", Request: AddressInput{}, Response: Address{}, Status: http.StatusCreated, Idempotent: true}},
		{Method: http.MethodPut, Path: "/api/v1/customers/me/addresses/{id}", Surface: web.API, Customer: true, Handler: h.updateAddress,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Replace an address", Request: AddressInput{}, Response: Address{}}},
		{Method: http.MethodDelete, Path: "/api/v1/customers/me/addresses/{id}", Surface: web.API, Customer: true, Handler: h.deleteAddress,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Delete an address", Status: http.StatusNoContent}},
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
