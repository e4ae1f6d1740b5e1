package customer

import (
	"net/mail"
	"regexp"
	"strings"
	"unicode/utf8"

	"storeops/internal/platform"
)

// Password length bounds, in characters.
const (
	MinPassword = 8
	MaxPassword = 128
)

var mobileRE = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

// NormalizeMobile reads a mainland China mobile number, tolerating spaces,
// dashes and a +86 prefix: "+86 138-1234-5678" → "13812345678". ok is
// false when what remains is not 11 digits starting 1[3-9].
func NormalizeMobile(s string) (string, bool) {
	s = strings.NewReplacer(" ", "", "-", "", "\u00a0", "").Replace(strings.TrimSpace(s))
	if strings.HasPrefix(s, "+86") {
		s = s[3:]
	} else if len(s) == 13 && strings.HasPrefix(s, "86") {
		s = s[2:]
	}
	return s, mobileRE.MatchString(s)
}

// NormalizeEmail trims and lower-cases an address; ok is false when it is
// not a plain address (no display name, one @, a dot in the domain).
func NormalizeEmail(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || len(s) > 254 {
		return s, false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return s, false
	}
	at := strings.LastIndexByte(s, '@')
	return s, at > 0 && strings.Contains(s[at+1:], ".")
}

// SignUpInput is a new account. Email or Mobile (or both) is required.
type SignUpInput struct {
	Email    string `json:"email,omitempty"`
	Mobile   string `json:"mobile,omitempty"`
	Password string `json:"password"`
	Name     string `json:"name,omitempty"`
	// Marketing lists the channels (sms, email) the customer agreed to
	// receive offers on when signing up; recorded with source "signup".
	Marketing []string `json:"marketing,omitempty"`
}

// Validate normalises the input in place and reports every invalid field.
func (in *SignUpInput) Validate() error {
	e := platform.E(platform.CodeInvalid)
	in.Name = strings.TrimSpace(in.Name)
	if in.Email == "" && in.Mobile == "" {
		e.With("login", "customer.login_required")
	}
	if in.Email != "" {
		var ok bool
		if in.Email, ok = NormalizeEmail(in.Email); !ok {
			e.With("email", "customer.email_invalid")
		}
	}
	if in.Mobile != "" {
		var ok bool
		if in.Mobile, ok = NormalizeMobile(in.Mobile); !ok {
			e.With("mobile", "customer.mobile_invalid")
		}
	}
	checkPassword(e, "password", in.Password)
	checkLen(e, "name", in.Name, 50, false)
	seen := map[string]bool{}
	for _, ch := range in.Marketing {
		if (ch != ChannelSMS && ch != ChannelEmail) || seen[ch] {
			e.With("marketing", "field.invalid")
			break
		}
		seen[ch] = true
	}
	return orNil(e)
}

func checkPassword(e *platform.Error, field, pw string) {
	switch n := utf8.RuneCountInString(pw); {
	case n == 0:
		e.With(field, "field.required")
	case n < MinPassword:
		e.With(field, "customer.password_short", MinPassword)
	case n > MaxPassword:
		e.With(field, "field.too_long", MaxPassword)
	}
}

// checkLen adds field.required for an empty required value and
// field.too_long past max characters.
func checkLen(e *platform.Error, field, v string, max int, required bool) {
	switch {
	case required && v == "":
		e.With(field, "field.required")
	case utf8.RuneCountInString(v) > max:
		e.With(field, "field.too_long", max)
	}
}

// loginKind tells an email from a mobile number in a sign-in form.
func loginKind(login string) (column, value string, ok bool) {
	if strings.Contains(login, "@") {
		v, ok := NormalizeEmail(login)
		return "email", v, ok
	}
	v, ok := NormalizeMobile(login)
	return "mobile", v, ok
}

// orNil returns e when it names a field, else nil (a typed nil *Error
// must never become a non-nil error).
func orNil(e *platform.Error) error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}
