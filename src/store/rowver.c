/* rowver.c — optimistic concurrency for every editable record (issue 8.1): the row_version of one row, read for an
 * ETag, checked against an If-Match at the start of the write's transaction and incremented just before its commit,
 * so that two writers holding the same version cannot both succeed. Hooked into db_begin/db_commit/db_rollback and
 * store_release (store.c); the tables and their keys come from the fixed list below, never from a client. */
#include "store/storeInt.h"

#include "core/err.h"
#include "core/log.h"

#include <stdio.h>
#include <string.h>

#include "core/common.h"

/* The versioned tables: name, key column, optional second (text) key column. plans is not here: plan.c checks and
 * bumps its own row_version (it also counts changes of its items and meetings). */
static const struct nl_rowver_table rowver_tables[] = {
	{ "departments", "id", NULL },      { "users", "id", NULL },         { "settings_version", "id", NULL },
	{ "capability_areas", "id", NULL }, { "plan_items", "id", NULL },    { "metrics", "id", NULL },
	{ "metric_values", "metric_id", "period" },                          { "tasks", "id", NULL },
	{ "task_checks", "id", NULL },      { "evaluations", "year", NULL }, { "customers", "id", NULL },
	{ "tickets", "id", NULL },          { "sla_policies", "id", NULL },  { "calendars", "id", NULL },
	{ "staff", "id", NULL },            { "certifications", "id", NULL }, { "trainings", "id", NULL },
	{ "appraisals", "id", NULL },       { "partners", "id", NULL },      { "innovations", "id", NULL },
	{ "risks", "id", NULL },
};

static const struct nl_rowver_table *rowver_table_find(const char *name)
{
	for (size_t i = 0; i < NL_ARRAY_LEN(rowver_tables); i++)
		if (!strcmp(rowver_tables[i].name, name))
			return &rowver_tables[i];
	return NULL;
}

/* Writes "<prefix> <table> <mid> WHERE key = $1 [AND key2 = $2]<suffix>" into buf (the names come from the list). */
static void rowver_sql(const struct nl_rowver *v, const char *head, const char *tail, char *buf, size_t n)
{
	const struct nl_rowver_table *t = v->table;
	if (t->key2)
		snprintf(buf, n, head, t->name, t->key, t->key2, tail);
	else
		snprintf(buf, n, head, t->name, t->key, "", tail);
}

/* Reads the row's version now: 1 and *out when the row exists, 0 when it does not, or a negative NL_E*. */
static int rowver_read(struct nl_db *db, const struct nl_rowver *v, int lock, int64_t *out)
{
	char sql[256];
	struct nl_stmt *st = NULL;
	const char *tail = lock && db->store->kind == NL_STORE_POSTGRES ? " FOR UPDATE" : "";
	if (v->table->key2)
		rowver_sql(v, "SELECT row_version FROM %s WHERE %s = $1 AND %s = $2%s", tail, sql, sizeof sql);
	else
		rowver_sql(v, "SELECT row_version FROM %s WHERE %s = $1%s%s", tail, sql, sizeof sql);
	int rc = db_prepare(db, sql, &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, v->key);
	if (v->table->key2)
		stmt_bind_text(st, 2, v->key2);
	rc = stmt_step(st);
	if (rc == 1)
		*out = stmt_column_int64(st, 0);
	stmt_done(st);
	return rc;
}

/* Arms (or, read-only, just reads) the version of one row; see store.h. */
int db_row_version(struct nl_db *db, const char *table, int64_t key, const char *key2, int64_t if_match, int write,
	struct nl_error *err, int64_t *current)
{
	struct nl_rowver *v = &db->rowver;
	memset(v, 0, sizeof *v);
	*current = 0;
	v->table = rowver_table_find(table);
	if (!v->table || !key2 != !v->table->key2) {
		v->table = NULL;
		return store_driver_error(db, NL_EINVAL, "db_row_version: unknown table or key", NULL);
	}
	if (key2 && strlen(key2) >= sizeof v->key2) {   /* no such row (the domain rejects the key) */
		v->table = NULL;
		return 0;
	}
	v->key = key;
	if (key2)
		snprintf(v->key2, sizeof v->key2, "%s", key2);
	int rc = rowver_read(db, v, 0, current);
	if (rc < 0) {
		v->table = NULL;
		return rc;
	}
	v->version = *current;
	if (write && if_match > 0 && rc == 1 && *current != if_match) {
		v->table = NULL;
		return nl_fail(err, NL_ECONFLICT, "If-Match",
			"This record has changed since you read it (version %lld, now %lld); reload it and apply your change again.",
			(long long)if_match, (long long)*current);
	}
	v->write = write;
	v->if_match = if_match;
	v->err = err;
	return 0;
}

/* The version read by db_row_version() or, after an armed write committed, the version it wrote; 0 if none. */
int64_t db_row_version_current(const struct nl_db *db)
{
	return db && db->rowver.table ? db->rowver.version : 0;
}

/* After BEGIN: the armed check, under the row's lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: SELECT ... FOR UPDATE),
 * so a concurrent writer with the same If-Match waits for this one and then sees the new version. */
int store_rowver_begin(struct nl_db *db)
{
	struct nl_rowver *v = &db->rowver;
	if (!v->table || !v->write)
		return 0;
	int64_t now = 0;
	int rc = rowver_read(db, v, 1, &now);
	if (rc < 0)
		return rc;
	if (v->if_match > 0 && rc == 1 && now != v->if_match) {
		v->write = 0;
		return nl_fail(v->err, NL_ECONFLICT, "If-Match",
			"This record has changed since you read it (version %lld, now %lld); reload it and apply your change again.",
			(long long)v->if_match, (long long)now);
	}
	v->in_tx = 1;
	return 0;
}

/* Before COMMIT of the armed transaction: row_version + 1 (in the same transaction). */
int store_rowver_commit(struct nl_db *db)
{
	struct nl_rowver *v = &db->rowver;
	char sql[256];
	struct nl_stmt *st = NULL;
	if (!v->table || !v->in_tx)
		return 0;
	v->in_tx = 0;
	v->write = 0;
	if (v->table->key2)
		rowver_sql(v, "UPDATE %s SET row_version = row_version + 1 WHERE %s = $1 AND %s = $2%s", " RETURNING row_version",
			sql, sizeof sql);
	else
		rowver_sql(v, "UPDATE %s SET row_version = row_version + 1 WHERE %s = $1%s%s", " RETURNING row_version",
			sql, sizeof sql);
	int rc = db_prepare(db, sql, &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, v->key);
	if (v->table->key2)
		stmt_bind_text(st, 2, v->key2);
	rc = stmt_step(st);
	if (rc == 1)
		v->version = stmt_column_int64(st, 0);
	else if (rc == 0)
		v->version = 0;      /* the write removed the row */
	stmt_done(st);
	return rc < 0 ? rc : 0;
}

/* The armed transaction ended without a commit, or the connection goes back to the pool. */
void store_rowver_end(struct nl_db *db, int release)
{
	db->rowver.in_tx = 0;
	db->rowver.write = 0;
	if (release)
		memset(&db->rowver, 0, sizeof db->rowver);
}
