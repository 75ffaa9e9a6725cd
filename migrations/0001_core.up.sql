-- Life OS v2, migration 0001: core hierarchy.
-- domains -> areas -> projects, plus releases and milestones around projects,
-- and the context_types lookup.
--
-- Conventions for every v2 table: uuid primary key from gen_random_uuid()
-- (core PostgreSQL 13+), created_at/updated_at timestamptz, and the universal
-- columns is_active and sort_order. updated_at is maintained by the
-- application.
--
-- Mapped tables (domains, areas, projects, context_types) keep the v1 column
-- types, NOT NULLs, defaults and CHECKs of every copied column.

CREATE TABLE domains (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL,
    color       text,
    description text,
    icon        text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    is_active   boolean NOT NULL DEFAULT true,
    sort_order  integer NOT NULL DEFAULT 0
);

CREATE TABLE areas (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    domain_id   uuid NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
    name        text NOT NULL,
    description text,
    icon        text,
    color       text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    is_active   boolean NOT NULL DEFAULT true,
    sort_order  integer NOT NULL DEFAULT 0
);

CREATE INDEX idx_areas_domain_id ON areas (domain_id);

-- New in v2: a release/version groups projects.
CREATE TABLE releases (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    domain_id   uuid REFERENCES domains(id) ON DELETE CASCADE,
    name        text NOT NULL,
    version     text,
    description text,
    status      text NOT NULL DEFAULT 'planned'
                CHECK (status IN ('planned', 'in_progress', 'released', 'cancelled')),
    target_date date,
    released_at timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    is_active   boolean NOT NULL DEFAULT true,
    sort_order  integer NOT NULL DEFAULT 0
);

CREATE INDEX idx_releases_domain_id ON releases (domain_id);

-- v1 due_date is target_date in v2 (same value, same type).
CREATE TABLE projects (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    domain_id   uuid NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
    area_id     uuid REFERENCES areas(id) ON DELETE SET NULL,
    name        text NOT NULL,
    description text,
    status      text NOT NULL DEFAULT 'active'
                CHECK (status IN ('active', 'on_hold', 'completed', 'archived')),
    priority    integer NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 4),
    start_date  date,
    target_date date,
    color       text,
    release_id  uuid REFERENCES releases(id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    is_active   boolean NOT NULL DEFAULT true,
    sort_order  integer NOT NULL DEFAULT 0,
    CONSTRAINT projects_dates_ordered CHECK (target_date >= start_date)
);

CREATE INDEX idx_projects_domain_id ON projects (domain_id);
CREATE INDEX idx_projects_area_id ON projects (area_id);
CREATE INDEX idx_projects_release_id ON projects (release_id);

-- New in v2: project milestones with target dates.
CREATE TABLE milestones (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id   uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    release_id   uuid REFERENCES releases(id) ON DELETE SET NULL,
    name         text NOT NULL,
    description  text,
    target_date  date,
    completed_at timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    is_active    boolean NOT NULL DEFAULT true,
    sort_order   integer NOT NULL DEFAULT 0
);

CREATE INDEX idx_milestones_project_id ON milestones (project_id);
CREATE INDEX idx_milestones_release_id ON milestones (release_id);

-- v1 context_types has no created_at/updated_at: migrated rows get the
-- load's now() from these defaults.
CREATE TABLE context_types (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    value       text NOT NULL UNIQUE,
    label       text NOT NULL,
    is_system   boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    is_active   boolean NOT NULL DEFAULT true,
    sort_order  integer NOT NULL DEFAULT 0
);
