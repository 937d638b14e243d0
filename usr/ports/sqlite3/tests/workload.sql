-- SQLite workload: the output must be the same on Linux and in Exo-OS. The database is a
-- file (fcntl record locks, write-ahead log with its -shm index mapped shared, fsync,
-- checkpoint, VACUUM), not only :memory:.
.headers on
.mode list
PRAGMA journal_mode = WAL;
CREATE TABLE dept(id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL);
CREATE TABLE emp(id INTEGER PRIMARY KEY, name TEXT, dept INTEGER REFERENCES dept(id),
                 salary REAL, hired TEXT);
CREATE INDEX emp_dept ON emp(dept);
INSERT INTO dept(name) VALUES ('eng'), ('ops'), ('sales'), ('hr');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
INSERT INTO emp(name, dept, salary, hired)
SELECT printf('emp%04d', i), 1 + (i * 7) % 4, 30000 + (i * 7919) % 70000,
       date('2020-01-01', '+' || (i % 1000) || ' days') FROM n;
SELECT count(*), sum(salary), min(hired), max(hired) FROM emp;
SELECT d.name, count(*) AS n, round(avg(e.salary), 2) AS avg, max(e.salary) AS top
  FROM emp e JOIN dept d ON d.id = e.dept GROUP BY d.name ORDER BY d.name;
SELECT name, salary, rank() OVER (PARTITION BY dept ORDER BY salary DESC) AS r
  FROM emp WHERE id % 500 = 0 ORDER BY dept, r;
BEGIN;
UPDATE emp SET salary = salary * 1.1 WHERE dept = 2;
DELETE FROM emp WHERE id % 3 = 0;
SAVEPOINT s1;
DELETE FROM emp;
ROLLBACK TO s1;
COMMIT;
SELECT count(*), round(sum(salary), 2) FROM emp;
SELECT json_object('n', count(*), 'depts', json_group_array(DISTINCT dept)) FROM emp;
CREATE VIRTUAL TABLE docs USING fts5(body);
INSERT INTO docs VALUES ('the quick brown fox'), ('jumps over the lazy dog'), ('quick quick dog');
SELECT rowid, body FROM docs WHERE docs MATCH 'quick' ORDER BY rank;
SELECT sqrt(2), pi(), 7 / 2, 7 % 3, 7.0 / 2, abs(-4), hex('exo'), upper('abc'), length(zeroblob(100));
SELECT substr('hello world', 7), replace('a-b-c', '-', '+'), instr('abc', 'c'), typeof(1.5);
CREATE TABLE big(x BLOB);
INSERT INTO big SELECT zeroblob(4000 + id % 7) FROM emp LIMIT 2000;
SELECT count(*), sum(length(x)) FROM big;
PRAGMA wal_checkpoint(TRUNCATE);
VACUUM;
PRAGMA integrity_check;
PRAGMA page_count;
SELECT name FROM sqlite_schema ORDER BY name;
