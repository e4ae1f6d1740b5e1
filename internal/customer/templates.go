package customer

import (
	"embed"
	"io/fs"
)

//go:embed templates
var templates embed.FS

// pageTemplates are the storefront account pages.
func pageTemplates() fs.FS {
	sub, _ := fs.Sub(templates, "templates")
	return sub
}
