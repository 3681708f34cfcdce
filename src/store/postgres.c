/* postgres.c — the PostgreSQL backend of the store (libpq): one PGconn per pooled connection, statements
 * prepared once per connection as s1, s2, ... and executed with text parameters, whole results stepped row by
 * row, SQLSTATEs mapped to NL_E* codes, and broken connections re-established on acquire. */
#include "store/storeInt.h"

#include "core/err.h"
#include "core/log.h"

#include <errno.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"

struct pg_conn {
	PGconn *conn;
	unsigned next_name;      /* statement names s1, s2, ... */
	unsigned generation;     /* bumped by each reset: older statements no longer exist on the server */
};

struct pg_stmt {
	char name[24];
	unsigned generation;
	PGresult *desc;          /* PQdescribePrepared: parameter count, column names */
	PGresult *res;           /* the result of the execution, NULL before the first step */
	int nparams;
	char **values;           /* nparams bound values (heap copies; NULL = SQL NULL) */
	int row, nrows;
};

/* The libpq connection behind db. */
static PGconn *pg_handle(const struct nl_db *db)
{
	return ((const struct pg_conn *)db->impl)->conn;
}

/* Copies the first line of msg into out. */
static void first_line(const char *msg, char *out, size_t outlen)
{
	msg = msg ? msg : "";
	snprintf(out, outlen, "%.*s", (int)strcspn(msg, "\n"), msg);
}

/* Maps a SQLSTATE to NL_ECONFLICT (class 23), NL_EBUSY (serialization failure, deadlock, lock timeout) or
 * NL_ESTORE. */
static int pg_map(const char *state)
{
	if (!state)
		return NL_ESTORE;
	if (strncmp(state, "23", 2) == 0)
		return NL_ECONFLICT;
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0)
		return NL_EBUSY;
	return NL_ESTORE;
}

/* Records the error of res (or of the connection when res carries none). The DETAIL line, which can quote
 * row values, is left out. */
static int pg_fail(struct nl_db *db, const PGresult *res, const char *sql)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	char msg[NL_DB_ERROR_MAX];
	char line[NL_DB_ERROR_MAX - 32];
	first_line(primary ? primary : PQerrorMessage(pg_handle(db)), line, sizeof line);
	if (state)
		snprintf(msg, sizeof msg, "%s (SQLSTATE %s)", line, state);
	else
		snprintf(msg, sizeof msg, "%s", line);
	return store_driver_error(db, pg_map(state), msg, sql);
}

/* Runs a statement whose result is not needed; 0 or NL_E* (recorded). */
static int pg_run(struct nl_db *db, const char *sql)
{
	PGresult *r = PQexec(pg_handle(db), sql);
	ExecStatusType t = PQresultStatus(r);
	int rc = 0;
	if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK && t != PGRES_EMPTY_QUERY)
		rc = pg_fail(db, r, sql);
	PQclear(r);
	return rc;
}

/* Sends the server's notices (e.g. "table does not exist, skipping") to the log instead of libpq's stderr. */
static void pg_notice(void *arg, const char *message)
{
	char line[300];
	first_line(message, line, sizeof line);
	NL_LOG(NL_LOG_DEBUG, "store: PostgreSQL: %s", line);
}

/* Session settings for every new or re-established connection: UTF-8, UTC, and a bounded lock wait. */
static int pg_session_setup(struct nl_db *db)
{
	char sql[128];
	if (PQsetClientEncoding(pg_handle(db), "UTF8") != 0)
		return store_driver_error(db, NL_ESTORE, "cannot set client_encoding to UTF8", NULL);
	snprintf(sql, sizeof sql, "SET lock_timeout = %d; SET TimeZone = 'UTC'", db->store->opt.busy_timeout_ms);
	return pg_run(db, sql);
}

