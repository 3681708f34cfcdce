/* digest.c — what `nengli check` reports about a database: the engine's own integrity check (SQLite), and per table
 * a row count and a checksum of every record, independent of row order, so that a restored backup can be compared
 * with its original (issue 9.7). Table names come from the engine's catalogue and are checked before use. */
#include "store/storeInt.h"

#include "core/err.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/common.h"

/* SQLite: PRAGMA integrity_check; PostgreSQL: nothing to run (the server checks its own pages). */
int db_integrity_check(struct nl_db *db, char *msg, size_t n)
{
	struct nl_stmt *st = NULL;
	snprintf(msg, n, "ok");
	if (db->store->kind != NL_STORE_SQLITE)
		return 0;
	int rc = db_prepare(db, "PRAGMA integrity_check", &st);
	if (rc)
		return rc;
	rc = stmt_step(st);
	if (rc == 1) {
		const char *t = stmt_column_text(st, 0);
		snprintf(msg, n, "%s", t ? t : "(null)");
		rc = t && !strcmp(t, "ok") ? 0 : NL_ESTORE;
	} else if (rc == 0) {
		rc = NL_ESTORE;
		snprintf(msg, n, "integrity_check returned nothing");
	}
	stmt_done(st);
	return rc;
}

/* 1 when name is a plain lower-case identifier (what our migrations create). */
static int plain_name(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n >= 64)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') || name[i] == '_'))
			return 0;
	return 1;
}

/* Counts and checksums one table: the sum (mod 2^64, per 8-byte lane) of BLAKE2b-128 of each row, the row being its
 * columns' names and text values, NULL marked apart from any text. */
static int digest_table(struct nl_db *db, const char *table, struct nl_table_digest *d)
{
	char sql[128];
	struct nl_stmt *st = NULL;
	uint64_t sum[2] = { 0, 0 };
	snprintf(sql, sizeof sql, "SELECT * FROM %s", table);
	int rc = db_prepare(db, sql, &st);
	if (rc)
		return rc;
	memset(d, 0, sizeof *d);
	snprintf(d->table, sizeof d->table, "%s", table);
	while ((rc = stmt_step(st)) == 1) {
		crypto_generichash_state h;
		unsigned char out[16];
		crypto_generichash_init(&h, NULL, 0, sizeof out);
		int nc = stmt_column_count(st);
		for (int i = 0; i < nc; i++) {
			const char *name = stmt_column_name(st, i);
			const char *v = stmt_column_text(st, i);
			crypto_generichash_update(&h, (const unsigned char *)name, strlen(name) + 1);
			if (v) {
				crypto_generichash_update(&h, (const unsigned char *)"v", 1);
				crypto_generichash_update(&h, (const unsigned char *)v, stmt_column_bytes(st, i));
			} else {
				crypto_generichash_update(&h, (const unsigned char *)"n", 1);
			}
			crypto_generichash_update(&h, (const unsigned char *)"\x1f", 1);
		}
		crypto_generichash_final(&h, out, sizeof out);
		for (int k = 0; k < 2; k++) {
			uint64_t lane = 0;
			for (int b = 0; b < 8; b++)
				lane = (lane << 8) | out[k * 8 + b];
			sum[k] += lane;
		}
		d->rows++;
	}
	stmt_done(st);
	snprintf(d->digest, sizeof d->digest, "%016llx%016llx", (unsigned long long)sum[0], (unsigned long long)sum[1]);
	return rc < 0 ? rc : 0;
}

int db_digest(struct nl_db *db, int (*fn)(void *arg, const struct nl_table_digest *d), void *arg)
{
	struct nl_stmt *st = NULL;
	char names[256][64];
	size_t n = 0;
	int rc = db_prepare(db, db->store->kind == NL_STORE_SQLITE
			? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
			: "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename", &st);
	if (rc)
		return rc;
	while ((rc = stmt_step(st)) == 1) {
		const char *t = stmt_column_text(st, 0);
		if (!t || !plain_name(t) || n >= NL_ARRAY_LEN(names))
			continue;   /* not one of ours */
		snprintf(names[n++], sizeof names[0], "%s", t);
	}
	stmt_done(st);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		struct nl_table_digest d;
		if ((rc = digest_table(db, names[i], &d)) || (rc = fn(arg, &d)))
			return rc;
	}
	return 0;
}

int db_audit_row(struct nl_db *db, int64_t id, int64_t *id_out, char hash[65])
{
	struct nl_stmt *st = NULL;
	*id_out = 0;
	hash[0] = '\0';
	int rc = db_prepare(db, id > 0 ? "SELECT id, hash FROM audit_log WHERE id = $1"
				       : "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1", &st);
	if (rc)
		return rc;
	if (id > 0)
		stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1) {
		*id_out = stmt_column_int64(st, 0);
		snprintf(hash, 65, "%s", stmt_column_text(st, 1) ? stmt_column_text(st, 1) : "");
	}
	stmt_done(st);
	return rc < 0 ? rc : 0;
}
