-- Blog v2: authors are writers (named by display_name, else handle),
-- posts keep their table with a writer_id, a format, a status renamed from
-- v1's state and a sort order per writer; comments carry their post's
-- writer, a commenter always named, and a sort order per post, newest first;
-- each writer's bio moves to writer_profiles.
CREATE TABLE writers (
    id uuid PRIMARY KEY,
    handle text NOT NULL UNIQUE,
    name text,
    created_at timestamptz NOT NULL,
    is_active boolean NOT NULL
);

CREATE TABLE posts (
    id uuid PRIMARY KEY,
    writer_id uuid NOT NULL REFERENCES writers(id),
    title text NOT NULL,
    body text,
    format text NOT NULL CHECK (format IN ('markdown', 'html')),
    is_published boolean NOT NULL,
    status text NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
    published_at timestamptz,
    created_at timestamptz NOT NULL,
    sort_order integer NOT NULL,
    view_count integer NOT NULL DEFAULT 0
);

CREATE TABLE comments (
    id uuid PRIMARY KEY,
    post_id uuid NOT NULL REFERENCES posts(id),
    post_writer_id uuid NOT NULL REFERENCES writers(id),
    commenter text NOT NULL,
    body text NOT NULL,
    created_at timestamptz,
    sort_order integer NOT NULL
);

-- A writer's profile, split off v1's authors: one row per writer.
CREATE TABLE writer_profiles (
    id uuid PRIMARY KEY REFERENCES writers(id),
    bio text
);

-- New in v2, empty after the migration.
CREATE TABLE tags (
    id uuid PRIMARY KEY,
    name text NOT NULL UNIQUE
);
