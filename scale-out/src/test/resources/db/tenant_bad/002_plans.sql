-- every tenant points at the shared plans table: fine on one server, not for Citus
ALTER TABLE {{tables.accounts}} ADD COLUMN plan_id bigint;
ALTER TABLE {{tables.accounts}}
    ADD CONSTRAINT accounts_plan FOREIGN KEY (plan_id) REFERENCES {{tables.shared.plans}} (id);
