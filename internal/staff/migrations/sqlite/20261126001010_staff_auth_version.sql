-- +goose Up
-- A staff user's credential generation. A console session remembers the
-- value it was signed in under and ends once it changes (password set or
-- changed, account deactivated or reactivated).
ALTER TABLE staff_users ADD COLUMN auth_version INTEGER NOT NULL DEFAULT 1;

-- +goose Down
ALTER TABLE staff_users DROP COLUMN auth_version;
