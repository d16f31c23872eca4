-- A stand-in for Citus in pgdbm's tests, not Citus: it has the two objects pgdbm uses, pg_dist_schema and
-- citus_schema_distribute(regnamespace), and records every call, so that a test sees exactly what pgdbm
-- asked of Citus. It distributes nothing.
CREATE TABLE pg_dist_schema (schemaid regnamespace PRIMARY KEY, colocationid int NOT NULL);
CREATE TABLE citus_standin_calls (id serial PRIMARY KEY, schemaid regnamespace NOT NULL);
CREATE FUNCTION citus_schema_distribute(schemaname regnamespace) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO citus_standin_calls (schemaid) VALUES (schemaname);
    IF EXISTS (SELECT 1 FROM pg_dist_schema WHERE schemaid = schemaname) THEN
        RAISE EXCEPTION 'schema % is already distributed', schemaname;
    END IF;
    INSERT INTO pg_dist_schema VALUES (schemaname, (SELECT count(*) + 1 FROM pg_dist_schema));
END
$$;
