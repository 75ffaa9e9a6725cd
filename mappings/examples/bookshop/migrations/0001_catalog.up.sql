-- Bookshop v2: authors are writers, books are titles with a currency and a
-- sort order among their writer's titles.
CREATE TABLE writers (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    country text,
    created_at timestamptz NOT NULL,
    sort_order integer NOT NULL
);

CREATE TABLE titles (
    id uuid PRIMARY KEY,
    writer_id uuid NOT NULL REFERENCES writers(id),
    title text NOT NULL,
    price_cents integer NOT NULL CHECK (price_cents >= 0),
    currency text NOT NULL CHECK (currency IN ('EUR', 'USD')),
    tags text[],
    created_at timestamptz NOT NULL,
    sort_order integer NOT NULL
);

CREATE INDEX titles_writer_id_idx ON titles (writer_id, sort_order);
