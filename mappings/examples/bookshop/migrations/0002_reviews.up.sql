-- Reviews name their title and, denormalised, its writer.
CREATE TABLE reviews (
    id uuid PRIMARY KEY,
    title_id uuid NOT NULL REFERENCES titles(id),
    writer_id uuid NOT NULL REFERENCES writers(id),
    stars smallint NOT NULL CHECK (stars BETWEEN 1 AND 5),
    body text,
    created_at timestamptz NOT NULL,
    moderated boolean NOT NULL DEFAULT false
);
