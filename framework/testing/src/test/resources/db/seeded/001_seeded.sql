-- A template with seed rows, a sequence of its own, a foreign key and a trigger: what a reset must restore.
CREATE TABLE {{tables.plans}} (
    id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE
);
CREATE TABLE {{tables.members}} (
    id      bigserial PRIMARY KEY,
    plan_id bigint NOT NULL REFERENCES {{tables.plans}} (id),
    email   text NOT NULL
);
CREATE TABLE {{tables.audit}} (
    entry text NOT NULL
);
CREATE SEQUENCE {{schema}}.invoice_numbers START 1000;
CREATE FUNCTION {{schema}}.audit_member() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {{tables.audit}} VALUES ('member ' || NEW.email);
    RETURN NEW;
END $$;
CREATE TRIGGER members_audit AFTER INSERT ON {{tables.members}} FOR EACH ROW EXECUTE FUNCTION {{schema}}.audit_member();
INSERT INTO {{tables.plans}} (name) VALUES ('free'), ('pro');
INSERT INTO {{tables.members}} (plan_id, email) VALUES (1, 'seed@example.com');
SELECT nextval('{{schema}}.invoice_numbers');
