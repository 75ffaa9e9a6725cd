-- dumpshift 0.1.0 load file: mapping life-os, v2 schema version 9.
-- Load into an empty database: psql -v ON_ERROR_STOP=1 -f FILE DBNAME
-- One transaction, in pg_dump's order: the tables, every row, then the keys,
-- indexes and foreign keys, then a proof of the row counts and digests.
-- Any error leaves the database as it was.

\set ON_ERROR_STOP on
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SET client_min_messages = warning;
SET check_function_bodies = false;
SET search_path = public;

BEGIN;

-- migration 0001_core.up.sql
CREATE TABLE domains (
    id uuid DEFAULT gen_random_uuid(),
    name text NOT NULL,
    color text,
    description text,
    icon text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    is_active boolean NOT NULL DEFAULT true,
    sort_order int NOT NULL DEFAULT 0
);

CREATE TABLE areas (
    id uuid DEFAULT gen_random_uuid(),
    domain_id uuid NOT NULL,
    name text NOT NULL,
    description text,
    icon text,
    color text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    is_active boolean NOT NULL DEFAULT true,
    sort_order int NOT NULL DEFAULT 0
);

CREATE TABLE releases (
    id uuid DEFAULT gen_random_uuid(),
    domain_id uuid,
    name text NOT NULL,
    version text,
    description text,
    status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress', 'released', 'cancelled')),
    target_date date,
    released_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    is_active boolean NOT NULL DEFAULT true,
    sort_order int NOT NULL DEFAULT 0
);

CREATE TABLE projects (
    id uuid DEFAULT gen_random_uuid(),
    domain_id uuid NOT NULL,
    area_id uuid,
    name text NOT NULL,
    description text,
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'on_hold', 'completed', 'archived')),
    priority int NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 4),
    start_date date,
    target_date date,
    color text,
    release_id uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    is_active boolean NOT NULL DEFAULT true,
    sort_order int NOT NULL DEFAULT 0,
    CONSTRAINT projects_dates_ordered CHECK (target_date >= start_date)
);

CREATE TABLE milestones (
    id uuid DEFAULT gen_random_uuid(),
    project_id uuid NOT NULL,
    release_id uuid,
    name text NOT NULL,
    description text,
    target_date date,
    completed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    is_active boolean NOT NULL DEFAULT true,
    sort_order int NOT NULL DEFAULT 0
);

CREATE TABLE context_types (
    id uuid DEFAULT gen_random_uuid(),
    value text NOT NULL,
    label text NOT NULL,
    is_system boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    is_active boolean NOT NULL DEFAULT true,
    sort_order int NOT NULL DEFAULT 0
);


-- migration 0002_contacts.up.sql
CREATE TABLE contact_groups (
    id uuid DEFAULT gen_random_uuid(),
    name text NOT NULL,
    description text,
    color text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    is_active boolean NOT NULL DEFAULT true,
    sort_order int NOT NULL DEFAULT 0
);

CREATE TABLE contacts (
    id uuid DEFAULT gen_random_uuid(),
    group_id uuid,
    name text NOT NULL,
    email text CHECK (email LIKE '%_@_%'),
    phone text,
    company text,
    role text,
    note text,
    tags text[],
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    is_active boolean NOT NULL DEFAULT true,
    sort_order int NOT NULL DEFAULT 0
);


-- migration 0003_tasks.up.sql
CREATE TABLE task_templates (
    id uuid DEFAULT gen_random_uuid(),
    domain_id uuid,
    project_id uuid,
    name text NOT NULL,
    title text NOT NULL,
    description text,
    priority int NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 4),
    context text,
    tags text[],
    recurrence text,
    estimated_minutes int CHECK (estimated_minutes >= 0),
    energy_level text CHECK (energy_level IN ('low', 'medium', 'high')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    is_active boolean NOT NULL DEFAULT true,
    sort_order int NOT NULL DEFAULT 0
);

CREATE TABLE tasks (
    id uuid DEFAULT gen_random_uuid(),
    domain_id uuid NOT NULL,
    project_id uuid,
    parent_id uuid,
    title text NOT NULL,
    description text,
    priority int NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 4),
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'blocked', 'done', 'cancelled')),
    due_date date,
    deadline timestamptz,
    recurrence text,
    tags text[],
    context text,
    is_custom_context boolean NOT NULL DEFAULT false,
    assigned_to uuid,
    estimated_minutes int CHECK (estimated_minutes >= 0),
    actual_minutes int CHECK (actual_minutes >= 0),
    energy_level text CHECK (energy_level IN ('low', 'medium', 'high')),
    template_id uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    completed_at timestamptz,
    is_active boolean NOT NULL DEFAULT true,
    sort_order int NOT NULL DEFAULT 0,
    CONSTRAINT tasks_parent_not_self CHECK (parent_id <> id)
);