/* Connects with the store's URL (application_name and connect_timeout defaults first, so the URL wins). */
static int pg_connect(struct nl_db *db, char *errbuf, size_t errlen)
{
	const struct nl_store *s = db->store;
	int rc = NL_ENOMEM;
	char line[300];
	struct pg_conn *pc = calloc(1, sizeof *pc);
	if (!pc) {
		snprintf(errbuf, errlen, "out of memory");
		goto out;
	}
	/* Defaults first: the URL's own parameters override them. */
	const char *const keys[] = { "application_name", "connect_timeout", "dbname", NULL };
	const char *const vals[] = { "nengli", "10", s->target, NULL };
	pc->conn = PQconnectdbParams(keys, vals, 1);
	rc = NL_ESTORE;
	if (!pc->conn || PQstatus(pc->conn) != CONNECTION_OK) {
		first_line(pc->conn ? PQerrorMessage(pc->conn) : "out of memory", line, sizeof line);
		snprintf(errbuf, errlen, "cannot connect to PostgreSQL at %s: %s", s->display_url, line);
		goto out;
	}
	PQsetNoticeProcessor(pc->conn, pg_notice, NULL);
	db->impl = pc;
	if (pg_session_setup(db) < 0) {
		snprintf(errbuf, errlen, "cannot set up the PostgreSQL session at %s: %s", s->display_url, db->last_error);
		db->impl = NULL;
		goto out;
	}
	pc = NULL;
	rc = 0;
out:
	if (pc)
		PQfinish(pc->conn);
	free(pc);
	return rc;
}

/* Closes the connection and frees its state. */
static void pg_disconnect(struct nl_db *db)
{
	struct pg_conn *pc = db->impl;
	if (pc)
		PQfinish(pc->conn);
	free(pc);
	db->impl = NULL;
}

/* True when an idle connection is known to be dead: libpq says so, or the server closed the socket (an idle
 * connection has nothing to read except the server's goodbye). */
static int pg_idle_broken(PGconn *c)
{
	for (int i = 0; i < 4 && PQstatus(c) == CONNECTION_OK; i++) {
		struct pollfd p = { .fd = PQsocket(c), .events = POLLIN };
		if (p.fd < 0)
			return 1;
		if (poll(&p, 1, 0) <= 0)
			return 0;
		if (!PQconsumeInput(c))
			return 1;
	}
	return PQstatus(c) != CONNECTION_OK;
}

/* On acquire: 0 when healthy, 1 after a successful PQreset (statements lost), NL_ESTORE when still down. */
static int pg_check(struct nl_db *db)
{
	struct pg_conn *pc = db->impl;
	char line[300];
	if (!pg_idle_broken(pc->conn))
		return 0;
	NL_LOG(NL_LOG_WARN, "store: PostgreSQL connection lost; reconnecting to %s", db->store->display_url);
	PQreset(pc->conn);
	pc->generation++;
	if (PQstatus(pc->conn) != CONNECTION_OK) {
		first_line(PQerrorMessage(pc->conn), line, sizeof line);
		return store_driver_error(db, NL_ESTORE, line, NULL);
	}
	int rc = pg_session_setup(db);
	return rc < 0 ? rc : 1;
}

/* Runs parameterless SQL (several statements allowed, one implicit transaction outside BEGIN). */
static int pg_exec(struct nl_db *db, const char *sql)
{
	return pg_run(db, sql);
}

