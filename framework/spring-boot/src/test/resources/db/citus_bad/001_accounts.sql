CREATE TABLE {{tables.accounts}} (
    id bigserial PRIMARY KEY,
    plan_id bigint REFERENCES shared.plans (id)
);
