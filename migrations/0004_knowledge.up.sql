-- Life OS v2, migration 0004: notes, capture, bookmarks and files.
-- notes, capture, bookmarks (v1 links, renamed) and files are mapped from v1;
-- note_links and bookmark_folders are new.

CREATE TABLE notes (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    domain_id      uuid NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
    project_id     uuid REFERENCES projects(id) ON DELETE SET NULL,
    task_id        uuid REFERENCES tasks(id) ON DELETE SET NULL,
    title          text NOT NULL,
    body           text,
    content_format text NOT NULL DEFAULT 'markdown',
    tags           text[],
    is_pinned      boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    is_active      boolean NOT NULL DEFAULT true,
    sort_order     integer NOT NULL DEFAULT 0
);

CREATE INDEX idx_notes_domain_id ON notes (domain_id);
CREATE INDEX idx_notes_project_id ON notes (project_id);
CREATE INDEX idx_notes_task_id ON notes (task_id);

-- New in v2: cross-references from a note to another entity. target_id is
-- polymorphic (its table is named by target_type), so it has no FK.
CREATE TABLE note_links (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    note_id     uuid NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    target_type text NOT NULL
                CHECK (target_type IN ('note', 'task', 'project', 'area', 'domain',
                                       'bookmark', 'file', 'contact', 'calendar_event', 'list')),
    target_id   uuid NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    is_active   boolean NOT NULL DEFAULT true,
    sort_order  integer NOT NULL DEFAULT 0,
    UNIQUE (note_id, target_type, target_id),
    CONSTRAINT note_links_not_self CHECK (NOT (target_type = 'note' AND target_id = note_id))
);

CREATE INDEX idx_note_links_target ON note_links (target_type, target_id);

CREATE TABLE capture (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    raw_text    text NOT NULL,
    processed   boolean NOT NULL DEFAULT false,
    task_id     uuid REFERENCES tasks(id) ON DELETE SET NULL,
    domain_id   uuid REFERENCES domains(id) ON DELETE SET NULL,
    project_id  uuid REFERENCES projects(id) ON DELETE SET NULL,
    source      text NOT NULL DEFAULT 'web'
                CHECK (source IN ('web', 'voice', 'telegram', 'email', 'api')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    is_active   boolean NOT NULL DEFAULT true,
    sort_order  integer NOT NULL DEFAULT 0
);

CREATE INDEX idx_capture_task_id ON capture (task_id);
CREATE INDEX idx_capture_domain_id ON capture (domain_id);
CREATE INDEX idx_capture_project_id ON capture (project_id);

-- New in v2: hierarchical folders for bookmarks.
CREATE TABLE bookmark_folders (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    parent_id   uuid REFERENCES bookmark_folders(id) ON DELETE CASCADE,
    domain_id   uuid REFERENCES domains(id) ON DELETE CASCADE,
    name        text NOT NULL,
    description text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    is_active   boolean NOT NULL DEFAULT true,
    sort_order  integer NOT NULL DEFAULT 0,
    CONSTRAINT bookmark_folders_parent_not_self CHECK (parent_id <> id)
);

CREATE INDEX idx_bookmark_folders_parent_id ON bookmark_folders (parent_id);
CREATE INDEX idx_bookmark_folders_domain_id ON bookmark_folders (domain_id);

-- v1 links, renamed.
CREATE TABLE bookmarks (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    domain_id   uuid NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
    project_id  uuid REFERENCES projects(id) ON DELETE SET NULL,
    task_id     uuid REFERENCES tasks(id) ON DELETE SET NULL,
    folder_id   uuid REFERENCES bookmark_folders(id) ON DELETE SET NULL,
    label       text NOT NULL,
    url         text NOT NULL,
    description text,
    favicon_url text,
    tags        text[],
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    is_active   boolean NOT NULL DEFAULT true,
    sort_order  integer NOT NULL DEFAULT 0
);

CREATE INDEX idx_bookmarks_domain_id ON bookmarks (domain_id);
CREATE INDEX idx_bookmarks_project_id ON bookmarks (project_id);
CREATE INDEX idx_bookmarks_task_id ON bookmarks (task_id);
CREATE INDEX idx_bookmarks_folder_id ON bookmarks (folder_id);

-- storage_path names the file on local disk in v2 (rewritten by the load).
CREATE TABLE files (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    domain_id         uuid NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
    project_id        uuid REFERENCES projects(id) ON DELETE SET NULL,
    task_id           uuid REFERENCES tasks(id) ON DELETE SET NULL,
    capture_id        uuid REFERENCES capture(id) ON DELETE SET NULL,
    note_id           uuid REFERENCES notes(id) ON DELETE SET NULL,
    filename          text NOT NULL,
    original_filename text NOT NULL,
    storage_path      text NOT NULL,
    mime_type         text,
    size_bytes        bigint,
    description       text,
    tags              text[],
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    is_active         boolean NOT NULL DEFAULT true,
    sort_order        integer NOT NULL DEFAULT 0
);

CREATE INDEX idx_files_domain_id ON files (domain_id);
CREATE INDEX idx_files_project_id ON files (project_id);
CREATE INDEX idx_files_task_id ON files (task_id);
CREATE INDEX idx_files_capture_id ON files (capture_id);
CREATE INDEX idx_files_note_id ON files (note_id);