/* 1 inside a transaction, failed or not. */
static int pg_in_transaction(const struct nl_db *db)
{
	PGTransactionStatusType t = PQtransactionStatus(pg_handle(db));
	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

/* COMMIT of a transaction that failed earlier is answered with "ROLLBACK" and no error: report it as one. */
static int pg_commit(struct nl_db *db)
{
	if (PQtransactionStatus(pg_handle(db)) == PQTRANS_INERROR) {
		pg_run(db, "ROLLBACK");
		return store_driver_error(db, NL_ESTORE, "transaction aborted by an earlier error; rolled back", "COMMIT");
	}
	PGresult *r = PQexec(pg_handle(db), "COMMIT");
	int rc = 0;
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		rc = pg_fail(db, r, "COMMIT");
	else if (strcmp(PQcmdStatus(r), "COMMIT") != 0)
		rc = store_driver_error(db, NL_ESTORE, "COMMIT was answered by a rollback", "COMMIT");
	PQclear(r);
	return rc;
}

/* Forgets the bound values. */
static void pg_clear_values(struct pg_stmt *ps)
{
	for (int i = 0; i < ps->nparams; i++) {
		free(ps->values[i]);
		ps->values[i] = NULL;
	}
}

/* Frees a statement's client side. Safe on NULL. */
static void pg_stmt_free(struct pg_stmt *ps)
{
	if (!ps)
		return;
	if (ps->values)
		pg_clear_values(ps);
	free(ps->values);
	PQclear(ps->desc);
	PQclear(ps->res);
	free(ps);
}

/* Drops a named statement on the server, quietly (nothing to do if the session cannot take commands). */
static void pg_deallocate(PGconn *c, const char *name)
{
	PGTransactionStatusType t = PQtransactionStatus(c);
	if (PQstatus(c) != CONNECTION_OK || (t != PQTRANS_IDLE && t != PQTRANS_INTRANS))
		return;
	char sql[48];
	snprintf(sql, sizeof sql, "DEALLOCATE %s", name);
	PQclear(PQexec(c, sql));
}

/* PQprepare under the next name sN, then PQdescribePrepared for the parameter count and column names. */
static int pg_prepare(struct nl_db *db, struct nl_stmt *st)
{
	struct pg_conn *pc = db->impl;
	int rc = NL_ENOMEM;
	struct pg_stmt *ps = calloc(1, sizeof *ps);
	if (!ps)
		goto out;
	snprintf(ps->name, sizeof ps->name, "s%u", ++pc->next_name);
	ps->generation = pc->generation;
	PGresult *r = PQprepare(pc->conn, ps->name, st->sql, 0, NULL);
	rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : pg_fail(db, r, st->sql);
	PQclear(r);
	if (rc < 0)
		goto out;
	ps->desc = PQdescribePrepared(pc->conn, ps->name);
	if (PQresultStatus(ps->desc) != PGRES_COMMAND_OK) {
		rc = pg_fail(db, ps->desc, st->sql);
		pg_deallocate(pc->conn, ps->name);
		goto out;
	}
	ps->nparams = PQnparams(ps->desc);
	ps->row = -1;
	rc = NL_ENOMEM;
	ps->values = calloc((size_t)ps->nparams + 1, sizeof *ps->values);
	if (!ps->values) {
		pg_deallocate(pc->conn, ps->name);
		goto out;
	}
	st->impl = ps;
	ps = NULL;
	rc = 0;
out:
	pg_stmt_free(ps);
	return rc;
}

/* Drops the statement, on the server too unless its session is gone. */
static void pg_finalize(struct nl_stmt *st, int server_gone)
{
	struct pg_stmt *ps = st->impl;
	struct pg_conn *pc = st->db->impl;
	if (!server_gone && ps->generation == pc->generation)
		pg_deallocate(pc->conn, ps->name);
	pg_stmt_free(ps);
	st->impl = NULL;
}

/* Clears bindings and the result for reuse. */
static void pg_reset(struct nl_stmt *st)
{
	struct pg_stmt *ps = st->impl;
	pg_clear_values(ps);
	PQclear(ps->res);
	ps->res = NULL;
	ps->row = -1;
	ps->nrows = 0;
}

/* Stores a copy of text (n bytes, NUL-free; NULL = SQL NULL) as parameter idx. */
static int pg_bind(struct nl_stmt *st, int idx, const char *s, size_t n)
{
	struct pg_stmt *ps = st->impl;
	if (idx < 1 || idx > ps->nparams)
		return store_driver_error(st->db, NL_EINVAL, "bind index out of range", st->sql);
	char *copy = NULL;
	if (s) {
		if (memchr(s, '\0', n))
			return store_driver_error(st->db, NL_EINVAL, "bound text contains a NUL byte", st->sql);
		copy = malloc(n + 1);
		if (!copy)
			return NL_ENOMEM;
		memcpy(copy, s, n);
		copy[n] = '\0';
	}
	free(ps->values[idx - 1]);
	ps->values[idx - 1] = copy;
	return 0;
}

/* Binders: every value is sent as text. */
static int pg_bind_text(struct nl_stmt *st, int idx, const char *s, size_t n)
{
	return pg_bind(st, idx, s, n);
}

static int pg_bind_int64(struct nl_stmt *st, int idx, int64_t v)
{
	char b[32];
	int n = snprintf(b, sizeof b, "%" PRId64, v);
	return pg_bind(st, idx, b, (size_t)n);
}

static int pg_bind_double(struct nl_stmt *st, int idx, double v)
{
	char b[40];
	int n;
	if (isnan(v))
		n = snprintf(b, sizeof b, "NaN");
	else if (isinf(v))
		n = snprintf(b, sizeof b, "%sInfinity", v < 0 ? "-" : "");
	else
		n = snprintf(b, sizeof b, "%.17g", v);
	return pg_bind(st, idx, b, (size_t)n);
}

static int pg_bind_null(struct nl_stmt *st, int idx)
{
	return pg_bind(st, idx, NULL, 0);
}

/* Rows changed: the command tag's count for INSERT/UPDATE/DELETE/MERGE, 0 for anything else. */
static int64_t pg_changes(PGresult *r)
{
	const char *tag = PQcmdStatus(r);
	if (strncmp(tag, "INSERT", 6) != 0 && strncmp(tag, "UPDATE", 6) != 0 && strncmp(tag, "DELETE", 6) != 0 &&
			strncmp(tag, "MERGE", 5) != 0)
		return 0;
	return strtoll(PQcmdTuples(r), NULL, 10);
}

/* First call: PQexecPrepared (the whole result comes back); then walks its rows. */
static int pg_step(struct nl_stmt *st)
{
	struct pg_stmt *ps = st->impl;
	if (!ps->res) {
		PGresult *r = PQexecPrepared(pg_handle(st->db), ps->name, ps->nparams, (const char *const *)ps->values,
			NULL, NULL, 0);
		ExecStatusType t = PQresultStatus(r);
		if (t != PGRES_TUPLES_OK && t != PGRES_COMMAND_OK) {
			int rc = pg_fail(st->db, r, st->sql);
			PQclear(r);
			return rc;
		}
		ps->res = r;
		ps->nrows = t == PGRES_TUPLES_OK ? PQntuples(r) : 0;
		ps->row = -1;
		st->changes = pg_changes(r);
	}
	if (ps->row < ps->nrows)
		ps->row++;
	return ps->row < ps->nrows ? 1 : 0;
}

/* Column getters: rows from the result, names from the description. */
static struct pg_stmt *pg_ps(struct nl_stmt *st)
{
	return st->impl;
}

static int pg_column_count(struct nl_stmt *st)
{
	return PQnfields(pg_ps(st)->desc);
}

static const char *pg_column_name(struct nl_stmt *st, int idx)
{
	return PQfname(pg_ps(st)->desc, idx);
}

static int pg_column_is_null(struct nl_stmt *st, int idx)
{
	return PQgetisnull(pg_ps(st)->res, pg_ps(st)->row, idx);
}

static const char *pg_column_text(struct nl_stmt *st, int idx)
{
	struct pg_stmt *ps = st->impl;
	return PQgetisnull(ps->res, ps->row, idx) ? NULL : PQgetvalue(ps->res, ps->row, idx);
}

static size_t pg_column_bytes(struct nl_stmt *st, int idx)
{
	return (size_t)PQgetlength(pg_ps(st)->res, pg_ps(st)->row, idx);
}

/* Integers from their text; also booleans (t/f) and numeric values (truncated), as SQLite converts them. */
static int64_t pg_column_int64(struct nl_stmt *st, int idx)
{
	const char *t = pg_column_text(st, idx);
	if (!t)
		return 0;
	if (t[0] == 't' || t[0] == 'f')
		return t[0] == 't';
	char *end = NULL;
	errno = 0;
	long long v = strtoll(t, &end, 10);
	if (errno == ERANGE || (*end != '.' && *end != 'e' && *end != 'E'))
		return v;                /* clamped to the int64 range when out of it */
	double d = strtod(t, NULL);
	if (!(d == d))
		return 0;
	if (d >= 9223372036854775807.0)
		return INT64_MAX;
	if (d <= -9223372036854775808.0)
		return INT64_MIN;
	return (int64_t)d;
}

/* Doubles from their text (NaN and Infinity included). */
static double pg_column_double(struct nl_stmt *st, int idx)
{
	const char *t = pg_column_text(st, idx);
	return t ? strtod(t, NULL) : 0.0;
}

const struct nl_backend nl_backend_postgres = {
	.connect = pg_connect,
	.disconnect = pg_disconnect,
	.check = pg_check,
	.exec = pg_exec,
	.commit = pg_commit,
	.in_transaction = pg_in_transaction,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.reset = pg_reset,
	.bind_text = pg_bind_text,
	.bind_int64 = pg_bind_int64,
	.bind_double = pg_bind_double,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.column_count = pg_column_count,
	.column_name = pg_column_name,
	.column_is_null = pg_column_is_null,
	.column_text = pg_column_text,
	.column_bytes = pg_column_bytes,
	.column_int64 = pg_column_int64,
	.column_double = pg_column_double,
	.backup = NULL,
};
