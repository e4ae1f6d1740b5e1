package support

import (
	"encoding/base64"
	"html"
	"io"
	"strings"
)

// base64Reader decodes a base64 body, ignoring the line breaks mail
// wraps it in.
func base64Reader(r io.Reader) io.Reader {
	return base64.NewDecoder(base64.StdEncoding, &stripSpace{r: r})
}

// stripSpace drops whitespace from a stream.
type stripSpace struct{ r io.Reader }

func (s *stripSpace) Read(p []byte) (int, error) {
	for {
		n, err := s.r.Read(p)
		j := 0
		for _, c := range p[:n] {
			if c != '\r' && c != '\n' && c != ' ' && c != '\t' {
				p[j] = c
				j++
			}
		}
		if j > 0 || err != nil {
			return j, err
		}
	}
}

// htmlUnescape turns entities back into text and collapses the blank
// lines tag removal leaves.
func htmlUnescape(s string) string {
	s = html.UnescapeString(s)
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}
