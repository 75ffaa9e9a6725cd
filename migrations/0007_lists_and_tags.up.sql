-- Life OS v2, migration 0007: lists and normalized tags.
-- New in v2, empty after the load. The text[] tags columns of tasks, notes,
-- bookmarks and files stay; tags/entity_tags are meant to replace them
-- eventually.

-- Named checklists and note lists.
CREATE TABLE lists (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    domain_id   uuid REFERENCES domains(id) ON DELETE CASCADE,
    project_id  uuid REFERENCES projects(id) ON DELETE SET NULL,
    name        text NOT NULL,
    description text,
    list_type   text NOT NULL DEFAULT 'checklist'
                CHECK (list_type IN ('checklist', 'note_list')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    is_active   boolean NOT NULL DEFAULT true,
    sort_order  integer NOT NULL DEFAULT 0
);

CREATE INDEX idx_lists_domain_id ON lists (domain_id);
CREATE INDEX idx_lists_project_id ON lists (project_id);

CREATE TABLE list_items (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    list_id        uuid NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
    parent_item_id uuid REFERENCES list_items(id) ON DELETE CASCADE,
    content        text NOT NULL,
    is_completed   boolean NOT NULL DEFAULT false,
    completed_at   timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    is_active      boolean NOT NULL DEFAULT true,
    sort_order     integer NOT NULL DEFAULT 0,
    CONSTRAINT list_items_parent_not_self CHECK (parent_item_id <> id)
);

CREATE INDEX idx_list_items_list_id ON list_items (list_id);
CREATE INDEX idx_list_items_parent_item_id ON list_items (parent_item_id);

CREATE TABLE tags (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL UNIQUE CHECK (name <> ''),
    color       text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    is_active   boolean NOT NULL DEFAULT true,
    sort_order  integer NOT NULL DEFAULT 0
);

-- Junction: a tag on any entity. entity_id is polymorphic (its table is
-- named by entity_type), so it has no FK.
CREATE TABLE entity_tags (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tag_id      uuid NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    entity_type text NOT NULL
                CHECK (entity_type IN ('domain', 'area', 'project', 'task', 'note', 'bookmark',
                                       'file', 'capture', 'contact', 'calendar_event', 'list')),
    entity_id   uuid NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    is_active   boolean NOT NULL DEFAULT true,
    sort_order  integer NOT NULL DEFAULT 0,
    UNIQUE (tag_id, entity_type, entity_id)
);

CREATE INDEX idx_entity_tags_entity ON entity_tags (entity_type, entity_id);
