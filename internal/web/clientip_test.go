package web

import (
	"net/http/httptest"
	"testing"
)

func TestClientIP(t *testing.T) {
	trusted, err := ParsePrefixes("10.0.0.0/8, 192.168.1.10")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, peer, xff, want string
		trusted               bool
	}{
		{"no proxies configured: the peer", "203.0.113.7:5000", "1.2.3.4", "203.0.113.7", false},
		{"untrusted peer: its header is ignored", "203.0.113.7:5000", "1.2.3.4", "203.0.113.7", true},
		{"trusted balancer: the forwarded client", "10.1.2.3:5000", "198.51.100.9", "198.51.100.9", true},
		{"two trusted hops, a forged left part", "10.1.2.3:5000", "6.6.6.6, 198.51.100.9, 192.168.1.10", "198.51.100.9", true},
		{"malformed chain: the peer", "10.1.2.3:5000", "not-an-ip", "10.1.2.3", true},
		{"trusted peer without a header", "10.1.2.3:5000", "", "10.1.2.3", true},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.peer
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		list := trusted
		if !c.trusted {
			list = nil
		}
		if got := clientIPOf(r, list); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	if _, err := ParsePrefixes("10.0.0.0/33"); err == nil {
		t.Error("a bad CIDR was accepted")
	}
}
