-- Life OS v2, migration 0005: daily focus and reminders (both mapped from v1).

-- domain_id is derived by the load from the task's domain. v2 removes the
-- v1 limit of three slots a day (the v1 CHECK slot BETWEEN 1 AND 3 is
-- dropped); a slot is still used once per day.
CREATE TABLE daily_focus (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    focus_date  date NOT NULL,
    task_id     uuid NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    domain_id   uuid NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
    slot        integer NOT NULL,
    completed   boolean NOT NULL DEFAULT false,
    note        text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    is_active   boolean NOT NULL DEFAULT true,
    sort_order  integer NOT NULL DEFAULT 0,
    UNIQUE (focus_date, slot)
);

CREATE INDEX idx_daily_focus_task_id ON daily_focus (task_id);
CREATE INDEX idx_daily_focus_domain_id ON daily_focus (domain_id);

-- Polymorphic in v2: entity_id names a row of the table given by
-- entity_type, so it has no FK. v1 reminders (task only) load as
-- entity_type = 'task', entity_id = the v1 task_id.
CREATE TABLE reminders (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entity_type   text NOT NULL
                  CHECK (entity_type IN ('task', 'project', 'note', 'calendar_event', 'time_block')),
    entity_id     uuid NOT NULL,
    remind_at     timestamptz NOT NULL,
    note          text,
    is_sent       boolean NOT NULL DEFAULT false,
    recurrence    text,
    snoozed_until timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    is_active     boolean NOT NULL DEFAULT true,
    sort_order    integer NOT NULL DEFAULT 0
);

CREATE INDEX idx_reminders_entity ON reminders (entity_type, entity_id);
CREATE INDEX idx_reminders_pending ON reminders (remind_at) WHERE NOT is_sent;
