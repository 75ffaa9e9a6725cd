-- Life OS v2, migration 0002: people for task assignment and project work.
-- New in v2, empty after the load.

CREATE TABLE contact_groups (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL UNIQUE,
    description text,
    color       text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    is_active   boolean NOT NULL DEFAULT true,
    sort_order  integer NOT NULL DEFAULT 0
);

CREATE TABLE contacts (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    group_id    uuid REFERENCES contact_groups(id) ON DELETE SET NULL,
    name        text NOT NULL,
    email       text CHECK (email LIKE '%_@_%'),
    phone       text,
    company     text,
    role        text,
    note        text,
    tags        text[],
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    is_active   boolean NOT NULL DEFAULT true,
    sort_order  integer NOT NULL DEFAULT 0
);

CREATE INDEX idx_contacts_group_id ON contacts (group_id);