CREATE TABLE task_dependencies (
    id uuid DEFAULT gen_random_uuid(),
    task_id uuid NOT NULL,
    depends_on_task_id uuid NOT NULL,
    dependency_type text NOT NULL DEFAULT 'finish_to_start' CHECK (dependency_type IN ('finish_to_start', 'start_to_start', 'finish_to_finish', 'start_to_finish')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    is_active boolean NOT NULL DEFAULT true,
    sort_order int NOT NULL DEFAULT 0,
    CONSTRAINT task_dependencies_not_self CHECK (task_id <> depends_on_task_id)
);


-- migration 0004_knowledge.up.sql
CREATE TABLE notes (
    id uuid DEFAULT gen_random_uuid(),
    domain_id uuid NOT NULL,
    project_id uuid,
    task_id uuid,
    title text NOT NULL,
    body text,
    content_format text NOT NULL DEFAULT 'markdown',
    tags text[],
    is_pinned boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    is_active boolean NOT NULL DEFAULT true,
    sort_order int NOT NULL DEFAULT 0
);

CREATE TABLE note_links (
    id uuid DEFAULT gen_random_uuid(),
    note_id uuid NOT NULL,
    target_type text NOT NULL CHECK (target_type IN ('note', 'task', 'project', 'area', 'domain', 'bookmark', 'file', 'contact', 'calendar_event', 'list')),
    target_id uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    is_active boolean NOT NULL DEFAULT true,
    sort_order int NOT NULL DEFAULT 0,
    CONSTRAINT note_links_not_self CHECK (NOT (target_type = 'note'
    AND target_id = note_id))
);

CREATE TABLE capture (
    id uuid DEFAULT gen_random_uuid(),
    raw_text text NOT NULL,
    processed boolean NOT NULL DEFAULT false,
    task_id uuid,
    domain_id uuid,
    project_id uuid,
    source text NOT NULL DEFAULT 'web' CHECK (source IN ('web', 'voice', 'telegram', 'email', 'api')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    is_active boolean NOT NULL DEFAULT true,
    sort_order int NOT NULL DEFAULT 0
);

CREATE TABLE bookmark_folders (
    id uuid DEFAULT gen_random_uuid(),
    parent_id uuid,
    domain_id uuid,
    name text NOT NULL,
    description text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    is_active boolean NOT NULL DEFAULT true,
    sort_order int NOT NULL DEFAULT 0,
    CONSTRAINT bookmark_folders_parent_not_self CHECK (parent_id <> id)
);

CREATE TABLE bookmarks (
    id uuid DEFAULT gen_random_uuid(),
    domain_id uuid NOT NULL,
    project_id uuid,
    task_id uuid,
    folder_id uuid,
    label text NOT NULL,
    url text NOT NULL,
    description text,
    favicon_url text,
    tags text[],
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    is_active boolean NOT NULL DEFAULT true,
    sort_order int NOT NULL DEFAULT 0
);

CREATE TABLE files (
    id uuid DEFAULT gen_random_uuid(),
    domain_id uuid NOT NULL,
    project_id uuid,
    task_id uuid,
    capture_id uuid,
    note_id uuid,
    filename text NOT NULL,
    original_filename text NOT NULL,
    storage_path text NOT NULL,
    mime_type text,
    size_bytes bigint,
    description text,
    tags text[],
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    is_active boolean NOT NULL DEFAULT true,
    sort_order int NOT NULL DEFAULT 0
);


-- migration 0005_focus_and_reminders.up.sql
CREATE TABLE daily_focus (
    id uuid DEFAULT gen_random_uuid(),
    focus_date date NOT NULL,
    task_id uuid NOT NULL,
    domain_id uuid NOT NULL,
    slot int NOT NULL,
    completed boolean NOT NULL DEFAULT false,
    note text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    is_active boolean NOT NULL DEFAULT true,
    sort_order int NOT NULL DEFAULT 0
);

CREATE TABLE reminders (
    id uuid DEFAULT gen_random_uuid(),
    entity_type text NOT NULL CHECK (entity_type IN ('task', 'project', 'note', 'calendar_event', 'time_block')),
    entity_id uuid NOT NULL,
    remind_at timestamptz NOT NULL,
    note text,
    is_sent boolean NOT NULL DEFAULT false,
    recurrence text,
    snoozed_until timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    is_active boolean NOT NULL DEFAULT true,
    sort_order int NOT NULL DEFAULT 0
);


-- migration 0006_time.up.sql
CREATE TABLE calendar_events (
    id uuid DEFAULT gen_random_uuid(),
    domain_id uuid,
    project_id uuid,
    task_id uuid,
    title text NOT NULL,
    description text,
    location text,
    starts_at timestamptz NOT NULL,
    ends_at timestamptz,
    all_day boolean NOT NULL DEFAULT false,
    recurrence text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    is_active boolean NOT NULL DEFAULT true,
    sort_order int NOT NULL DEFAULT 0,
    CONSTRAINT calendar_events_dates_ordered CHECK (ends_at >= starts_at)
);

CREATE TABLE time_blocks (
    id uuid DEFAULT gen_random_uuid(),
    domain_id uuid,
    project_id uuid,
    task_id uuid,
    title text NOT NULL,
    block_type text NOT NULL DEFAULT 'deep_work' CHECK (block_type IN ('pomodoro', 'deep_work', 'shallow_work', 'meeting', 'admin', 'break', 'other')),
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    is_completed boolean NOT NULL DEFAULT false,
    note text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    is_active boolean NOT NULL DEFAULT true,
    sort_order int NOT NULL DEFAULT 0,
    CONSTRAINT time_blocks_dates_ordered CHECK (ends_at > starts_at)
);

CREATE TABLE time_entries (
    id uuid DEFAULT gen_random_uuid(),
    task_id uuid NOT NULL,
    time_block_id uuid,
    started_at timestamptz NOT NULL,
    ended_at timestamptz,
    minutes int CHECK (minutes >= 0),
    note text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    is_active boolean NOT NULL DEFAULT true,
    sort_order int NOT NULL DEFAULT 0,
    CONSTRAINT time_entries_dates_ordered CHECK (ended_at >= started_at)
);

CREATE TABLE time_budgets (
    id uuid DEFAULT gen_random_uuid(),
    domain_id uuid,
    project_id uuid,
    period text NOT NULL CHECK (period IN ('weekly', 'monthly')),
    budget_minutes int NOT NULL CHECK (budget_minutes > 0),
    starts_on date NOT NULL DEFAULT current_date,
    ends_on date,
    note text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    is_active boolean NOT NULL DEFAULT true,
    sort_order int NOT NULL DEFAULT 0,
    CONSTRAINT time_budgets_has_target CHECK (domain_id IS NOT NULL OR project_id IS NOT NULL),
    CONSTRAINT time_budgets_dates_ordered CHECK (ends_on >= starts_on)
);


-- migration 0007_lists_and_tags.up.sql
CREATE TABLE lists (
    id uuid DEFAULT gen_random_uuid(),
    domain_id uuid,
    project_id uuid,
    name text NOT NULL,
    description text,
    list_type text NOT NULL DEFAULT 'checklist' CHECK (list_type IN ('checklist', 'note_list')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    is_active boolean NOT NULL DEFAULT true,
    sort_order int NOT NULL DEFAULT 0
);

CREATE TABLE list_items (
    id uuid DEFAULT gen_random_uuid(),
    list_id uuid NOT NULL,
    parent_item_id uuid,
    content text NOT NULL,
    is_completed boolean NOT NULL DEFAULT false,
    completed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    is_active boolean NOT NULL DEFAULT true,
    sort_order int NOT NULL DEFAULT 0,
    CONSTRAINT list_items_parent_not_self CHECK (parent_item_id <> id)
);

CREATE TABLE tags (
    id uuid DEFAULT gen_random_uuid(),
    name text NOT NULL CHECK (name <> ''),
    color text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    is_active boolean NOT NULL DEFAULT true,
    sort_order int NOT NULL DEFAULT 0
);

CREATE TABLE entity_tags (
    id uuid DEFAULT gen_random_uuid(),
    tag_id uuid NOT NULL,
    entity_type text NOT NULL CHECK (entity_type IN ('domain', 'area', 'project', 'task', 'note', 'bookmark', 'file', 'capture', 'contact', 'calendar_event', 'list')),
    entity_id uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    is_active boolean NOT NULL DEFAULT true,
    sort_order int NOT NULL DEFAULT 0
);


-- migration 0008_system.up.sql
CREATE TABLE activity_log (
    id uuid DEFAULT gen_random_uuid(),
    entity_type text NOT NULL CHECK (entity_type <> ''),
    entity_id uuid NOT NULL,
    action text NOT NULL CHECK (action IN ('create', 'update', 'delete', 'restore', 'archive', 'complete')),
    summary text,
    changes jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    is_active boolean NOT NULL DEFAULT true,
    sort_order int NOT NULL DEFAULT 0
);

CREATE TABLE user_settings (
    id uuid DEFAULT gen_random_uuid(),
    key text NOT NULL CHECK (key <> ''),
    value jsonb NOT NULL DEFAULT 'null'::jsonb,
    description text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    is_active boolean NOT NULL DEFAULT true,
    sort_order int NOT NULL DEFAULT 0
);

CREATE TABLE saved_views (
    id uuid DEFAULT gen_random_uuid(),
    name text NOT NULL,
    entity_type text NOT NULL CHECK (entity_type IN ('task', 'project', 'note', 'bookmark', 'file', 'capture', 'contact', 'calendar_event', 'list')),
    filters jsonb NOT NULL DEFAULT '{}'::jsonb,
    sort_by text,
    sort_direction text NOT NULL DEFAULT 'asc' CHECK (sort_direction IN ('asc', 'desc')),
    is_default boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    is_active boolean NOT NULL DEFAULT true,
    sort_order int NOT NULL DEFAULT 0
);


-- migration 0009_search_index.up.sql
CREATE TABLE search_index (
    id uuid DEFAULT gen_random_uuid(),
    entity_type text NOT NULL CHECK (entity_type IN ('task', 'note', 'bookmark', 'file')),
    entity_id uuid NOT NULL,
    domain_id uuid,
    title text NOT NULL,
    document tsvector NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    is_active boolean NOT NULL DEFAULT true,
    sort_order int NOT NULL DEFAULT 0
);


-- golang-migrate's bookkeeping: the schema is at version 9, clean.
CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);
INSERT INTO schema_migrations (version, dirty) VALUES (9, false);

-- domains <- public.domains: 3 rows
COPY "domains" ("id", "name", "color", "description", "icon", "created_at", "updated_at", "is_active", "sort_order") FROM stdin WITH (FREEZE);
38f45bb2-e7a4-49db-bafb-249f8c316b71	Work	#2563eb	\N	\N	2024-01-08 08:30:00-05	2024-01-08 08:30:00-05	t	10
33b4ff7a-0d0d-423d-8954-a904ce768ad4	Personal	#16a34a	\N	\N	2024-01-08 08:31:00-05	2024-01-08 08:31:00-05	t	20
6fc59728-9d3e-4ba7-8eed-61984eed8e50	Sintri	#9333ea	\N	\N	2024-01-08 08:32:00-05	2024-01-08 08:32:00-05	t	30
\.

-- areas <- public.areas: 5 rows
COPY "areas" ("id", "domain_id", "name", "description", "icon", "color", "created_at", "updated_at", "is_active", "sort_order") FROM stdin WITH (FREEZE);
b68dbe20-da9e-4b68-a2fd-ea19dcdf1bb9	38f45bb2-e7a4-49db-bafb-249f8c316b71	Engineering	Product engineering and platform work	\N	\N	2024-01-08 09:00:00-05	2024-01-08 09:00:00-05	t	10
9da8a567-6576-4a7f-8317-8c9d3a426006	38f45bb2-e7a4-49db-bafb-249f8c316b71	Team	Hiring, 1:1s and reviews	\N	\N	2024-01-08 09:05:00-05	2024-01-08 09:05:00-05	t	20
fa66bf3f-eeb2-4f64-a146-10bb389f7aad	33b4ff7a-0d0d-423d-8954-a904ce768ad4	Health	Running, sleep and food	\N	\N	2024-01-08 09:10:00-05	2024-01-08 09:10:00-05	t	10
5a20cbf7-be11-4b4d-95cf-9ce5b41236e2	33b4ff7a-0d0d-423d-8954-a904ce768ad4	Home	\N	\N	\N	2024-01-08 09:15:00-05	2024-01-08 09:15:00-05	t	20
b45bc8bd-2e4d-4a20-bb33-268766faa2cf	6fc59728-9d3e-4ba7-8eed-61984eed8e50	Product	What Sintri ships	\N	\N	2024-01-08 09:20:00-05	2024-01-08 09:20:00-05	t	10
\.

-- projects <- public.projects: 10 rows
COPY "projects" ("id", "domain_id", "area_id", "name", "description", "status", "priority", "start_date", "target_date", "color", "release_id", "created_at", "updated_at", "is_active", "sort_order") FROM stdin WITH (FREEZE);
73db3633-74d5-41fd-a94c-d17e5c6c0662	38f45bb2-e7a4-49db-bafb-249f8c316b71	b68dbe20-da9e-4b68-a2fd-ea19dcdf1bb9	Billing service v2	Move invoicing off the monolith.	active	3	\N	2024-12-13	\N	\N	2024-02-05 10:00:00-05	2024-10-28 16:10:00-04	t	10
f291f382-9de5-48c3-a3f8-ca12d673e5ba	38f45bb2-e7a4-49db-bafb-249f8c316b71	b68dbe20-da9e-4b68-a2fd-ea19dcdf1bb9	Observability cleanup	Dashboards and alerts that page for a reason.	on_hold	3	\N	\N	\N	\N	2024-03-11 09:30:00-04	2024-06-01 12:00:00-04	t	20
ad9e9b03-eafb-4815-9b21-ab1b28c5b126	38f45bb2-e7a4-49db-bafb-249f8c316b71	9da8a567-6576-4a7f-8317-8c9d3a426006	Hire two backend engineers	\N	active	3	\N	2024-11-29	\N	\N	2024-04-02 11:00:00-04	2024-10-30 09:00:00-04	t	10
93c38732-7075-4b14-8c2f-0ffeb049f7e5	38f45bb2-e7a4-49db-bafb-249f8c316b71	\N	Team offsite	Lisbon, three days.	completed	3	\N	2024-09-20	\N	\N	2024-05-06 14:00:00-04	2024-09-23 10:00:00-04	t	10
59ea75e0-f0ea-4fc3-abbf-0cd745c8fa26	33b4ff7a-0d0d-423d-8954-a904ce768ad4	fa66bf3f-eeb2-4f64-a146-10bb389f7aad	Half marathon	Race day is November 17.	active	3	\N	2024-11-17	\N	\N	2024-07-01 07:00:00-04	2024-10-27 08:30:00-04	t	10
cc0ef9f8-b669-4398-bded-b3fdcb2e222c	33b4ff7a-0d0d-423d-8954-a904ce768ad4	5a20cbf7-be11-4b4d-95cf-9ce5b41236e2	Garden beds	Two raised beds before spring.	on_hold	3	\N	2025-03-15	\N	\N	2024-08-10 10:00:00-04	2024-08-10 10:00:00-04	t	10
b5752425-14da-4c39-be4e-6994c4a0e122	33b4ff7a-0d0d-423d-8954-a904ce768ad4	\N	Taxes 2024	\N	active	3	\N	2025-04-15	\N	\N	2024-10-01 19:00:00-04	2024-10-01 19:00:00-04	t	10
6f777ce4-91ce-4a39-b714-2f0a2f4dfe70	6fc59728-9d3e-4ba7-8eed-61984eed8e50	b45bc8bd-2e4d-4a20-bb33-268766faa2cf	Public beta	Open sign-ups and a status page.	active	3	\N	2024-12-02	\N	\N	2024-06-03 09:00:00-04	2024-10-31 17:45:00-04	t	10
d208679b-444b-4a86-87c2-d29b16309979	6fc59728-9d3e-4ba7-8eed-61984eed8e50	b45bc8bd-2e4d-4a20-bb33-268766faa2cf	Marketing site	\N	completed	3	\N	2024-08-30	\N	\N	2024-06-03 09:15:00-04	2024-08-29 18:00:00-04	t	20
ef85c9ca-0174-40ef-910d-4b529e321ad6	6fc59728-9d3e-4ba7-8eed-61984eed8e50	\N	Seed pitch deck	Old draft, kept for reference.	archived	3	\N	\N	\N	\N	2024-02-14 15:00:00-05	2024-04-01 09:00:00-04	t	10
\.

-- context_types <- public.context_types: 6 rows
COPY "context_types" ("id", "value", "label", "is_system", "is_active", "sort_order") FROM stdin WITH (FREEZE);
b8356f9d-f29c-4a41-8385-70ac5b0118d0	deep_work	Deep work	t	t	10
62d5974f-479b-4619-b1f9-943663543558	quick	Quick win	t	t	20
3a9ca174-6ae3-4d71-aaec-a0b56e927d69	phone	Phone call	t	t	30
e6e11f3e-9146-438d-8045-b81ff1a47f3c	errand	Errand	t	t	40
bc1b8a54-0e0a-485e-95f0-8f6ff36c0783	waiting	Waiting on	t	t	50
d89311d4-3cf9-44bc-96a0-89979466073f	low_energy	Low energy	t	t	60
\.

-- tasks <- public.tasks: 40 rows
COPY "tasks" ("id", "domain_id", "project_id", "parent_id", "title", "description", "priority", "status", "due_date", "deadline", "recurrence", "tags", "context", "is_custom_context", "assigned_to", "estimated_minutes", "actual_minutes", "energy_level", "template_id", "created_at", "updated_at", "completed_at", "is_active", "sort_order") FROM stdin WITH (FREEZE);
7f9c49bd-2897-4c2a-b36f-c6b3b84169d7	38f45bb2-e7a4-49db-bafb-249f8c316b71	73db3633-74d5-41fd-a94c-d17e5c6c0662	\N	Write the billing design doc	Cover invoices, credits and refunds.\n\nLink the ADRs.	1	done	2024-02-23	\N	\N	{design}	deep_work	f	\N	\N	\N	\N	\N	2024-02-05 10:15:00-05	2024-02-22 17:30:00-05	2024-02-22 17:30:00-05	t	10
6dd76de4-e4e3-4125-bda8-09de70205476	38f45bb2-e7a4-49db-bafb-249f8c316b71	73db3633-74d5-41fd-a94c-d17e5c6c0662	7f9c49bd-2897-4c2a-b36f-c6b3b84169d7	Review the doc with finance	\N	2	done	\N	\N	\N	\N	phone	f	\N	\N	\N	\N	\N	2024-02-05 10:20:00-05	2024-03-01 11:00:00-05	2024-03-01 11:00:00-05	t	20
9d0f24ee-3ef4-4b9c-b1c9-fef1b51f1bab	38f45bb2-e7a4-49db-bafb-249f8c316b71	73db3633-74d5-41fd-a94c-d17e5c6c0662	\N	Invoice PDF renderer	Port the templates; keep page numbers.	2	in_progress	2024-11-15	\N	\N	{backend}	deep_work	f	\N	\N	\N	\N	\N	2024-03-04 09:00:00-05	2024-03-04 09:00:00-05	\N	t	30
34198fbc-3451-43b2-8897-2fdc7453ae12	38f45bb2-e7a4-49db-bafb-249f8c316b71	73db3633-74d5-41fd-a94c-d17e5c6c0662	9d0f24ee-3ef4-4b9c-b1c9-fef1b51f1bab	Snapshot tests for the PDFs	\N	3	open	\N	\N	\N	{testing}	deep_work	f	\N	\N	\N	\N	\N	2024-03-04 09:10:00-05	2024-03-04 09:10:00-05	\N	t	40
3ff00ed8-3d7c-4968-af18-daaa2e5a196c	38f45bb2-e7a4-49db-bafb-249f8c316b71	73db3633-74d5-41fd-a94c-d17e5c6c0662	34198fbc-3451-43b2-8897-2fdc7453ae12	Collect 20 real invoices as fixtures	\N	3	open	\N	\N	\N	\N	quick	f	\N	\N	\N	\N	\N	2024-03-04 09:12:00-05	2024-03-04 09:12:00-05	\N	t	50
b3b654d1-f902-4f0f-9f02-42a1bb4c7b21	38f45bb2-e7a4-49db-bafb-249f8c316b71	73db3633-74d5-41fd-a94c-d17e5c6c0662	\N	Migrate credit notes	\N	2	blocked	2024-11-29	2024-12-06 17:00:00-05	\N	{backend,migration}	deep_work	f	\N	\N	\N	\N	\N	2024-04-15 14:00:00-04	2024-04-15 14:00:00-04	\N	t	60
a99ac25a-1033-49fe-848c-eba2fe398f65	38f45bb2-e7a4-49db-bafb-249f8c316b71	73db3633-74d5-41fd-a94c-d17e5c6c0662	\N	Cut-over runbook	\N	1	open	2024-12-09	\N	\N	\N	deep_work	f	\N	\N	\N	\N	\N	2024-10-28 16:00:00-04	2024-10-28 16:00:00-04	\N	t	70
687536de-aef6-44ba-8141-cfe3236ef18e	38f45bb2-e7a4-49db-bafb-249f8c316b71	93c38732-7075-4b14-8c2f-0ffeb049f7e5	\N	Book flights to Lisbon	\N	2	done	2024-07-01	\N	\N	{travel}	errand	f	\N	\N	\N	\N	\N	2024-05-06 14:10:00-04	2024-06-20 12:00:00-04	2024-06-20 12:00:00-04	t	10
6892dd16-5179-48a4-aa21-d5ad7da68efc	38f45bb2-e7a4-49db-bafb-249f8c316b71	93c38732-7075-4b14-8c2f-0ffeb049f7e5	\N	Agenda and workshops	\N	2	done	\N	\N	\N	\N	deep_work	f	\N	\N	\N	\N	\N	2024-05-06 14:15:00-04	2024-09-10 16:00:00-04	2024-09-10 16:00:00-04	t	20
825c2054-b770-4747-9f7a-b18ff0acf807	38f45bb2-e7a4-49db-bafb-249f8c316b71	93c38732-7075-4b14-8c2f-0ffeb049f7e5	\N	Expense the dinner	\N	4	cancelled	\N	\N	\N	\N	quick	f	\N	\N	\N	\N	\N	2024-09-20 21:00:00-04	2024-09-20 21:00:00-04	\N	t	30
fab8067b-cd3f-448f-b9ff-92d21f941028	33b4ff7a-0d0d-423d-8954-a904ce768ad4	cc0ef9f8-b669-4398-bded-b3fdcb2e222c	\N	Measure the yard	\N	3	done	\N	\N	\N	\N	errand	f	\N	\N	\N	\N	\N	2024-08-10 10:10:00-04	2024-08-11 09:00:00-04	2024-08-11 09:00:00-04	t	10
3d9e36cf-84ff-42fb-8ac8-76400dbcc606	33b4ff7a-0d0d-423d-8954-a904ce768ad4	cc0ef9f8-b669-4398-bded-b3fdcb2e222c	\N	Order cedar boards	\N	3	open	\N	\N	\N	\N	phone	f	\N	\N	\N	\N	\N	2024-08-10 10:15:00-04	2024-08-10 10:15:00-04	\N	t	20
f9643144-d3bb-4ccc-b642-6c255ec1fb07	33b4ff7a-0d0d-423d-8954-a904ce768ad4	cc0ef9f8-b669-4398-bded-b3fdcb2e222c	3d9e36cf-84ff-42fb-8ac8-76400dbcc606	Borrow a drill from Sam	\N	4	open	\N	\N	\N	\N	phone	f	\N	\N	\N	\N	\N	2024-08-10 10:20:00-04	2024-08-10 10:20:00-04	\N	t	30
eacb4b27-f14e-4e23-a235-150676757e23	38f45bb2-e7a4-49db-bafb-249f8c316b71	ad9e9b03-eafb-4815-9b21-ab1b28c5b126	\N	Update the job post	\N	2	done	\N	\N	\N	\N	quick	f	\N	\N	\N	\N	\N	2024-04-02 11:15:00-04	2024-04-03 10:00:00-04	2024-04-03 10:00:00-04	t	10
57ac7f39-0404-4a05-ae8d-5869c16561c7	38f45bb2-e7a4-49db-bafb-249f8c316b71	ad9e9b03-eafb-4815-9b21-ab1b28c5b126	\N	Screen applicants	\N	2	in_progress	\N	\N	FREQ=WEEKLY;BYDAY=TU,TH	{hiring}	low_energy	f	\N	\N	\N	\N	\N	2024-04-02 11:20:00-04	2024-04-02 11:20:00-04	\N	t	20
bc618df8-bb02-4533-be28-4a7a315994d8	38f45bb2-e7a4-49db-bafb-249f8c316b71	ad9e9b03-eafb-4815-9b21-ab1b28c5b126	\N	Book onsite interviews	\N	3	open	2024-11-08	\N	\N	\N	phone	f	\N	\N	\N	\N	\N	2024-10-21 09:00:00-04	2024-10-21 09:00:00-04	\N	t	30
668e4826-06e0-4ca4-a857-4e1aef8df252	33b4ff7a-0d0d-423d-8954-a904ce768ad4	59ea75e0-f0ea-4fc3-abbf-0cd745c8fa26	\N	Long run 18 km	\N	2	open	\N	\N	FREQ=WEEKLY;BYDAY=SU	{running}	low_energy	f	\N	\N	\N	\N	\N	2024-07-01 07:10:00-04	2024-07-01 07:10:00-04	\N	t	10
c359e317-a98f-41a8-88f5-ee089968aa9e	33b4ff7a-0d0d-423d-8954-a904ce768ad4	59ea75e0-f0ea-4fc3-abbf-0cd745c8fa26	\N	Buy new running shoes	\N	3	done	\N	\N	\N	\N	errand	f	\N	\N	\N	\N	\N	2024-07-01 07:15:00-04	2024-07-13 16:00:00-04	2024-07-13 16:00:00-04	t	20
7875ef4b-0c15-460d-b5e9-4cb56ab75c09	33b4ff7a-0d0d-423d-8954-a904ce768ad4	59ea75e0-f0ea-4fc3-abbf-0cd745c8fa26	\N	Pick up race bib	\N	2	open	2024-11-16	\N	\N	\N	errand	f	\N	\N	\N	\N	\N	2024-10-20 20:00:00-04	2024-10-20 20:00:00-04	\N	t	30
ed75f46c-2919-4380-b4c8-7a013352ac95	33b4ff7a-0d0d-423d-8954-a904ce768ad4	59ea75e0-f0ea-4fc3-abbf-0cd745c8fa26	\N	Taper week plan	Cut volume by 40%, keep two short tempo runs.	3	open	2024-11-10	\N	\N	{running}	deep_work	f	\N	\N	\N	\N	\N	2024-10-20 20:05:00-04	2024-10-20 20:05:00-04	\N	t	40
76ac6be9-63d6-4e9e-95d6-03b9d9d1dde0	38f45bb2-e7a4-49db-bafb-249f8c316b71	f291f382-9de5-48c3-a3f8-ca12d673e5ba	\N	Delete unused dashboards	\N	4	open	\N	\N	\N	\N	low_energy	f	\N	\N	\N	\N	\N	2024-03-11 09:45:00-04	2024-03-11 09:45:00-04	\N	t	10
02baa7ff-b322-4945-a067-df7c34eebe2c	38f45bb2-e7a4-49db-bafb-249f8c316b71	f291f382-9de5-48c3-a3f8-ca12d673e5ba	\N	Alert on error budget, not CPU	\N	2	open	\N	\N	\N	{alerts}	deep_work	f	\N	\N	\N	\N	\N	2024-03-11 09:50:00-04	2024-03-11 09:50:00-04	\N	t	20
0067536b-9439-418b-be6e-d5b575ae2b70	33b4ff7a-0d0d-423d-8954-a904ce768ad4	\N	\N	Call mom	Her birthday is on Saturday.	1	done	2024-10-31	\N	\N	{family}	phone	f	\N	\N	\N	\N	\N	2024-10-28 08:00:00-04	2024-10-30 19:30:00-04	2024-10-30 19:30:00-04	t	20
b9f3c4f1-2961-4f01-8fe1-b3eee6b817fa	33b4ff7a-0d0d-423d-8954-a904ce768ad4	\N	\N	Renew passport	\N	2	in_progress	2025-01-31	\N	\N	{admin,travel}	errand	f	\N	\N	\N	\N	\N	2024-09-15 10:00:00-04	2024-09-15 10:00:00-04	\N	t	10
546210ce-e3b6-41ef-bc0b-1afe2979589d	33b4ff7a-0d0d-423d-8954-a904ce768ad4	\N	\N	Dentist appointment	\N	3	open	\N	\N	every 6 months	\N	phone	f	\N	\N	\N	\N	\N	2024-10-30 12:00:00-04	2024-10-30 12:00:00-04	\N	t	30
d612c379-cabf-49e0-99a6-570fe35ed425	6fc59728-9d3e-4ba7-8eed-61984eed8e50	6f777ce4-91ce-4a39-b714-2f0a2f4dfe70	\N	Status page	\N	1	in_progress	2024-11-22	\N	\N	{infra}	deep_work	f	\N	\N	\N	\N	\N	2024-06-03 09:30:00-04	2024-06-03 09:30:00-04	\N	t	10
bcd9d4ee-be1e-4115-8dc5-2c922d014990	6fc59728-9d3e-4ba7-8eed-61984eed8e50	6f777ce4-91ce-4a39-b714-2f0a2f4dfe70	d612c379-cabf-49e0-99a6-570fe35ed425	Pick a status page provider	\N	2	done	\N	\N	\N	\N	quick	f	\N	\N	\N	\N	\N	2024-06-03 09:35:00-04	2024-06-10 15:00:00-04	2024-06-10 15:00:00-04	t	20
08c225cb-0b9f-47f7-8723-460cb679f02c	6fc59728-9d3e-4ba7-8eed-61984eed8e50	6f777ce4-91ce-4a39-b714-2f0a2f4dfe70	\N	Invite-code sign-up flow	Codes are single use.\nRate-limit by IP.	1	open	2024-11-29	\N	\N	{frontend,backend}	deep_work	f	\N	\N	\N	\N	\N	2024-06-04 10:00:00-04	2024-06-04 10:00:00-04	\N	t	30
6eb41764-a463-47e8-adb7-4fc387b58f92	6fc59728-9d3e-4ba7-8eed-61984eed8e50	6f777ce4-91ce-4a39-b714-2f0a2f4dfe70	08c225cb-0b9f-47f7-8723-460cb679f02c	Email templates for invites	\N	3	open	\N	\N	\N	{frontend}	low_energy	f	\N	\N	\N	\N	\N	2024-06-04 10:05:00-04	2024-06-04 10:05:00-04	\N	t	40
a9697e8f-0ec6-440a-a3c7-4fd7f27a1936	6fc59728-9d3e-4ba7-8eed-61984eed8e50	6f777ce4-91ce-4a39-b714-2f0a2f4dfe70	\N	Load test the API	\N	2	blocked	\N	\N	\N	{infra}	waiting	f	\N	\N	\N	\N	\N	2024-09-02 09:00:00-04	2024-09-02 09:00:00-04	\N	t	50
2d0f8c3c-4f1d-4a8a-a62b-3f3d27d032c6	6fc59728-9d3e-4ba7-8eed-61984eed8e50	6f777ce4-91ce-4a39-b714-2f0a2f4dfe70	\N	Write the beta FAQ	\N	3	open	2024-11-27	\N	\N	\N	deep_work	f	\N	\N	\N	\N	\N	2024-10-14 13:00:00-04	2024-10-14 13:00:00-04	\N	t	60
6a7c5835-3d23-4d71-92c2-968b45464660	6fc59728-9d3e-4ba7-8eed-61984eed8e50	d208679b-444b-4a86-87c2-d29b16309979	\N	Landing page copy	\N	2	done	\N	\N	\N	\N	deep_work	f	\N	\N	\N	\N	\N	2024-06-03 09:40:00-04	2024-07-15 17:00:00-04	2024-07-15 17:00:00-04	t	10
c453439c-7268-456f-837a-3f8182768077	6fc59728-9d3e-4ba7-8eed-61984eed8e50	d208679b-444b-4a86-87c2-d29b16309979	\N	Screenshots for the site	\N	3	done	\N	\N	\N	{design}	low_energy	f	\N	\N	\N	\N	\N	2024-06-03 09:45:00-04	2024-08-28 12:00:00-04	2024-08-28 12:00:00-04	t	20
5c0a031c-e23a-4fbe-894e-22eebe865a5c	6fc59728-9d3e-4ba7-8eed-61984eed8e50	\N	\N	Ask Priya for an intro to the design studio	\N	3	open	\N	\N	\N	\N	on the train	t	\N	\N	\N	\N	\N	2024-10-31 08:10:00-04	2024-10-31 08:10:00-04	\N	t	20
1ae83bf3-884b-410d-838f-964b1132de9f	6fc59728-9d3e-4ba7-8eed-61984eed8e50	\N	\N	Trademark filing	\N	2	open	2024-12-31	\N	\N	{legal}	waiting	f	\N	\N	\N	\N	\N	2024-10-02 11:00:00-04	2024-10-02 11:00:00-04	\N	t	10
6bd36e36-af8a-4e64-9032-60d1e605c9aa	38f45bb2-e7a4-49db-bafb-249f8c316b71	\N	\N	Quarterly self-review	\N	2	open	2024-11-22	\N	\N	\N	deep_work	f	\N	\N	\N	\N	\N	2024-10-25 09:00:00-04	2024-10-25 09:00:00-04	\N	t	10
172eecdf-48b6-47ca-90be-fd4310ef9964	38f45bb2-e7a4-49db-bafb-249f8c316b71	\N	\N	Renew the conference badge	\N	4	open	\N	\N	\N	\N	quick	f	\N	\N	\N	\N	\N	2024-10-29 15:00:00-04	2024-10-29 15:00:00-04	\N	t	20
2a2c9140-d600-46cd-b0e1-99140b325723	33b4ff7a-0d0d-423d-8954-a904ce768ad4	b5752425-14da-4c39-be4e-6994c4a0e122	\N	Collect 1099s	\N	1	open	2025-02-15	\N	\N	{admin}	quick	f	\N	\N	\N	\N	\N	2024-10-01 19:05:00-04	2024-10-01 19:05:00-04	\N	t	10
c2adac38-34ca-4c31-9b72-bf7611f0f882	33b4ff7a-0d0d-423d-8954-a904ce768ad4	b5752425-14da-4c39-be4e-6994c4a0e122	\N	Find last year's return	\N	3	done	\N	\N	\N	{admin}	quick	f	\N	\N	\N	\N	\N	2024-10-01 19:10:00-04	2024-10-02 08:00:00-04	2024-10-02 08:00:00-04	t	20
894df842-048c-4a74-9ed3-200407054a3a	33b4ff7a-0d0d-423d-8954-a904ce768ad4	b5752425-14da-4c39-be4e-6994c4a0e122	\N	Book the accountant	\N	2	open	2025-03-01	\N	\N	\N	phone	f	\N	\N	\N	\N	\N	2024-10-01 19:15:00-04	2024-10-01 19:15:00-04	\N	t	30
\.

-- notes <- public.notes: 8 rows
COPY "notes" ("id", "domain_id", "project_id", "task_id", "title", "body", "content_format", "tags", "is_pinned", "created_at", "updated_at", "is_active", "sort_order") FROM stdin WITH (FREEZE);
8bfbd707-ba92-4a7b-993b-1e7aa9f0ce68	38f45bb2-e7a4-49db-bafb-249f8c316b71	73db3633-74d5-41fd-a94c-d17e5c6c0662	7f9c49bd-2897-4c2a-b36f-c6b3b84169d7	Billing v2 design	# Billing v2\n\n## Goals\n\n- Invoices rendered from one template\n- Credits and refunds as ledger entries\n\n## Non-goals\n\n- Multi-currency (next year)\n\n```sql\nSELECT invoice_id, sum(amount_cents)\n  FROM ledger\n GROUP BY invoice_id;\n```\n	markdown	{design,billing}	f	2024-02-06 09:00:00-05	2024-02-22 17:25:00-05	t	0
c33f0ed8-ee18-41af-9d41-15d1ee134300	38f45bb2-e7a4-49db-bafb-249f8c316b71	ad9e9b03-eafb-4815-9b21-ab1b28c5b126	\N	Interview loop	1. Intro call (30 min)\n2. Pairing session (90 min)\n3. System design (60 min)\n4. Team chat (30 min)\n	markdown	{hiring}	f	2024-04-02 12:00:00-04	2024-04-02 12:00:00-04	t	0
4bc937d4-b21c-4ce8-9bcb-95d4553abc3b	38f45bb2-e7a4-49db-bafb-249f8c316b71	93c38732-7075-4b14-8c2f-0ffeb049f7e5	\N	Offsite retro	**Keep:** workshops in the morning.\n**Change:** fewer slides.\n	markdown	\N	f	2024-09-23 10:00:00-04	2024-09-23 10:00:00-04	t	0
c0392c57-8406-4b04-9789-3076251348ff	33b4ff7a-0d0d-423d-8954-a904ce768ad4	59ea75e0-f0ea-4fc3-abbf-0cd745c8fa26	\N	Training plan	| week | long run | tempo |\n|---|---|---|\n| 1 | 12 km | 5 km |\n| 2 | 14 km | 6 km |\n| 3 | 16 km | 6 km |\n| 4 | 18 km | 7 km |\n	markdown	{running}	f	2024-07-01 07:30:00-04	2024-10-20 20:10:00-04	t	0
8981cde5-74e3-4d3c-a061-5de6a3e59f38	33b4ff7a-0d0d-423d-8954-a904ce768ad4	cc0ef9f8-b669-4398-bded-b3fdcb2e222c	\N	Garden ideas	Tomatoes, basil, chard. Marigolds at the edges.	markdown	\N	f	2024-08-10 10:30:00-04	2024-08-10 10:30:00-04	t	0
7858d29c-4369-4afb-9ffe-fe2b380b9078	33b4ff7a-0d0d-423d-8954-a904ce768ad4	\N	\N	Reading list	- The Pragmatic Programmer\n- Thinking in Systems\n- A Philosophy of Software Design\n	markdown	{books}	f	2024-03-02 21:00:00-05	2024-09-01 21:00:00-04	t	0
3fde6a74-d020-4b59-a8b2-ce204789d325	6fc59728-9d3e-4ba7-8eed-61984eed8e50	6f777ce4-91ce-4a39-b714-2f0a2f4dfe70	2d0f8c3c-4f1d-4a8a-a62b-3f3d27d032c6	Beta FAQ draft	## Who can join?\n\nAnyone with an invite code.\n\n## Is my data safe?\n\nYes: backups every night, kept for 30 days.\n	markdown	{beta}	f	2024-10-14 13:30:00-04	2024-10-31 17:40:00-04	t	0
50b5d47f-4ae2-4b4f-93db-4cf9a1706725	6fc59728-9d3e-4ba7-8eed-61984eed8e50	\N	\N	Pricing thoughts	\N	markdown	\N	f	2024-05-20 18:00:00-04	2024-05-20 18:00:00-04	t	0
\.

-- capture <- public.capture: 6 rows
COPY "capture" ("id", "raw_text", "processed", "task_id", "domain_id", "project_id", "source", "created_at", "updated_at", "is_active", "sort_order") FROM stdin WITH (FREEZE);
8b15e272-0d38-4f01-a563-f70f1bd1d2a2	call mom before saturday	t	0067536b-9439-418b-be6e-d5b575ae2b70	\N	\N	web	2024-10-28 07:55:00-04	2024-10-28 07:55:00-04	t	0
c9cc3631-2d2c-48a5-82a6-dd3f5d79a49b	status page: look at open source options	t	d612c379-cabf-49e0-99a6-570fe35ed425	\N	\N	web	2024-06-03 09:25:00-04	2024-06-03 09:25:00-04	t	0
4b6f8e58-9ec9-4d0b-b246-235436a2e12e	idea: weekly digest email for beta users	f	\N	\N	\N	web	2024-10-30 22:10:00-04	2024-10-30 22:10:00-04	t	0
ccaf6861-dfee-48b8-81cc-b4bb24bef3cf	receipt from the Lisbon dinner	t	825c2054-b770-4747-9f7a-b18ff0acf807	\N	\N	web	2024-09-20 20:55:00-04	2024-09-20 20:55:00-04	t	0
bd8f4f5f-5707-4015-90e8-b6d42febf052	book: Designing Data-Intensive Applications	f	\N	\N	\N	web	2024-10-31 07:45:00-04	2024-10-31 07:45:00-04	t	0
460961cb-381e-4408-8066-68a2ff601c2e	ask Sam about the drill	t	f9643144-d3bb-4ccc-b642-6c255ec1fb07	\N	\N	web	2024-08-10 10:18:00-04	2024-08-10 10:18:00-04	t	0
\.

-- bookmarks <- public.links: 8 rows
COPY "bookmarks" ("id", "domain_id", "project_id", "task_id", "folder_id", "label", "url", "description", "favicon_url", "tags", "created_at", "updated_at", "is_active", "sort_order") FROM stdin WITH (FREEZE);
9cb52290-11ad-44f1-bea6-58d6b3d1aa77	38f45bb2-e7a4-49db-bafb-249f8c316b71	73db3633-74d5-41fd-a94c-d17e5c6c0662	\N	\N	Stripe invoicing docs	https://docs.stripe.com/invoicing	\N	\N	\N	2024-02-06 09:30:00-05	2024-02-06 09:30:00-05	t	0
831c1b31-d33e-4ee9-a38c-9c1bb07a9936	38f45bb2-e7a4-49db-bafb-249f8c316b71	73db3633-74d5-41fd-a94c-d17e5c6c0662	7f9c49bd-2897-4c2a-b36f-c6b3b84169d7	\N	ADR template	https://github.com/joelparkerhenderson/architecture-decision-record	The one we use	\N	\N	2024-02-06 09:35:00-05	2024-02-06 09:35:00-05	t	0
bb507ce3-e27a-4883-bf49-e29b4310accb	38f45bb2-e7a4-49db-bafb-249f8c316b71	f291f382-9de5-48c3-a3f8-ca12d673e5ba	02baa7ff-b322-4945-a067-df7c34eebe2c	\N	SRE workbook: alerting on SLOs	https://sre.google/workbook/alerting-on-slos/	\N	\N	\N	2024-03-11 10:00:00-04	2024-03-11 10:00:00-04	t	0
2beba676-0283-4c7b-9fb0-d0289f343d76	33b4ff7a-0d0d-423d-8954-a904ce768ad4	59ea75e0-f0ea-4fc3-abbf-0cd745c8fa26	\N	\N	Race website	https://example.com/half-marathon-2024	Bib pick-up Saturday 10-18	\N	\N	2024-07-01 07:35:00-04	2024-07-01 07:35:00-04	t	0
55d5c3fe-60a5-471f-9eb2-2475e2628c73	33b4ff7a-0d0d-423d-8954-a904ce768ad4	\N	b9f3c4f1-2961-4f01-8fe1-b3eee6b817fa	\N	Passport renewal	https://travel.state.gov/content/travel/en/passports.html	\N	\N	\N	2024-09-15 10:05:00-04	2024-09-15 10:05:00-04	t	0
1af0c9d3-c1b6-4c64-aff8-218aff8d3802	6fc59728-9d3e-4ba7-8eed-61984eed8e50	6f777ce4-91ce-4a39-b714-2f0a2f4dfe70	d612c379-cabf-49e0-99a6-570fe35ed425	\N	Status page options	https://github.com/topics/status-page	\N	\N	\N	2024-06-03 09:50:00-04	2024-06-03 09:50:00-04	t	0
1a51ff69-9b39-4c1a-adc9-63ddf421801d	6fc59728-9d3e-4ba7-8eed-61984eed8e50	d208679b-444b-4a86-87c2-d29b16309979	\N	\N	Site mock-ups	https://www.figma.com/file/EXAMPLE/sintri-site	v3 is the final one	\N	\N	2024-06-10 11:00:00-04	2024-06-10 11:00:00-04	t	0
93d9161c-7016-403e-88eb-0b93bad089de	6fc59728-9d3e-4ba7-8eed-61984eed8e50	\N	1ae83bf3-884b-410d-838f-964b1132de9f	\N	Trademark search	https://tmsearch.uspto.gov/	\N	\N	\N	2024-10-02 11:05:00-04	2024-10-02 11:05:00-04	t	0
\.

-- files <- public.files: 6 rows
COPY "files" ("id", "domain_id", "project_id", "task_id", "capture_id", "note_id", "filename", "original_filename", "storage_path", "mime_type", "size_bytes", "description", "tags", "created_at", "updated_at", "is_active", "sort_order") FROM stdin WITH (FREEZE);
ab3771c7-ed67-4959-a7d1-830586653344	38f45bb2-e7a4-49db-bafb-249f8c316b71	73db3633-74d5-41fd-a94c-d17e5c6c0662	7f9c49bd-2897-4c2a-b36f-c6b3b84169d7	\N	\N	ab3771c7-ed67-4959-a7d1-830586653344_billing-v2-design.pdf	Billing v2 design.pdf	/opt/lifeos/storage/files/38f45bb2-e7a4-49db-bafb-249f8c316b71/ab3771c7-ed67-4959-a7d1-830586653344_billing-v2-design.pdf	application/pdf	184320	Exported design doc	{design}	2024-02-22 17:30:00-05	2024-02-22 17:30:00-05	t	0
3eba6c0f-de2a-4016-afb4-f697f03cca30	33b4ff7a-0d0d-423d-8954-a904ce768ad4	cc0ef9f8-b669-4398-bded-b3fdcb2e222c	\N	\N	\N	3eba6c0f-de2a-4016-afb4-f697f03cca30_bed-sketch.png	bed sketch.png	/opt/lifeos/storage/files/33b4ff7a-0d0d-423d-8954-a904ce768ad4/3eba6c0f-de2a-4016-afb4-f697f03cca30_bed-sketch.png	image/png	98304	Sketch with measurements	\N	2024-08-11 09:05:00-04	2024-08-11 09:05:00-04	t	0
c727f5e9-47f3-4834-8d0d-158a49426cf8	38f45bb2-e7a4-49db-bafb-249f8c316b71	73db3633-74d5-41fd-a94c-d17e5c6c0662	3ff00ed8-3d7c-4968-af18-daaa2e5a196c	\N	\N	c727f5e9-47f3-4834-8d0d-158a49426cf8_sample-invoice.pdf	sample invoice.pdf	/opt/lifeos/storage/files/38f45bb2-e7a4-49db-bafb-249f8c316b71/c727f5e9-47f3-4834-8d0d-158a49426cf8_sample-invoice.pdf	application/pdf	40960	\N	\N	2024-03-05 09:00:00-05	2024-03-05 09:00:00-05	t	0
328df96a-dbad-4cf1-8656-607a6f5d56cd	6fc59728-9d3e-4ba7-8eed-61984eed8e50	d208679b-444b-4a86-87c2-d29b16309979	c453439c-7268-456f-837a-3f8182768077	\N	\N	328df96a-dbad-4cf1-8656-607a6f5d56cd_logo.svg	logo.svg	/opt/lifeos/storage/files/6fc59728-9d3e-4ba7-8eed-61984eed8e50/328df96a-dbad-4cf1-8656-607a6f5d56cd_logo.svg	image/svg+xml	4096	Final logo	{design}	2024-07-15 17:05:00-04	2024-07-15 17:05:00-04	t	0
172e8779-48e8-457b-b7f0-185883fb88cc	33b4ff7a-0d0d-423d-8954-a904ce768ad4	59ea75e0-f0ea-4fc3-abbf-0cd745c8fa26	\N	\N	\N	172e8779-48e8-457b-b7f0-185883fb88cc_training plan.xlsx	training plan.xlsx	/opt/lifeos/storage/files/33b4ff7a-0d0d-423d-8954-a904ce768ad4/172e8779-48e8-457b-b7f0-185883fb88cc_training plan.xlsx	application/vnd.openxmlformats-officedocument.spreadsheetml.sheet	12288	\N	{running}	2024-07-01 07:40:00-04	2024-07-01 07:40:00-04	t	0
23731d7b-e2fd-47b6-98a9-0888f324741d	38f45bb2-e7a4-49db-bafb-249f8c316b71	93c38732-7075-4b14-8c2f-0ffeb049f7e5	825c2054-b770-4747-9f7a-b18ff0acf807	ccaf6861-dfee-48b8-81cc-b4bb24bef3cf	\N	23731d7b-e2fd-47b6-98a9-0888f324741d_receipt.jpg	IMG_2041.JPG	/opt/lifeos/storage/files/38f45bb2-e7a4-49db-bafb-249f8c316b71/23731d7b-e2fd-47b6-98a9-0888f324741d_receipt.jpg	image/jpeg	251904	Dinner receipt	{receipt}	2024-09-20 20:56:00-04	2024-09-20 20:56:00-04	t	0
\.

-- daily_focus <- public.daily_focus: 15 rows
COPY "daily_focus" ("id", "focus_date", "task_id", "domain_id", "slot", "completed", "note", "created_at", "updated_at", "is_active", "sort_order") FROM stdin WITH (FREEZE);
43c7606a-e848-4290-8844-85a3c1a928a6	2024-10-28	a99ac25a-1033-49fe-848c-eba2fe398f65	38f45bb2-e7a4-49db-bafb-249f8c316b71	1	f	\N	2024-10-28 08:00:00-04	2024-10-28 08:00:00-04	t	0
29ccb72c-d695-496d-a7f3-315bdb2c3c6b	2024-10-28	0067536b-9439-418b-be6e-d5b575ae2b70	33b4ff7a-0d0d-423d-8954-a904ce768ad4	2	f	Before lunch	2024-10-28 08:01:00-04	2024-10-28 08:01:00-04	t	0
6ccdafe1-4e82-405b-9c28-e4e409e38e29	2024-10-28	08c225cb-0b9f-47f7-8723-460cb679f02c	6fc59728-9d3e-4ba7-8eed-61984eed8e50	3	f	\N	2024-10-28 08:02:00-04	2024-10-28 08:02:00-04	t	0
7fe4f15c-6d40-4a5b-8102-0654806de6c5	2024-10-29	9d0f24ee-3ef4-4b9c-b1c9-fef1b51f1bab	38f45bb2-e7a4-49db-bafb-249f8c316b71	1	f	\N	2024-10-29 08:00:00-04	2024-10-29 08:00:00-04	t	0
0298933d-6486-4a45-ae9e-9ed6d4c082ab	2024-10-29	172eecdf-48b6-47ca-90be-fd4310ef9964	38f45bb2-e7a4-49db-bafb-249f8c316b71	2	t	\N	2024-10-29 08:01:00-04	2024-10-29 08:01:00-04	t	0
a482f07f-7a81-409f-921a-0d5bca652df0	2024-10-29	ed75f46c-2919-4380-b4c8-7a013352ac95	33b4ff7a-0d0d-423d-8954-a904ce768ad4	3	t	\N	2024-10-29 08:02:00-04	2024-10-29 08:02:00-04	t	0
84d6fe35-5477-4286-8064-af1ffe4845ac	2024-10-30	9d0f24ee-3ef4-4b9c-b1c9-fef1b51f1bab	38f45bb2-e7a4-49db-bafb-249f8c316b71	1	f	Carry over from yesterday	2024-10-30 08:00:00-04	2024-10-30 08:00:00-04	t	0
d560a16b-3c0e-45ec-85d3-49503fb49a9a	2024-10-30	0067536b-9439-418b-be6e-d5b575ae2b70	33b4ff7a-0d0d-423d-8954-a904ce768ad4	2	t	\N	2024-10-30 08:01:00-04	2024-10-30 08:01:00-04	t	0
a4f42ef5-0d46-4beb-84a6-a4c0a5815940	2024-10-30	2a2c9140-d600-46cd-b0e1-99140b325723	33b4ff7a-0d0d-423d-8954-a904ce768ad4	3	f	\N	2024-10-30 08:02:00-04	2024-10-30 08:02:00-04	t	0
9ad0a451-05aa-4fca-a672-bd123e177408	2024-10-31	2d0f8c3c-4f1d-4a8a-a62b-3f3d27d032c6	6fc59728-9d3e-4ba7-8eed-61984eed8e50	1	t	\N	2024-10-31 08:00:00-04	2024-10-31 08:00:00-04	t	0
cf1ea6b5-36e7-44e6-a4f1-71f4a7b76017	2024-10-31	bc618df8-bb02-4533-be28-4a7a315994d8	38f45bb2-e7a4-49db-bafb-249f8c316b71	2	f	\N	2024-10-31 08:01:00-04	2024-10-31 08:01:00-04	t	0
25588d95-88b7-4c69-9d7e-5617aa3b77aa	2024-10-31	7875ef4b-0c15-460d-b5e9-4cb56ab75c09	33b4ff7a-0d0d-423d-8954-a904ce768ad4	3	f	\N	2024-10-31 08:02:00-04	2024-10-31 08:02:00-04	t	0
b6fea35d-e9cf-4fc7-a4dd-a0b54a8eab72	2024-11-01	b3b654d1-f902-4f0f-9f02-42a1bb4c7b21	38f45bb2-e7a4-49db-bafb-249f8c316b71	1	f	Waiting on finance	2024-11-01 08:00:00-04	2024-11-01 08:00:00-04	t	0
ba0e228a-e60d-4fff-be64-0e51ff229bba	2024-11-01	d612c379-cabf-49e0-99a6-570fe35ed425	6fc59728-9d3e-4ba7-8eed-61984eed8e50	2	f	\N	2024-11-01 08:01:00-04	2024-11-01 08:01:00-04	t	0
a005c47e-be85-4458-82c2-2945648069b9	2024-11-01	b9f3c4f1-2961-4f01-8fe1-b3eee6b817fa	33b4ff7a-0d0d-423d-8954-a904ce768ad4	3	f	\N	2024-11-01 08:02:00-04	2024-11-01 08:02:00-04	t	0
\.

-- reminders <- public.reminders: 0 rows
COPY "reminders" ("id", "entity_type", "entity_id", "remind_at", "note", "is_sent", "recurrence", "snoozed_until", "created_at", "updated_at", "is_active", "sort_order") FROM stdin WITH (FREEZE);
\.

-- Primary keys, unique constraints and indexes, built over the loaded rows.
ALTER TABLE domains
    ADD CONSTRAINT domains_pkey PRIMARY KEY (id);
ALTER TABLE areas
    ADD CONSTRAINT areas_pkey PRIMARY KEY (id);
CREATE INDEX idx_areas_domain_id ON areas (domain_id);
ALTER TABLE releases
    ADD CONSTRAINT releases_pkey PRIMARY KEY (id);
CREATE INDEX idx_releases_domain_id ON releases (domain_id);
ALTER TABLE projects
    ADD CONSTRAINT projects_pkey PRIMARY KEY (id);
CREATE INDEX idx_projects_domain_id ON projects (domain_id);
CREATE INDEX idx_projects_area_id ON projects (area_id);
CREATE INDEX idx_projects_release_id ON projects (release_id);
ALTER TABLE milestones
    ADD CONSTRAINT milestones_pkey PRIMARY KEY (id);
CREATE INDEX idx_milestones_project_id ON milestones (project_id);
CREATE INDEX idx_milestones_release_id ON milestones (release_id);
ALTER TABLE context_types
    ADD CONSTRAINT context_types_pkey PRIMARY KEY (id);
ALTER TABLE context_types
    ADD CONSTRAINT context_types_value_key UNIQUE (value);
ALTER TABLE contact_groups
    ADD CONSTRAINT contact_groups_pkey PRIMARY KEY (id);
ALTER TABLE contact_groups
    ADD CONSTRAINT contact_groups_name_key UNIQUE (name);
ALTER TABLE contacts
    ADD CONSTRAINT contacts_pkey PRIMARY KEY (id);
CREATE INDEX idx_contacts_group_id ON contacts (group_id);
ALTER TABLE task_templates
    ADD CONSTRAINT task_templates_pkey PRIMARY KEY (id);
CREATE INDEX idx_task_templates_domain_id ON task_templates (domain_id);
CREATE INDEX idx_task_templates_project_id ON task_templates (project_id);
ALTER TABLE tasks
    ADD CONSTRAINT tasks_pkey PRIMARY KEY (id);
CREATE INDEX idx_tasks_domain_id ON tasks (domain_id);
CREATE INDEX idx_tasks_project_id ON tasks (project_id);
CREATE INDEX idx_tasks_parent_id ON tasks (parent_id);
CREATE INDEX idx_tasks_assigned_to ON tasks (assigned_to);
CREATE INDEX idx_tasks_template_id ON tasks (template_id);
ALTER TABLE task_dependencies
    ADD CONSTRAINT task_dependencies_pkey PRIMARY KEY (id);
ALTER TABLE task_dependencies
    ADD CONSTRAINT task_dependencies_task_id_depends_on_task_id_key UNIQUE (task_id, depends_on_task_id);
CREATE INDEX idx_task_dependencies_depends_on_task_id ON task_dependencies (depends_on_task_id);
ALTER TABLE notes
    ADD CONSTRAINT notes_pkey PRIMARY KEY (id);
CREATE INDEX idx_notes_domain_id ON notes (domain_id);
CREATE INDEX idx_notes_project_id ON notes (project_id);
CREATE INDEX idx_notes_task_id ON notes (task_id);
ALTER TABLE note_links
    ADD CONSTRAINT note_links_pkey PRIMARY KEY (id);
ALTER TABLE note_links
    ADD CONSTRAINT note_links_note_id_target_type_target_id_key UNIQUE (note_id, target_type, target_id);
CREATE INDEX idx_note_links_target ON note_links (target_type, target_id);
ALTER TABLE capture
    ADD CONSTRAINT capture_pkey PRIMARY KEY (id);
CREATE INDEX idx_capture_task_id ON capture (task_id);
CREATE INDEX idx_capture_domain_id ON capture (domain_id);
CREATE INDEX idx_capture_project_id ON capture (project_id);
ALTER TABLE bookmark_folders
    ADD CONSTRAINT bookmark_folders_pkey PRIMARY KEY (id);
CREATE INDEX idx_bookmark_folders_parent_id ON bookmark_folders (parent_id);
CREATE INDEX idx_bookmark_folders_domain_id ON bookmark_folders (domain_id);
ALTER TABLE bookmarks
    ADD CONSTRAINT bookmarks_pkey PRIMARY KEY (id);
CREATE INDEX idx_bookmarks_domain_id ON bookmarks (domain_id);
CREATE INDEX idx_bookmarks_project_id ON bookmarks (project_id);
CREATE INDEX idx_bookmarks_task_id ON bookmarks (task_id);
CREATE INDEX idx_bookmarks_folder_id ON bookmarks (folder_id);
ALTER TABLE files
    ADD CONSTRAINT files_pkey PRIMARY KEY (id);
CREATE INDEX idx_files_domain_id ON files (domain_id);
CREATE INDEX idx_files_project_id ON files (project_id);
CREATE INDEX idx_files_task_id ON files (task_id);
CREATE INDEX idx_files_capture_id ON files (capture_id);
CREATE INDEX idx_files_note_id ON files (note_id);
ALTER TABLE daily_focus
    ADD CONSTRAINT daily_focus_pkey PRIMARY KEY (id);
ALTER TABLE daily_focus
    ADD CONSTRAINT daily_focus_focus_date_slot_key UNIQUE (focus_date, slot);
CREATE INDEX idx_daily_focus_task_id ON daily_focus (task_id);
CREATE INDEX idx_daily_focus_domain_id ON daily_focus (domain_id);
ALTER TABLE reminders
    ADD CONSTRAINT reminders_pkey PRIMARY KEY (id);
CREATE INDEX idx_reminders_entity ON reminders (entity_type, entity_id);
CREATE INDEX idx_reminders_pending ON reminders (remind_at) WHERE NOT is_sent;
ALTER TABLE calendar_events
    ADD CONSTRAINT calendar_events_pkey PRIMARY KEY (id);
CREATE INDEX idx_calendar_events_domain_id ON calendar_events (domain_id);
CREATE INDEX idx_calendar_events_project_id ON calendar_events (project_id);
CREATE INDEX idx_calendar_events_task_id ON calendar_events (task_id);
CREATE INDEX idx_calendar_events_starts_at ON calendar_events (starts_at);
ALTER TABLE time_blocks
    ADD CONSTRAINT time_blocks_pkey PRIMARY KEY (id);
CREATE INDEX idx_time_blocks_domain_id ON time_blocks (domain_id);
CREATE INDEX idx_time_blocks_project_id ON time_blocks (project_id);
CREATE INDEX idx_time_blocks_task_id ON time_blocks (task_id);
CREATE INDEX idx_time_blocks_starts_at ON time_blocks (starts_at);
ALTER TABLE time_entries
    ADD CONSTRAINT time_entries_pkey PRIMARY KEY (id);
CREATE INDEX idx_time_entries_task_id ON time_entries (task_id);
CREATE INDEX idx_time_entries_time_block_id ON time_entries (time_block_id);
CREATE INDEX idx_time_entries_started_at ON time_entries (started_at);
ALTER TABLE time_budgets
    ADD CONSTRAINT time_budgets_pkey PRIMARY KEY (id);
CREATE INDEX idx_time_budgets_domain_id ON time_budgets (domain_id);
CREATE INDEX idx_time_budgets_project_id ON time_budgets (project_id);
ALTER TABLE lists
    ADD CONSTRAINT lists_pkey PRIMARY KEY (id);
CREATE INDEX idx_lists_domain_id ON lists (domain_id);
CREATE INDEX idx_lists_project_id ON lists (project_id);
ALTER TABLE list_items
    ADD CONSTRAINT list_items_pkey PRIMARY KEY (id);
CREATE INDEX idx_list_items_list_id ON list_items (list_id);
CREATE INDEX idx_list_items_parent_item_id ON list_items (parent_item_id);
ALTER TABLE tags
    ADD CONSTRAINT tags_pkey PRIMARY KEY (id);
ALTER TABLE tags
    ADD CONSTRAINT tags_name_key UNIQUE (name);
ALTER TABLE entity_tags
    ADD CONSTRAINT entity_tags_pkey PRIMARY KEY (id);
ALTER TABLE entity_tags
    ADD CONSTRAINT entity_tags_tag_id_entity_type_entity_id_key UNIQUE (tag_id, entity_type, entity_id);
CREATE INDEX idx_entity_tags_entity ON entity_tags (entity_type, entity_id);
ALTER TABLE activity_log
    ADD CONSTRAINT activity_log_pkey PRIMARY KEY (id);
CREATE INDEX idx_activity_log_entity ON activity_log (entity_type, entity_id);
CREATE INDEX idx_activity_log_created_at ON activity_log (created_at);
ALTER TABLE user_settings
    ADD CONSTRAINT user_settings_pkey PRIMARY KEY (id);
ALTER TABLE user_settings
    ADD CONSTRAINT user_settings_key_key UNIQUE (key);
ALTER TABLE saved_views
    ADD CONSTRAINT saved_views_pkey PRIMARY KEY (id);
ALTER TABLE saved_views
    ADD CONSTRAINT saved_views_entity_type_name_key UNIQUE (entity_type, name);
CREATE UNIQUE INDEX uq_saved_views_default ON saved_views (entity_type) WHERE is_default;
ALTER TABLE search_index
    ADD CONSTRAINT search_index_pkey PRIMARY KEY (id);
ALTER TABLE search_index
    ADD CONSTRAINT search_index_entity_type_entity_id_key UNIQUE (entity_type, entity_id);
CREATE INDEX idx_search_index_document ON search_index USING gin (document);
CREATE INDEX idx_search_index_domain_id ON search_index (domain_id);

-- Foreign keys, each validated in one pass.
ALTER TABLE areas
    ADD CONSTRAINT areas_domain_id_fkey FOREIGN KEY (domain_id) REFERENCES domains (id) ON DELETE CASCADE;
ALTER TABLE releases
    ADD CONSTRAINT releases_domain_id_fkey FOREIGN KEY (domain_id) REFERENCES domains (id) ON DELETE CASCADE;
ALTER TABLE projects
    ADD CONSTRAINT projects_domain_id_fkey FOREIGN KEY (domain_id) REFERENCES domains (id) ON DELETE CASCADE;
ALTER TABLE projects
    ADD CONSTRAINT projects_area_id_fkey FOREIGN KEY (area_id) REFERENCES areas (id) ON DELETE SET NULL;
ALTER TABLE projects
    ADD CONSTRAINT projects_release_id_fkey FOREIGN KEY (release_id) REFERENCES releases (id) ON DELETE SET NULL;
ALTER TABLE milestones
    ADD CONSTRAINT milestones_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE;
ALTER TABLE milestones
    ADD CONSTRAINT milestones_release_id_fkey FOREIGN KEY (release_id) REFERENCES releases (id) ON DELETE SET NULL;
ALTER TABLE contacts
    ADD CONSTRAINT contacts_group_id_fkey FOREIGN KEY (group_id) REFERENCES contact_groups (id) ON DELETE SET NULL;
ALTER TABLE task_templates
    ADD CONSTRAINT task_templates_domain_id_fkey FOREIGN KEY (domain_id) REFERENCES domains (id) ON DELETE CASCADE;
ALTER TABLE task_templates
    ADD CONSTRAINT task_templates_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE SET NULL;
ALTER TABLE tasks
    ADD CONSTRAINT tasks_domain_id_fkey FOREIGN KEY (domain_id) REFERENCES domains (id) ON DELETE CASCADE;
ALTER TABLE tasks
    ADD CONSTRAINT tasks_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE SET NULL;
ALTER TABLE tasks
    ADD CONSTRAINT tasks_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES tasks (id) ON DELETE CASCADE;
ALTER TABLE tasks
    ADD CONSTRAINT tasks_assigned_to_fkey FOREIGN KEY (assigned_to) REFERENCES contacts (id) ON DELETE SET NULL;
ALTER TABLE tasks
    ADD CONSTRAINT tasks_template_id_fkey FOREIGN KEY (template_id) REFERENCES task_templates (id) ON DELETE SET NULL;
ALTER TABLE task_dependencies
    ADD CONSTRAINT task_dependencies_task_id_fkey FOREIGN KEY (task_id) REFERENCES tasks (id) ON DELETE CASCADE;
ALTER TABLE task_dependencies
    ADD CONSTRAINT task_dependencies_depends_on_task_id_fkey FOREIGN KEY (depends_on_task_id) REFERENCES tasks (id) ON DELETE CASCADE;
ALTER TABLE notes
    ADD CONSTRAINT notes_domain_id_fkey FOREIGN KEY (domain_id) REFERENCES domains (id) ON DELETE CASCADE;
ALTER TABLE notes
    ADD CONSTRAINT notes_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE SET NULL;
ALTER TABLE notes
    ADD CONSTRAINT notes_task_id_fkey FOREIGN KEY (task_id) REFERENCES tasks (id) ON DELETE SET NULL;
ALTER TABLE note_links
    ADD CONSTRAINT note_links_note_id_fkey FOREIGN KEY (note_id) REFERENCES notes (id) ON DELETE CASCADE;
ALTER TABLE capture
    ADD CONSTRAINT capture_task_id_fkey FOREIGN KEY (task_id) REFERENCES tasks (id) ON DELETE SET NULL;
ALTER TABLE capture
    ADD CONSTRAINT capture_domain_id_fkey FOREIGN KEY (domain_id) REFERENCES domains (id) ON DELETE SET NULL;
ALTER TABLE capture
    ADD CONSTRAINT capture_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE SET NULL;
ALTER TABLE bookmark_folders
    ADD CONSTRAINT bookmark_folders_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES bookmark_folders (id) ON DELETE CASCADE;
ALTER TABLE bookmark_folders
    ADD CONSTRAINT bookmark_folders_domain_id_fkey FOREIGN KEY (domain_id) REFERENCES domains (id) ON DELETE CASCADE;
ALTER TABLE bookmarks
    ADD CONSTRAINT bookmarks_domain_id_fkey FOREIGN KEY (domain_id) REFERENCES domains (id) ON DELETE CASCADE;
ALTER TABLE bookmarks
    ADD CONSTRAINT bookmarks_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE SET NULL;
ALTER TABLE bookmarks
    ADD CONSTRAINT bookmarks_task_id_fkey FOREIGN KEY (task_id) REFERENCES tasks (id) ON DELETE SET NULL;
ALTER TABLE bookmarks
    ADD CONSTRAINT bookmarks_folder_id_fkey FOREIGN KEY (folder_id) REFERENCES bookmark_folders (id) ON DELETE SET NULL;
ALTER TABLE files
    ADD CONSTRAINT files_domain_id_fkey FOREIGN KEY (domain_id) REFERENCES domains (id) ON DELETE CASCADE;
ALTER TABLE files
    ADD CONSTRAINT files_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE SET NULL;
ALTER TABLE files
    ADD CONSTRAINT files_task_id_fkey FOREIGN KEY (task_id) REFERENCES tasks (id) ON DELETE SET NULL;
ALTER TABLE files
    ADD CONSTRAINT files_capture_id_fkey FOREIGN KEY (capture_id) REFERENCES capture (id) ON DELETE SET NULL;
ALTER TABLE files
    ADD CONSTRAINT files_note_id_fkey FOREIGN KEY (note_id) REFERENCES notes (id) ON DELETE SET NULL;
ALTER TABLE daily_focus
    ADD CONSTRAINT daily_focus_task_id_fkey FOREIGN KEY (task_id) REFERENCES tasks (id) ON DELETE CASCADE;
ALTER TABLE daily_focus
    ADD CONSTRAINT daily_focus_domain_id_fkey FOREIGN KEY (domain_id) REFERENCES domains (id) ON DELETE CASCADE;
ALTER TABLE calendar_events
    ADD CONSTRAINT calendar_events_domain_id_fkey FOREIGN KEY (domain_id) REFERENCES domains (id) ON DELETE CASCADE;
ALTER TABLE calendar_events
    ADD CONSTRAINT calendar_events_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE SET NULL;
ALTER TABLE calendar_events
    ADD CONSTRAINT calendar_events_task_id_fkey FOREIGN KEY (task_id) REFERENCES tasks (id) ON DELETE SET NULL;
ALTER TABLE time_blocks
    ADD CONSTRAINT time_blocks_domain_id_fkey FOREIGN KEY (domain_id) REFERENCES domains (id) ON DELETE CASCADE;
ALTER TABLE time_blocks
    ADD CONSTRAINT time_blocks_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE SET NULL;
ALTER TABLE time_blocks
    ADD CONSTRAINT time_blocks_task_id_fkey FOREIGN KEY (task_id) REFERENCES tasks (id) ON DELETE SET NULL;
ALTER TABLE time_entries
    ADD CONSTRAINT time_entries_task_id_fkey FOREIGN KEY (task_id) REFERENCES tasks (id) ON DELETE CASCADE;
ALTER TABLE time_entries
    ADD CONSTRAINT time_entries_time_block_id_fkey FOREIGN KEY (time_block_id) REFERENCES time_blocks (id) ON DELETE SET NULL;
ALTER TABLE time_budgets
    ADD CONSTRAINT time_budgets_domain_id_fkey FOREIGN KEY (domain_id) REFERENCES domains (id) ON DELETE CASCADE;
ALTER TABLE time_budgets
    ADD CONSTRAINT time_budgets_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE;
ALTER TABLE lists
    ADD CONSTRAINT lists_domain_id_fkey FOREIGN KEY (domain_id) REFERENCES domains (id) ON DELETE CASCADE;
ALTER TABLE lists
    ADD CONSTRAINT lists_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE SET NULL;
ALTER TABLE list_items
    ADD CONSTRAINT list_items_list_id_fkey FOREIGN KEY (list_id) REFERENCES lists (id) ON DELETE CASCADE;
ALTER TABLE list_items
    ADD CONSTRAINT list_items_parent_item_id_fkey FOREIGN KEY (parent_item_id) REFERENCES list_items (id) ON DELETE CASCADE;
ALTER TABLE entity_tags
    ADD CONSTRAINT entity_tags_tag_id_fkey FOREIGN KEY (tag_id) REFERENCES tags (id) ON DELETE CASCADE;
ALTER TABLE search_index
    ADD CONSTRAINT search_index_domain_id_fkey FOREIGN KEY (domain_id) REFERENCES domains (id) ON DELETE CASCADE;

-- Proof before COMMIT: every table holds exactly the rows dumpshift wrote.
DO $dumpshift$
DECLARE
    n bigint;
    d text[];
BEGIN
    SELECT count(*), ARRAY[encode(sha256(convert_to(coalesce(string_agg(id::text, E'\n' ORDER BY id), ''), 'UTF8')), 'hex')]::text[] INTO n, d FROM "domains";
    IF n <> 3 THEN RAISE EXCEPTION 'dumpshift: table % holds % rows, expected %', 'domains', n, 3; END IF;
    IF d[1] IS DISTINCT FROM '77bdfeb9a0ffade47ebf391312a1a83b8dd7223ab7fffcf76d85393af844b7a0' THEN RAISE EXCEPTION 'dumpshift: table % column % differs from the dump (sha256 %, expected %)', 'domains', 'id', d[1], '77bdfeb9a0ffade47ebf391312a1a83b8dd7223ab7fffcf76d85393af844b7a0'; END IF;
    SELECT count(*), ARRAY[encode(sha256(convert_to(coalesce(string_agg(id::text, E'\n' ORDER BY id), ''), 'UTF8')), 'hex')]::text[] INTO n, d FROM "areas";
    IF n <> 5 THEN RAISE EXCEPTION 'dumpshift: table % holds % rows, expected %', 'areas', n, 5; END IF;
    IF d[1] IS DISTINCT FROM '4d33977dcf4be4c11357088946717a14aad62bd89b45c834d239487999ef306c' THEN RAISE EXCEPTION 'dumpshift: table % column % differs from the dump (sha256 %, expected %)', 'areas', 'id', d[1], '4d33977dcf4be4c11357088946717a14aad62bd89b45c834d239487999ef306c'; END IF;
    SELECT count(*), ARRAY[encode(sha256(convert_to(coalesce(string_agg(id::text, E'\n' ORDER BY id), ''), 'UTF8')), 'hex')]::text[] INTO n, d FROM "projects";
    IF n <> 10 THEN RAISE EXCEPTION 'dumpshift: table % holds % rows, expected %', 'projects', n, 10; END IF;
    IF d[1] IS DISTINCT FROM 'a8b52af14703c0bfb61d8b3fc64fe1b25eb341d4a62f1aeffd16fbc16b030602' THEN RAISE EXCEPTION 'dumpshift: table % column % differs from the dump (sha256 %, expected %)', 'projects', 'id', d[1], 'a8b52af14703c0bfb61d8b3fc64fe1b25eb341d4a62f1aeffd16fbc16b030602'; END IF;
    SELECT count(*), ARRAY[encode(sha256(convert_to(coalesce(string_agg(id::text, E'\n' ORDER BY id), ''), 'UTF8')), 'hex')]::text[] INTO n, d FROM "context_types";
    IF n <> 6 THEN RAISE EXCEPTION 'dumpshift: table % holds % rows, expected %', 'context_types', n, 6; END IF;
    IF d[1] IS DISTINCT FROM '4780af6b0385f02639d1eec2ff720545a53da0b743656b5736c9407aa38f7a3b' THEN RAISE EXCEPTION 'dumpshift: table % column % differs from the dump (sha256 %, expected %)', 'context_types', 'id', d[1], '4780af6b0385f02639d1eec2ff720545a53da0b743656b5736c9407aa38f7a3b'; END IF;
    SELECT count(*), ARRAY[encode(sha256(convert_to(coalesce(string_agg(id::text, E'\n' ORDER BY id), ''), 'UTF8')), 'hex')]::text[] INTO n, d FROM "tasks";
    IF n <> 40 THEN RAISE EXCEPTION 'dumpshift: table % holds % rows, expected %', 'tasks', n, 40; END IF;
    IF d[1] IS DISTINCT FROM '098e0c44dad59b0b540245c4357a6c3637f9915067d6d3816f8bfe85f096bc10' THEN RAISE EXCEPTION 'dumpshift: table % column % differs from the dump (sha256 %, expected %)', 'tasks', 'id', d[1], '098e0c44dad59b0b540245c4357a6c3637f9915067d6d3816f8bfe85f096bc10'; END IF;
    SELECT count(*), ARRAY[encode(sha256(convert_to(coalesce(string_agg(id::text, E'\n' ORDER BY id), ''), 'UTF8')), 'hex'), encode(sha256(convert_to(coalesce(string_agg(id::text || ':' || coalesce(encode(sha256(convert_to("body", 'UTF8')), 'hex'), 'NULL'), E'\n' ORDER BY id), ''), 'UTF8')), 'hex')]::text[] INTO n, d FROM "notes";
    IF n <> 8 THEN RAISE EXCEPTION 'dumpshift: table % holds % rows, expected %', 'notes', n, 8; END IF;
    IF d[1] IS DISTINCT FROM 'df9824dd54cb4863b61f8da1f79429baa7aea82ada2acf1236d2be8769ea29c9' THEN RAISE EXCEPTION 'dumpshift: table % column % differs from the dump (sha256 %, expected %)', 'notes', 'id', d[1], 'df9824dd54cb4863b61f8da1f79429baa7aea82ada2acf1236d2be8769ea29c9'; END IF;
    IF d[2] IS DISTINCT FROM 'fd9740fa321975ae47cff2ebbcbbbb705e7b7afa589695770fa08f1b0b704db1' THEN RAISE EXCEPTION 'dumpshift: table % column % differs from the dump (sha256 %, expected %)', 'notes', 'body', d[2], 'fd9740fa321975ae47cff2ebbcbbbb705e7b7afa589695770fa08f1b0b704db1'; END IF;
    SELECT count(*), ARRAY[encode(sha256(convert_to(coalesce(string_agg(id::text, E'\n' ORDER BY id), ''), 'UTF8')), 'hex')]::text[] INTO n, d FROM "capture";
    IF n <> 6 THEN RAISE EXCEPTION 'dumpshift: table % holds % rows, expected %', 'capture', n, 6; END IF;
    IF d[1] IS DISTINCT FROM 'b0ab3c5969198b6aaac4ff10e77f4061d2208ab3e74b94b8b40a5c867bc145d9' THEN RAISE EXCEPTION 'dumpshift: table % column % differs from the dump (sha256 %, expected %)', 'capture', 'id', d[1], 'b0ab3c5969198b6aaac4ff10e77f4061d2208ab3e74b94b8b40a5c867bc145d9'; END IF;
    SELECT count(*), ARRAY[encode(sha256(convert_to(coalesce(string_agg(id::text, E'\n' ORDER BY id), ''), 'UTF8')), 'hex')]::text[] INTO n, d FROM "bookmarks";
    IF n <> 8 THEN RAISE EXCEPTION 'dumpshift: table % holds % rows, expected %', 'bookmarks', n, 8; END IF;
    IF d[1] IS DISTINCT FROM 'c8c13b54d20b6e6b01134e2353c9292b19cd7afb6794d0cefbf3a47220895c11' THEN RAISE EXCEPTION 'dumpshift: table % column % differs from the dump (sha256 %, expected %)', 'bookmarks', 'id', d[1], 'c8c13b54d20b6e6b01134e2353c9292b19cd7afb6794d0cefbf3a47220895c11'; END IF;
    SELECT count(*), ARRAY[encode(sha256(convert_to(coalesce(string_agg(id::text, E'\n' ORDER BY id), ''), 'UTF8')), 'hex')]::text[] INTO n, d FROM "files";
    IF n <> 6 THEN RAISE EXCEPTION 'dumpshift: table % holds % rows, expected %', 'files', n, 6; END IF;
    IF d[1] IS DISTINCT FROM 'b4a00f7381715136ecbbed7afbd714a41fd0ff09694ae16d6a6bb9ebdb2f3e90' THEN RAISE EXCEPTION 'dumpshift: table % column % differs from the dump (sha256 %, expected %)', 'files', 'id', d[1], 'b4a00f7381715136ecbbed7afbd714a41fd0ff09694ae16d6a6bb9ebdb2f3e90'; END IF;
    SELECT count(*), ARRAY[encode(sha256(convert_to(coalesce(string_agg(id::text, E'\n' ORDER BY id), ''), 'UTF8')), 'hex')]::text[] INTO n, d FROM "daily_focus";
    IF n <> 15 THEN RAISE EXCEPTION 'dumpshift: table % holds % rows, expected %', 'daily_focus', n, 15; END IF;
    IF d[1] IS DISTINCT FROM 'c6748fa8c27161de38f663352ed2cffe1fa0a706ee3c0072f0376faeda7ce8d2' THEN RAISE EXCEPTION 'dumpshift: table % column % differs from the dump (sha256 %, expected %)', 'daily_focus', 'id', d[1], 'c6748fa8c27161de38f663352ed2cffe1fa0a706ee3c0072f0376faeda7ce8d2'; END IF;
    SELECT count(*), ARRAY[encode(sha256(convert_to(coalesce(string_agg(id::text, E'\n' ORDER BY id), ''), 'UTF8')), 'hex')]::text[] INTO n, d FROM "reminders";
    IF n <> 0 THEN RAISE EXCEPTION 'dumpshift: table % holds % rows, expected %', 'reminders', n, 0; END IF;
    IF d[1] IS DISTINCT FROM 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' THEN RAISE EXCEPTION 'dumpshift: table % column % differs from the dump (sha256 %, expected %)', 'reminders', 'id', d[1], 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'; END IF;
END
$dumpshift$;

COMMIT;
