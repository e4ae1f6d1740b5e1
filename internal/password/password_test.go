package password_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"storeops/internal/password"
)

func TestHashVerify(t *testing.T) {
	h := password.NewHasher(password.Cheap, 2)
	enc, err := h.Hash("correct horse 电池")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("not PHC argon2id: %s", enc)
	}
	enc2, _ := h.Hash("correct horse 电池")
	if enc == enc2 {
		t.Fatal("two hashes of one password are equal: salt not random")
	}
	t.Run("OK", func(t *testing.T) {
		ok, rehash, err := h.Verify("correct horse 电池", enc)
		if err != nil || !ok || rehash {
			t.Fatalf("ok=%v rehash=%v err=%v", ok, rehash, err)
		}
	})
	t.Run("Wrong", func(t *testing.T) {
		ok, _, err := h.Verify("correct horse", enc)
		if err != nil || ok {
			t.Fatalf("ok=%v err=%v", ok, err)
		}
	})
	t.Run("NeedsRehash", func(t *testing.T) {
		stronger := password.Cheap
		stronger.Iterations = 2
		ok, rehash, err := password.NewHasher(stronger, 1).Verify("correct horse 电池", enc)
		if err != nil || !ok || !rehash {
			t.Fatalf("ok=%v rehash=%v err=%v", ok, rehash, err)
		}
	})
	t.Run("Malformed", func(t *testing.T) {
		for _, bad := range []string{"", "plain", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5",
			"$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5",
			"$argon2id$v=19$m=64,t=1,p=1$!!$a2V5"} {
			if _, _, err := h.Verify("x", bad); !errors.Is(err, password.ErrMalformed) {
				t.Errorf("%q: err = %v, want ErrMalformed", bad, err)
			}
		}
	})
	h.VerifyNone("anything")
}

func TestConcurrentHashing(t *testing.T) {
	h := password.NewHasher(password.Cheap, 2)
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Go(func() {
			enc, err := h.Hash("pw")
			if err != nil {
				t.Error(err)
				return
			}
			if ok, _, _ := h.Verify("pw", enc); !ok {
				t.Error("verify failed")
			}
		})
	}
	wg.Wait()
}
