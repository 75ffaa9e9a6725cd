-- The bookshop v1 schema: the source of dumpshift's example mapping
-- (bookshop.toml). dumpshift reads it for foreign keys when a dump carries
-- no DDL (pg_dump --data-only); the tests build the v1 database from it.

CREATE TABLE public.authors (
    id uuid PRIMARY KEY,
    full_name text NOT NULL,
    country text,
    created_at timestamp with time zone NOT NULL DEFAULT now()
);

CREATE TABLE public.books (
    id uuid PRIMARY KEY,
    author_id uuid NOT NULL REFERENCES public.authors(id),
    title text NOT NULL,
    price_cents integer NOT NULL CHECK (price_cents >= 0),
    tags text[],
    internal_note text,
    created_at timestamp with time zone NOT NULL DEFAULT now()
);

CREATE TABLE public.reviews (
    id uuid PRIMARY KEY,
    book_id uuid NOT NULL REFERENCES public.books(id),
    stars smallint NOT NULL CHECK (stars BETWEEN 1 AND 5),
    body text,
    created_at timestamp with time zone NOT NULL DEFAULT now()
);
