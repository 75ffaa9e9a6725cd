-- Life OS v2, migration 0008: audit trail, settings and saved views.
-- New in v2, empty after the load.

-- Audit trail of entity changes. entity_id is polymorphic (its table is
-- named by entity_type, a v2 table name), so it has no FK; rows outlive the
-- entity they describe.
CREATE TABLE activity_log (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entity_type text NOT NULL CHECK (entity_type <> ''),
    entity_id   uuid NOT NULL,
    action      text NOT NULL
                CHECK (action IN ('create', 'update', 'delete', 'restore', 'archive', 'complete')),
    summary     text,
    changes     jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    is_active   boolean NOT NULL DEFAULT true,
    sort_order  integer NOT NULL DEFAULT 0
);

CREATE INDEX idx_activity_log_entity ON activity_log (entity_type, entity_id);
CREATE INDEX idx_activity_log_created_at ON activity_log (created_at);

-- Application preferences, one row per key.
CREATE TABLE user_settings (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    key         text NOT NULL UNIQUE CHECK (key <> ''),
    value       jsonb NOT NULL DEFAULT 'null'::jsonb,
    description text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    is_active   boolean NOT NULL DEFAULT true,
    sort_order  integer NOT NULL DEFAULT 0
);

-- Custom filtered/sorted views; at most one default view per entity type.
CREATE TABLE saved_views (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name           text NOT NULL,
    entity_type    text NOT NULL
                   CHECK (entity_type IN ('task', 'project', 'note', 'bookmark', 'file', 'capture',
                                          'contact', 'calendar_event', 'list')),
    filters        jsonb NOT NULL DEFAULT '{}'::jsonb,
    sort_by        text,
    sort_direction text NOT NULL DEFAULT 'asc' CHECK (sort_direction IN ('asc', 'desc')),
    is_default     boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    is_active      boolean NOT NULL DEFAULT true,
    sort_order     integer NOT NULL DEFAULT 0,
    UNIQUE (entity_type, name)
);

CREATE UNIQUE INDEX uq_saved_views_default ON saved_views (entity_type) WHERE is_default;
