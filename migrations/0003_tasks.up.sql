-- Life OS v2, migration 0003: tasks, their templates and dependencies.
-- tasks is mapped from v1: all 17 v1 columns keep their types, NOT NULLs,
-- defaults and CHECKs; the v2 columns are new and NULL after the load.

-- New in v2: reusable task templates.
CREATE TABLE task_templates (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    domain_id         uuid REFERENCES domains(id) ON DELETE CASCADE,
    project_id        uuid REFERENCES projects(id) ON DELETE SET NULL,
    name              text NOT NULL,
    title             text NOT NULL,
    description       text,
    priority          integer NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 4),
    context           text,
    tags              text[],
    recurrence        text,
    estimated_minutes integer CHECK (estimated_minutes >= 0),
    energy_level      text CHECK (energy_level IN ('low', 'medium', 'high')),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    is_active         boolean NOT NULL DEFAULT true,
    sort_order        integer NOT NULL DEFAULT 0
);

CREATE INDEX idx_task_templates_domain_id ON task_templates (domain_id);
CREATE INDEX idx_task_templates_project_id ON task_templates (project_id);

CREATE TABLE tasks (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    domain_id         uuid NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
    project_id        uuid REFERENCES projects(id) ON DELETE SET NULL,
    parent_id         uuid REFERENCES tasks(id) ON DELETE CASCADE,
    title             text NOT NULL,
    description       text,
    priority          integer NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 4),
    status            text NOT NULL DEFAULT 'open'
                      CHECK (status IN ('open', 'in_progress', 'blocked', 'done', 'cancelled')),
    due_date          date,
    deadline          timestamptz,
    recurrence        text,
    tags              text[],
    context           text,
    is_custom_context boolean NOT NULL DEFAULT false,
    assigned_to       uuid REFERENCES contacts(id) ON DELETE SET NULL,
    estimated_minutes integer CHECK (estimated_minutes >= 0),
    actual_minutes    integer CHECK (actual_minutes >= 0),
    energy_level      text CHECK (energy_level IN ('low', 'medium', 'high')),
    template_id       uuid REFERENCES task_templates(id) ON DELETE SET NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    completed_at      timestamptz,
    is_active         boolean NOT NULL DEFAULT true,
    sort_order        integer NOT NULL DEFAULT 0,
    CONSTRAINT tasks_parent_not_self CHECK (parent_id <> id)
);

CREATE INDEX idx_tasks_domain_id ON tasks (domain_id);
CREATE INDEX idx_tasks_project_id ON tasks (project_id);
CREATE INDEX idx_tasks_parent_id ON tasks (parent_id);
CREATE INDEX idx_tasks_assigned_to ON tasks (assigned_to);
CREATE INDEX idx_tasks_template_id ON tasks (template_id);

-- New in v2: task_id cannot start (or finish) before depends_on_task_id.
CREATE TABLE task_dependencies (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    task_id            uuid NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    depends_on_task_id uuid NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    dependency_type    text NOT NULL DEFAULT 'finish_to_start'
                       CHECK (dependency_type IN ('finish_to_start', 'start_to_start',
                                                  'finish_to_finish', 'start_to_finish')),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    is_active          boolean NOT NULL DEFAULT true,
    sort_order         integer NOT NULL DEFAULT 0,
    UNIQUE (task_id, depends_on_task_id),
    CONSTRAINT task_dependencies_not_self CHECK (task_id <> depends_on_task_id)
);

CREATE INDEX idx_task_dependencies_depends_on_task_id ON task_dependencies (depends_on_task_id);
