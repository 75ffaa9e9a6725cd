-- Life OS v2, migration 0009: full-text search helper.
--
-- Decision: search_index is a regular table, not a materialized view. The
-- application maintains it (one row per indexed task, note, bookmark or
-- file, written when that entity changes). It is therefore empty right
-- after the dumpshift load and needs no REFRESH inside the load
-- transaction; the application (re)builds it from the loaded rows.
-- entity_id is polymorphic (its table is named by entity_type), so it has
-- no FK.
CREATE TABLE search_index (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entity_type text NOT NULL CHECK (entity_type IN ('task', 'note', 'bookmark', 'file')),
    entity_id   uuid NOT NULL,
    domain_id   uuid REFERENCES domains(id) ON DELETE CASCADE,
    title       text NOT NULL,
    document    tsvector NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    is_active   boolean NOT NULL DEFAULT true,
    sort_order  integer NOT NULL DEFAULT 0,
    UNIQUE (entity_type, entity_id)
);

CREATE INDEX idx_search_index_document ON search_index USING gin (document);
CREATE INDEX idx_search_index_domain_id ON search_index (domain_id);
