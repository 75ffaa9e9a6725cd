-- The blog v1 schema: the source of dumpshift's second example mapping
-- (blog.toml). dumpshift reads it for foreign keys and column order when a
-- dump carries no DDL (pg_dump --data-only); the tests build the v1
-- database from it.

CREATE TABLE public.authors (
    id uuid PRIMARY KEY,
    handle text NOT NULL UNIQUE,
    display_name text,
    bio text,
    created_at timestamp with time zone NOT NULL DEFAULT now()
);

CREATE TABLE public.posts (
    id uuid PRIMARY KEY,
    author_id uuid NOT NULL REFERENCES public.authors(id),
    title text NOT NULL,
    body text,
    is_published boolean NOT NULL DEFAULT false,
    state text NOT NULL DEFAULT 'draft',
    published_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL DEFAULT now()
);

CREATE TABLE public.comments (
    id uuid PRIMARY KEY,
    post_id uuid NOT NULL REFERENCES public.posts(id),
    commenter text,
    body text NOT NULL,
    created_at timestamp with time zone
);
