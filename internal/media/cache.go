package media

import "sync"

// variantCache keeps resized variants up to a byte budget, dropping
// arbitrary entries when full (they are rebuilt on demand from the
// original). It is local to the node: nothing is lost when it is.
type variantCache struct {
	mu    sync.RWMutex
	max   int
	bytes int
	m     map[variantKey]*File
}

// variantKey names a variant: the store it came from (two stores may
// hold the same id space), the image and the width.
type variantKey struct {
	store string
	id    int64
	width int
}

func newVariantCache(max int) *variantCache {
	return &variantCache{max: max, m: map[variantKey]*File{}}
}

// shared is the node's cache, used by every Service that does not bring
// its own, so a variant made on upload serves the storefront at once.
var shared = newVariantCache(64 << 20)

func (c *variantCache) get(k variantKey) (*File, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	f, ok := c.m[k]
	return f, ok
}

func (c *variantCache) put(k variantKey, f *File) {
	if len(f.Data) > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[k]; ok {
		c.bytes -= len(old.Data)
		delete(c.m, k)
	}
	for key, v := range c.m {
		if c.bytes+len(f.Data) <= c.max {
			break
		}
		delete(c.m, key)
		c.bytes -= len(v.Data)
	}
	c.m[k] = f
	c.bytes += len(f.Data)
}

// drop forgets every variant of an image (after it is deleted).
func (c *variantCache) drop(storeName string, id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, w := range Widths {
		k := variantKey{storeName, id, w}
		if v, ok := c.m[k]; ok {
			c.bytes -= len(v.Data)
			delete(c.m, k)
		}
	}
}
