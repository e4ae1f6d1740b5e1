package web

// OpenAPIOp documents one API route for /api/openapi.json. Request and
// Response are example values whose Go types the generator reflects into
// JSON Schema; nil means no body.
type OpenAPIOp struct {
	Summary     string
	Description string
	Tag         string
	// Query names the query parameters the route reads.
	Query []QueryParam
	// Request is a value of the request body's type.
	Request any
	// Response is a value of the success body's type; Status its code
	// (200 by default).
	Response any
	Status   int
	// Idempotent marks routes that honour the Idempotency-Key header.
	Idempotent bool
}

// QueryParam is one documented query parameter.
type QueryParam struct {
	Name        string
	Description string
	Required    bool
}
