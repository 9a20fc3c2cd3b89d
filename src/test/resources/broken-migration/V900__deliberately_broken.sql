-- Test-only: a migration that cannot apply, to prove a failed migration keeps readiness down.
CREATE TABLE this_is_not_sql (;
