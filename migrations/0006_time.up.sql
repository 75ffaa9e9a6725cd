-- Life OS v2, migration 0006: calendar and time management.
-- New in v2, empty after the load.

-- Appointments, meetings and date-based items. ends_at is NULL for an item
-- with no duration.
CREATE TABLE calendar_events (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    domain_id   uuid REFERENCES domains(id) ON DELETE CASCADE,
    project_id  uuid REFERENCES projects(id) ON DELETE SET NULL,
    task_id     uuid REFERENCES tasks(id) ON DELETE SET NULL,
    title       text NOT NULL,
    description text,
    location    text,
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz,
    all_day     boolean NOT NULL DEFAULT false,
    recurrence  text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    is_active   boolean NOT NULL DEFAULT true,
    sort_order  integer NOT NULL DEFAULT 0,
    CONSTRAINT calendar_events_dates_ordered CHECK (ends_at >= starts_at)
);

CREATE INDEX idx_calendar_events_domain_id ON calendar_events (domain_id);
CREATE INDEX idx_calendar_events_project_id ON calendar_events (project_id);
CREATE INDEX idx_calendar_events_task_id ON calendar_events (task_id);
CREATE INDEX idx_calendar_events_starts_at ON calendar_events (starts_at);

-- Scheduled blocks of time (Pomodoro, deep work, ...).
CREATE TABLE time_blocks (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    domain_id    uuid REFERENCES domains(id) ON DELETE CASCADE,
    project_id   uuid REFERENCES projects(id) ON DELETE SET NULL,
    task_id      uuid REFERENCES tasks(id) ON DELETE SET NULL,
    title        text NOT NULL,
    block_type   text NOT NULL DEFAULT 'deep_work'
                 CHECK (block_type IN ('pomodoro', 'deep_work', 'shallow_work',
                                       'meeting', 'admin', 'break', 'other')),
    starts_at    timestamptz NOT NULL,
    ends_at      timestamptz NOT NULL,
    is_completed boolean NOT NULL DEFAULT false,
    note         text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    is_active    boolean NOT NULL DEFAULT true,
    sort_order   integer NOT NULL DEFAULT 0,
    CONSTRAINT time_blocks_dates_ordered CHECK (ends_at > starts_at)
);

CREATE INDEX idx_time_blocks_domain_id ON time_blocks (domain_id);
CREATE INDEX idx_time_blocks_project_id ON time_blocks (project_id);
CREATE INDEX idx_time_blocks_task_id ON time_blocks (task_id);
CREATE INDEX idx_time_blocks_starts_at ON time_blocks (starts_at);

-- Time tracked against a task. ended_at is NULL while the timer runs;
-- minutes is the tracked duration once known.
CREATE TABLE time_entries (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    task_id       uuid NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    time_block_id uuid REFERENCES time_blocks(id) ON DELETE SET NULL,
    started_at    timestamptz NOT NULL,
    ended_at      timestamptz,
    minutes       integer CHECK (minutes >= 0),
    note          text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    is_active     boolean NOT NULL DEFAULT true,
    sort_order    integer NOT NULL DEFAULT 0,
    CONSTRAINT time_entries_dates_ordered CHECK (ended_at >= started_at)
);

CREATE INDEX idx_time_entries_task_id ON time_entries (task_id);
CREATE INDEX idx_time_entries_time_block_id ON time_entries (time_block_id);
CREATE INDEX idx_time_entries_started_at ON time_entries (started_at);

-- Weekly or monthly time allocation target for a domain or a project.
CREATE TABLE time_budgets (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    domain_id      uuid REFERENCES domains(id) ON DELETE CASCADE,
    project_id     uuid REFERENCES projects(id) ON DELETE CASCADE,
    period         text NOT NULL CHECK (period IN ('weekly', 'monthly')),
    budget_minutes integer NOT NULL CHECK (budget_minutes > 0),
    starts_on      date NOT NULL DEFAULT CURRENT_DATE,
    ends_on        date,
    note           text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    is_active      boolean NOT NULL DEFAULT true,
    sort_order     integer NOT NULL DEFAULT 0,
    CONSTRAINT time_budgets_has_target CHECK (domain_id IS NOT NULL OR project_id IS NOT NULL),
    CONSTRAINT time_budgets_dates_ordered CHECK (ends_on >= starts_on)
);

CREATE INDEX idx_time_budgets_domain_id ON time_budgets (domain_id);
CREATE INDEX idx_time_budgets_project_id ON time_budgets (project_id);
