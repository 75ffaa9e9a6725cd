-- Planned, not yet part of the load: the mapping pins migrations_version = 2.
CREATE TABLE price_history (
    title_id uuid NOT NULL REFERENCES titles(id),
    price_cents integer NOT NULL,
    valid_from timestamptz NOT NULL,
    PRIMARY KEY (title_id, valid_from)
);
