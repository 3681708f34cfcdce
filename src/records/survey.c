/* survey.c — satisfaction survey campaigns (records/survey.h): the pure rules (questions, weighted scores, the
 * reproducible sample) and the campaigns, invitations and public responses in the store. Reads the tickets room's
 * table (tickets) with its own SQL to sample and to show a ticket's title on the response form. */
#include "records/survey.h"

#include "audit/audit.h"
#include "auth/session.h"
#include "core/date.h"
#include "core/json.h"
#include "cycle/period.h"
#include "records/rating.h"
#include "store/store.h"

#include <inttypes.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/common.h"

/* --- pure rules --------------------------------------------------------------------------------------------------- */

static int key_valid(const char *k)
{
	size_t n = strlen(k);
	if (n < 1 || n > 32)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = k[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return 0;
	}
	return 1;
}

int survey_questions_check(const json_t *questions, struct nl_error *err)
{
	char field[96];
	int64_t sum = 0;
	size_t i;
	const json_t *q;
	if (!json_is_array(questions))
		return nl_fail(err, NL_EVALID, "questions", "questions must be an array of {\"key\", \"text\", \"weight\"}.");
	size_t n = json_array_size(questions);
	if (n < 1 || n > NL_SURVEY_MAX_QUESTIONS)
		return nl_fail(err, NL_EVALID, "questions", "A survey has 1 to %d questions.", NL_SURVEY_MAX_QUESTIONS);
	json_array_foreach(questions, i, q) {
		const char *mk;
		const json_t *mv;
		if (!json_is_object(q)) {
			snprintf(field, sizeof field, "questions[%zu]", i);
			return nl_fail(err, NL_EVALID, field, "Each question is an object {\"key\", \"text\", \"weight\"}.");
		}
		json_object_foreach((json_t *)q, mk, mv) {
			if (strcmp(mk, "key") != 0 && strcmp(mk, "text") != 0 && strcmp(mk, "weight") != 0) {
				snprintf(field, sizeof field, "questions[%zu].%.40s", i, mk);
				return nl_fail(err, NL_EVALID, field, "A question has only key, text and weight.");
			}
		}
		const json_t *k = json_object_get(q, "key"), *t = json_object_get(q, "text"), *w = json_object_get(q, "weight");
		snprintf(field, sizeof field, "questions[%zu].key", i);
		if (!json_is_string(k) || !key_valid(json_string_value(k)))
			return nl_fail(err, NL_EVALID, field, "key must be 1–32 characters of a–z, 0–9 and _.");
		for (size_t j = 0; j < i; j++)
			if (!strcmp(json_string_value(json_object_get(json_array_get(questions, j), "key")), json_string_value(k)))
				return nl_fail(err, NL_EVALID, field, "The key \"%s\" appears twice.", json_string_value(k));
		snprintf(field, sizeof field, "questions[%zu].text", i);
		long len = json_is_string(t) ? utf8_length(json_string_value(t), json_string_length(t)) : -1;
		if (len < 1 || len > 500)
			return nl_fail(err, NL_EVALID, field, "text must be 1–500 characters.");
		snprintf(field, sizeof field, "questions[%zu].weight", i);
		if (!json_is_integer(w) || json_integer_value(w) < 1 || json_integer_value(w) > 100)
			return nl_fail(err, NL_EVALID, field, "weight must be a whole number from 1 to 100.");
		sum += json_integer_value(w);
	}
	if (sum != 100)
		return nl_fail(err, NL_EVALID, "questions", "The weights sum to %lld; they must sum to 100.", (long long)sum);
	return 0;
}

int survey_answers_total(const json_t *questions, const json_t *answers, int64_t *total, struct nl_error *err)
{
	char field[96];
	size_t i;
	const json_t *q;
	const char *k;
	const json_t *v;
	*total = 0;
	if (!json_is_object(answers))
		return nl_fail(err, NL_EVALID, "answers", "answers must be an object {\"question key\": 1..5, ...}.");
	json_object_foreach((json_t *)answers, k, v) {
		int known = 0;
		json_array_foreach(questions, i, q) known |= !strcmp(json_string_value(json_object_get(q, "key")), k);
		if (!known) {
			snprintf(field, sizeof field, "answers.%.60s", k);
			return nl_fail(err, NL_EVALID, field, "This survey has no question with that key.");
		}
	}
	json_array_foreach(questions, i, q) {
		const char *key = json_string_value(json_object_get(q, "key"));
		const json_t *a = json_object_get(answers, key);
		snprintf(field, sizeof field, "answers.%.60s", key);
		if (!a)
			return nl_fail(err, NL_EVALID, field, "Every question needs an answer from 1 to 5.");
		if (!json_is_integer(a) || json_integer_value(a) < 1 || json_integer_value(a) > 5)
			return nl_fail(err, NL_EVALID, field, "An answer is a whole number from 1 to 5.");
		*total += json_integer_value(a) * json_integer_value(json_object_get(q, "weight"));
	}
	return 0;
}

int survey_total_rating(int64_t total)
{
	int64_t r = (total + 50) / 100;
	return r < 1 ? 1 : r > 5 ? 5 : (int)r;
}

static uint64_t mix64(uint64_t z)
{
	z += UINT64_C(0x9e3779b97f4a7c15);
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

uint64_t survey_sample_key(uint64_t seed, int64_t ticket_id)
{
	return mix64(seed ^ mix64((uint64_t)ticket_id));
}

struct keyed_id {
	uint64_t key;
	int64_t id;
};

static int keyed_cmp(const void *a, const void *b)
{
	const struct keyed_id *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

void survey_sample(uint64_t seed, int64_t *ids, size_t n, size_t k, size_t *kept)
{
	*kept = 0;
	if (n == 0)
		return;
	struct keyed_id *v = calloc(n, sizeof *v);
	if (!v) {
		/* no memory: fall back to sorting by id (still deterministic), which needs none */
		for (size_t i = 1; i < n; i++)
			for (size_t j = i; j > 0 && ids[j - 1] > ids[j]; j--) {
				int64_t t = ids[j];
				ids[j] = ids[j - 1];
				ids[j - 1] = t;
			}
		*kept = n < k ? n : k;
		return;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = (struct keyed_id){ survey_sample_key(seed, ids[i]), ids[i] };
	qsort(v, n, sizeof *v, keyed_cmp);
	for (size_t i = 0; i < n; i++)
		ids[i] = v[i].id;
	free(v);
	*kept = n < k ? n : k;
}

int survey_seed_parse(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	if (!s || strlen(s) != 16)
		return NL_EVALID;
	for (int i = 0; i < 16; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (d < 0)
			return NL_EVALID;
		v = v << 4 | (uint64_t)d;
	}
	*out = v;
	return 0;
}

/* --- campaigns -------------------------------------------------------------------------------------------------------- */

#define SURVEY_SELECT \
	"SELECT s.id, s.name, s.period, s.department_id, d.name, s.questions, s.sample_size, s.seed, s.status, s.created_by," \
	" cu.display_name, s.created_at, s.opened_at, s.opened_by, s.closed_at, s.updated_at" \
	" FROM surveys s LEFT JOIN departments d ON d.id = s.department_id LEFT JOIN users cu ON cu.id = s.created_by"

static int64_t now_of(const struct nl_ctx *ctx)
{
	return ctx->now > 0 ? ctx->now : (int64_t)time(NULL);
}

static void bind_id(struct nl_stmt *st, int idx, int64_t v)
{
	if (v > 0)
		stmt_bind_int64(st, idx, v);
	else
		stmt_bind_null(st, idx);
}

/* A fraction or mean rounded to 4 decimals, or null without a denominator. */
static json_t *ratio4(double num, double den)
{
	if (den <= 0)
		return json_null();
	return json_real(round(num / den * 10000.0) / 10000.0);
}

static json_t *survey_row(struct nl_stmt *st)
{
	json_t *o = json_object();
	json_set_int(o, "id", stmt_column_int64(st, 0));
	json_set_str(o, "name", stmt_column_text(st, 1));
	json_set_str(o, "period", stmt_column_text(st, 2));
	json_set_id(o, "department_id", stmt_column_int64(st, 3));
	json_set_str(o, "department", stmt_column_text(st, 4));
	const char *qs = stmt_column_text(st, 5);
	json_t *q = qs ? json_loads(qs, 0, NULL) : NULL;
	json_object_set_new(o, "questions", q ? q : json_array());
	json_set_int(o, "sample_size", stmt_column_int64(st, 6));
	json_set_str(o, "seed", stmt_column_text(st, 7));
	json_set_str(o, "status", stmt_column_text(st, 8));
	json_set_id(o, "created_by", stmt_column_int64(st, 9));
	json_set_str(o, "creator", stmt_column_text(st, 10));
	json_set_str(o, "created_at", stmt_column_text(st, 11));
	json_set_str(o, "opened_at", stmt_column_text(st, 12));
	json_set_id(o, "opened_by", stmt_column_int64(st, 13));
	json_set_str(o, "closed_at", stmt_column_text(st, 14));
	json_set_str(o, "updated_at", stmt_column_text(st, 15));
	return o;
}

/* Adds the figures (and with details the invitations) to the survey object o. */
static int survey_figures(struct nl_ctx *ctx, json_t *o, int details)
{
	struct nl_stmt *st = NULL;
	int64_t id = json_integer_value(json_object_get(o, "id"));
	json_t *questions = json_object_get(o, "questions");
	size_t nq = json_array_size(questions), i;
	int64_t invited = 0, responded = 0, total_sum = 0, recorded = 0;
	int64_t qsum[NL_SURVEY_MAX_QUESTIONS] = { 0 };
	json_t *inv = details ? json_array() : NULL;
	if (nq > NL_SURVEY_MAX_QUESTIONS)
		nq = NL_SURVEY_MAX_QUESTIONS;
	int rc = db_prepare(ctx->db, "SELECT i.id, i.ticket_id, t.external_id, t.title, i.responded_at, i.answers, i.comment"
				     " FROM survey_invitations i LEFT JOIN tickets t ON t.id = i.ticket_id WHERE i.survey_id = $1 ORDER BY i.id", &st);
	if (rc)
		goto out;
	stmt_bind_int64(st, 1, id);
	while ((rc = stmt_step(st)) == 1) {
		int64_t total = 0;
		json_t *answers = NULL;
		int ok = 0;
		invited++;
		if (!stmt_column_is_null(st, 4) && stmt_column_text(st, 5)) {
			struct nl_error e = { 0 };
			answers = json_loads(stmt_column_text(st, 5), 0, NULL);
			ok = answers && survey_answers_total(questions, answers, &total, &e) == 0;
			if (ok) {
				responded++;
				total_sum += total;
				for (i = 0; i < nq; i++)
					qsum[i] += json_integer_value(json_object_get(answers,
						json_string_value(json_object_get(json_array_get(questions, i), "key"))));
			}
		}
		if (inv) {
			json_t *it = json_object();
			json_set_int(it, "id", stmt_column_int64(st, 0));
			json_set_int(it, "ticket_id", stmt_column_int64(st, 1));
			json_set_str(it, "ticket_external_id", stmt_column_text(st, 2));
			json_set_str(it, "ticket_title", stmt_column_text(st, 3));
			json_set_str(it, "responded_at", stmt_column_text(st, 4));
			json_object_set_new(it, "score", ok ? json_real((double)total / 100.0) : json_null());
			json_object_set_new(it, "answers", ok ? json_incref(answers) : json_null());
			json_set_str(it, "comment", stmt_column_text(st, 6));
			json_array_append_new(inv, it);
		}
		json_decref(answers);
	}
	stmt_done(st);
	if (rc < 0)
		goto out;
	if ((rc = db_prepare(ctx->db, "SELECT COUNT(*) FROM ticket_ratings WHERE survey_id = $1", &st)))
		goto out;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	recorded = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc < 0)
		goto out;
	rc = 0;
	json_set_int(o, "invited", invited);
	json_set_int(o, "responded", responded);
	json_object_set_new(o, "response_rate", ratio4((double)responded, (double)invited));
	/* mean weighted score = Σ totals ÷ (100 n); on 0–100: (mean − 1) × 25 = (Σ totals − 100 n) ÷ (4 n) */
	json_object_set_new(o, "satisfaction_index", ratio4((double)total_sum, 100.0 * (double)responded));
	json_object_set_new(o, "satisfaction_index_100", ratio4((double)(total_sum - 100 * responded), 4.0 * (double)responded));
	json_t *qa = json_array();
	for (i = 0; i < nq; i++) {
		json_t *q = json_array_get(questions, i);
		json_t *a = json_object();
		json_object_set(a, "key", json_object_get(q, "key"));
		json_object_set(a, "text", json_object_get(q, "text"));
		json_object_set(a, "weight", json_object_get(q, "weight"));
		json_object_set_new(a, "average", ratio4((double)qsum[i], (double)responded));
		json_array_append_new(qa, a);
	}
	json_object_set_new(o, "question_averages", qa);
	json_set_int(o, "ratings_recorded", recorded);
	if (inv) {
		json_object_set_new(o, "invitations", inv);
		inv = NULL;
	}
out:
	json_decref(inv);
	return rc;
}

/* The survey row alone (no figures). */
static int survey_load(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, SURVEY_SELECT " WHERE s.id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1)
		*out = survey_row(st);
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No survey with id %lld.", (long long)id);
	return rc < 0 ? rc : 0;
}

int survey_get(struct nl_ctx *ctx, int64_t id, int details, json_t **out)
{
	int rc = survey_load(ctx, id, out);
	if (rc == 0 && (rc = survey_figures(ctx, *out, details))) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int survey_list(struct nl_ctx *ctx, const struct nl_survey_filter *f, json_t **items, int64_t *next)
{
	struct nl_stmt *st = NULL;
	size_t i;
	json_t *o;
	*items = NULL;
	*next = 0;
	if (f->status && strcmp(f->status, "draft") && strcmp(f->status, "open") && strcmp(f->status, "closed"))
		return nl_fail(ctx->err, NL_EINVAL, "status", "status must be draft, open or closed.");
	int rc = db_prepare(ctx->db, SURVEY_SELECT " WHERE s.id > $1 AND (CAST($2 AS TEXT) = '' OR s.status = CAST($2 AS TEXT))"
					      " AND (CAST($3 AS TEXT) = '' OR s.period = CAST($3 AS TEXT)) ORDER BY s.id LIMIT $4", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, f->cursor);
	stmt_bind_text(st, 2, f->status ? f->status : "");
	stmt_bind_text(st, 3, f->period ? f->period : "");
	stmt_bind_int64(st, 4, f->limit + 1);
	json_t *arr = json_array();
	int64_t n = 0, last = 0;
	while ((rc = stmt_step(st)) == 1) {
		if (n++ == f->limit) {
			*next = last;
			break;
		}
		last = stmt_column_int64(st, 0);
		json_array_append_new(arr, survey_row(st));
	}
	stmt_done(st);
	if (rc >= 0) {
		rc = 0;
		json_array_foreach(arr, i, o) if (!rc) rc = survey_figures(ctx, o, 0);
	}
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*items = arr;
	return 0;
}

static int write_end(struct nl_ctx *ctx, int rc, json_t **out)
{
	rc = tx_end(ctx, rc < 0 ? rc : 0);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int survey_create(struct nl_ctx *ctx, const struct nl_survey_input *in, json_t **out)
{
	struct nl_stmt *st = NULL;
	struct nl_period p;
	char at[24], seed[17], *qtext = NULL;
	unsigned char raw[8];
	int64_t id = 0;
	*out = NULL;
	if (!in->name || !*in->name)
		return nl_fail(ctx->err, NL_EVALID, "name", "name must not be empty.");
	if (!in->period || period_parse(in->period, &p))
		return nl_fail(ctx->err, NL_EVALID, "period", "period must be a year (2027), a quarter (2027-Q1) or a month (2027-03).");
	if (in->sample_size < 1 || in->sample_size > NL_SURVEY_MAX_SAMPLE)
		return nl_fail(ctx->err, NL_EVALID, "sample_size", "sample_size must be from 1 to %d.", NL_SURVEY_MAX_SAMPLE);
	int rc = survey_questions_check(in->questions, ctx->err);
	if (rc)
		return rc;
	if (in->department_id > 0) {
		if ((rc = db_prepare(ctx->db, "SELECT 1 FROM departments WHERE id = $1", &st)))
			return rc;
		stmt_bind_int64(st, 1, in->department_id);
		rc = stmt_step(st);
		stmt_done(st);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return nl_fail(ctx->err, NL_EVALID, "department_id", "No department with id %lld.", (long long)in->department_id);
	}
	/* the stored questions: exactly the checked members, in order */
	json_t *qs = json_array();
	size_t i;
	const json_t *q;
	json_array_foreach(in->questions, i, q) json_array_append_new(qs, json_pack("{s:O,s:O,s:O}", "key", json_object_get(q, "key"),
		"text", json_object_get(q, "text"), "weight", json_object_get(q, "weight")));
	qtext = json_dumps(qs, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(qs);
	if (!qtext)
		return nl_fail(ctx->err, NL_ENOMEM, NULL, NULL);
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(seed, sizeof seed, raw, sizeof raw);
	audit_now_rfc3339(at);
	if ((rc = db_begin(ctx->db))) {
		free(qtext);
		return rc;
	}
	if ((rc = db_prepare(ctx->db, "INSERT INTO surveys (name, period, department_id, questions, sample_size, seed, status,"
				      " created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8, $8) RETURNING id", &st)))
		goto out;
	stmt_bind_text(st, 1, in->name);
	stmt_bind_text(st, 2, in->period);
	bind_id(st, 3, in->department_id);
	stmt_bind_text(st, 4, qtext);
	stmt_bind_int64(st, 5, in->sample_size);
	stmt_bind_text(st, 6, seed);
	bind_id(st, 7, ctx->actor ? ctx->actor->id : 0);
	stmt_bind_text(st, 8, at);
	rc = stmt_step(st);
	id = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc < 0 || (rc = survey_get(ctx, id, 0, out)))
		goto out;
	rc = audit_append(ctx, "create", "survey", id, NULL, *out);
out:
	free(qtext);
	return write_end(ctx, rc, out);
}

/* The sampling candidates of a survey into a malloc'ed array. */
static int survey_candidates(struct nl_ctx *ctx, const char *first, const char *last, int64_t department_id, int64_t **ids,
	size_t *n)
{
	struct nl_stmt *st = NULL;
	size_t cap = 0;
	*ids = NULL;
	*n = 0;
	int rc = db_prepare(ctx->db, "SELECT t.id FROM tickets t WHERE t.status = 'closed' AND t.opened_day >= $1 AND t.opened_day <= $2"
				     " AND (CAST($3 AS BIGINT) = 0 OR t.department_id = CAST($3 AS BIGINT))"
				     " AND NOT EXISTS (SELECT 1 FROM ticket_ratings r WHERE r.ticket_id = t.id)"
				     " AND NOT EXISTS (SELECT 1 FROM survey_invitations i WHERE i.ticket_id = t.id)", &st);
	if (rc)
		return rc;
	stmt_bind_text(st, 1, first);
	stmt_bind_text(st, 2, last);
	stmt_bind_int64(st, 3, department_id);
	while ((rc = stmt_step(st)) == 1) {
		if (*n == cap) {
			size_t ncap = cap ? cap * 2 : 256;
			int64_t *nids = realloc(*ids, ncap * sizeof *nids);
			if (!nids) {
				rc = nl_fail(ctx->err, NL_ENOMEM, NULL, NULL);
				break;
			}
			*ids = nids;
			cap = ncap;
		}
		(*ids)[(*n)++] = stmt_column_int64(st, 0);
	}
	stmt_done(st);
	if (rc < 0) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return rc;
	}
	return 0;
}

/* Inserts one invitation with a fresh token; the plain token goes to tok[64]. */
static int invitation_insert(struct nl_ctx *ctx, int64_t survey_id, int64_t ticket_id, const char *at, char tok[64],
	int64_t *inv_id)
{
	struct nl_stmt *st = NULL;
	char hash[65];
	token_random(tok, 64, NULL);
	sha256_hex(tok, strlen(tok), hash);
	int rc = db_prepare(ctx->db, "INSERT INTO survey_invitations (survey_id, ticket_id, token_hash, created_at)"
				     " VALUES ($1, $2, $3, $4) RETURNING id", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, survey_id);
	stmt_bind_int64(st, 2, ticket_id);
	stmt_bind_text(st, 3, hash);
	stmt_bind_text(st, 4, at);
	rc = stmt_step(st);
	*inv_id = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	sodium_memzero(hash, sizeof hash);
	return rc < 0 ? rc : 0;
}

/* Sets the survey's status from `from` to `to` (with opened_* or closed_at); NL_ESTATE when it changed meanwhile. */
static int survey_set_status(struct nl_ctx *ctx, int64_t id, const char *from, const char *to, const char *at)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, !strcmp(to, "open")
			? "UPDATE surveys SET status = 'open', opened_at = $3, opened_by = $4, updated_at = $3 WHERE id = $1 AND status = $2"
			: "UPDATE surveys SET status = 'closed', closed_at = $3, updated_at = $3 WHERE id = $1 AND status = $2", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	stmt_bind_text(st, 2, from);
	stmt_bind_text(st, 3, at);
	if (!strcmp(to, "open"))
		bind_id(st, 4, ctx->actor ? ctx->actor->id : 0);
	rc = stmt_step(st);
	int64_t changed = stmt_changes(st);
	stmt_done(st);
	if (rc < 0)
		return rc;
	if (changed != 1)
		return nl_fail(ctx->err, NL_ESTATE, NULL, "Survey %lld changed meanwhile; reload it.", (long long)id);
	return 0;
}

int survey_open(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	json_t *before = NULL, *links = NULL;
	struct nl_period p;
	struct nl_date d1, d2;
	char first[NL_DATE_STRLEN], last[NL_DATE_STRLEN], at[24];
	int64_t *ids = NULL;
	size_t n = 0, kept = 0;
	uint64_t seed;
	*out = NULL;
	audit_now_rfc3339(at);
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = survey_load(ctx, id, &before)))
		goto out;
	const char *status = json_string_value(json_object_get(before, "status"));
	if (strcmp(status, "draft") != 0) {
		rc = nl_fail(ctx->err, NL_ESTATE, NULL, "Survey %lld is %s; only a draft survey is opened.", (long long)id, status);
		goto out;
	}
	if (period_parse(json_string_value(json_object_get(before, "period")), &p) || period_first_date(p, &d1) ||
		period_last_date(p, &d2) || date_format(d1, first) || date_format(d2, last) ||
		survey_seed_parse(json_string_value(json_object_get(before, "seed")), &seed)) {
		rc = nl_fail(ctx->err, NL_EINTERNAL, NULL, "Survey %lld has a damaged period or seed.", (long long)id);
		goto out;
	}
	if ((rc = survey_candidates(ctx, first, last, json_integer_value(json_object_get(before, "department_id")), &ids, &n)))
		goto out;
	if (n == 0) {
		rc = nl_fail(ctx->err, NL_EVALID, "period",
			"No ticket to sample: no closed ticket opened in %s (in the survey's department) is unrated and not yet surveyed.",
			json_string_value(json_object_get(before, "period")));
		goto out;
	}
	survey_sample(seed, ids, n, (size_t)json_integer_value(json_object_get(before, "sample_size")), &kept);
	links = json_array();
	for (size_t i = 0; i < kept && rc == 0; i++) {
		char tok[64];
		int64_t inv = 0;
		if ((rc = invitation_insert(ctx, id, ids[i], at, tok, &inv)))
			break;
		json_t *l = json_object();
		json_set_int(l, "invitation_id", inv);
		json_set_int(l, "ticket_id", ids[i]);
		json_set_str(l, "token", tok);
		char url[96];
		snprintf(url, sizeof url, "/survey/%s", tok);
		json_set_str(l, "url", url);
		json_array_append_new(links, l);
		sodium_memzero(tok, sizeof tok);
	}
	if (rc || (rc = survey_set_status(ctx, id, "draft", "open", at)) || (rc = survey_get(ctx, id, 0, out)))
		goto out;
	/* the audit row never holds the tokens */
	if ((rc = audit_append(ctx, "open", "survey", id, before, *out)))
		goto out;
	json_object_set_new(*out, "links", links);
	links = NULL;
out:
	free(ids);
	json_decref(links);
	json_decref(before);
	return write_end(ctx, rc, out);
}

int survey_close(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	json_t *before = NULL;
	char at[24];
	*out = NULL;
	audit_now_rfc3339(at);
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = survey_get(ctx, id, 0, &before)))
		goto out;
	const char *status = json_string_value(json_object_get(before, "status"));
	if (strcmp(status, "open") != 0) {
		rc = nl_fail(ctx->err, NL_ESTATE, NULL, "Survey %lld is %s; only an open survey is closed.", (long long)id, status);
		goto out;
	}
	if ((rc = survey_set_status(ctx, id, "open", "closed", at)) || (rc = survey_get(ctx, id, 0, out)))
		goto out;
	rc = audit_append(ctx, "close", "survey", id, before, *out);
out:
	json_decref(before);
	return write_end(ctx, rc, out);
}

/* --- public responses ------------------------------------------------------------------------------------------------ */

struct invitation {
	int64_t id, survey_id, ticket_id;
	int responded;
	char responded_at[32];
	char status[16];
	json_t *survey;       /* {"name","period","status"} */
	json_t *questions;    /* the survey's questions (owned) */
	json_t *ticket;       /* {"title","opened_day"} */
};

static void invitation_cleanup(struct invitation *v)
{
	json_decref(v->survey);
	json_decref(v->questions);
	json_decref(v->ticket);
	memset(v, 0, sizeof *v);
}

static int token_shape_ok(const char *t)
{
	if (!t || strlen(t) != NL_SURVEY_TOKEN_LEN)
		return 0;
	for (const char *c = t; *c; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_'))
			return 0;
	return 1;
}

/* Finds the invitation of a token. NL_ENOTFOUND (the same answer for a malformed and an unknown token). */
static int invitation_find(struct nl_ctx *ctx, const char *token, struct invitation *v)
{
	struct nl_stmt *st = NULL;
	char hash[65];
	memset(v, 0, sizeof *v);
	if (!token_shape_ok(token))
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "This survey link is not valid.");
	sha256_hex(token, strlen(token), hash);
	int rc = db_prepare(ctx->db, "SELECT i.id, i.survey_id, i.ticket_id, i.responded_at, s.name, s.period, s.status, s.questions,"
				     " t.title, t.opened_day FROM survey_invitations i JOIN surveys s ON s.id = i.survey_id"
				     " LEFT JOIN tickets t ON t.id = i.ticket_id WHERE i.token_hash = $1", &st);
	if (rc)
		return rc;
	stmt_bind_text(st, 1, hash);
	rc = stmt_step(st);
	if (rc == 1) {
		v->id = stmt_column_int64(st, 0);
		v->survey_id = stmt_column_int64(st, 1);
		v->ticket_id = stmt_column_int64(st, 2);
		v->responded = !stmt_column_is_null(st, 3);
		snprintf(v->responded_at, sizeof v->responded_at, "%s", v->responded ? stmt_column_text(st, 3) : "");
		snprintf(v->status, sizeof v->status, "%s", stmt_column_text(st, 6));
		v->survey = json_object();
		json_set_str(v->survey, "name", stmt_column_text(st, 4));
		json_set_str(v->survey, "period", stmt_column_text(st, 5));
		json_set_str(v->survey, "status", stmt_column_text(st, 6));
		v->questions = stmt_column_text(st, 7) ? json_loads(stmt_column_text(st, 7), 0, NULL) : NULL;
		if (!v->questions)
			v->questions = json_array();
		v->ticket = json_object();
		json_set_str(v->ticket, "title", stmt_column_text(st, 8));
		json_set_str(v->ticket, "opened_day", stmt_column_text(st, 9));
	}
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "This survey link is not valid.");
	if (rc < 0) {
		invitation_cleanup(v);
		return rc;
	}
	return 0;
}

int survey_response_form(struct nl_ctx *ctx, const char *token, json_t **out)
{
	struct invitation v;
	size_t i;
	json_t *q;
	*out = NULL;
	int rc = invitation_find(ctx, token, &v);
	if (rc)
		return rc;
	json_t *o = json_object(), *qs = json_array();
	json_object_set(o, "survey", v.survey);
	json_array_foreach(v.questions, i, q) json_array_append_new(qs, json_pack("{s:O,s:O}", "key", json_object_get(q, "key"),
		"text", json_object_get(q, "text")));
	json_object_set_new(o, "questions", qs);
	json_object_set(o, "ticket", v.ticket);
	json_set_bool(o, "responded", v.responded);
	json_set_str(o, "responded_at", v.responded ? v.responded_at : NULL);
	json_set_bool(o, "accepting_responses", !v.responded && !strcmp(v.status, "open"));
	invitation_cleanup(&v);
	*out = o;
	return 0;
}

int survey_response_submit(struct nl_ctx *ctx, const char *token, const json_t *answers, const char *comment, json_t **out)
{
	struct invitation v = { 0 };
	struct nl_stmt *st = NULL;
	char at[NL_TIMESTAMP_STRLEN], *atext = NULL;
	int64_t total = 0;
	int recorded = 0;
	*out = NULL;
	if (date_timestamp_format(now_of(ctx), at))
		return nl_fail(ctx->err, NL_EINTERNAL, NULL, "The clock is out of range.");
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = invitation_find(ctx, token, &v)))
		goto out;
	if (strcmp(v.status, "open") != 0) {
		rc = nl_fail(ctx->err, NL_ESTATE, NULL, "This survey is %s and takes no responses.",
			!strcmp(v.status, "closed") ? "closed" : "not open yet");
		goto out;
	}
	if (v.responded) {
		rc = nl_fail(ctx->err, NL_ECONFLICT, NULL, "This survey link has been used already: a link answers once.");
		goto out;
	}
	if ((rc = survey_answers_total(v.questions, answers, &total, ctx->err)))
		goto out;
	/* the stored answers: the question keys in the survey's order */
	json_t *ans = json_object();
	size_t i;
	json_t *q;
	json_array_foreach(v.questions, i, q) {
		const char *key = json_string_value(json_object_get(q, "key"));
		json_object_set(ans, key, json_object_get(answers, key));
	}
	atext = json_dumps(ans, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!atext) {
		json_decref(ans);
		rc = nl_fail(ctx->err, NL_ENOMEM, NULL, NULL);
		goto out;
	}
	if ((rc = db_prepare(ctx->db, "UPDATE survey_invitations SET responded_at = $2, answers = $3, score = $4, comment = $5"
				      " WHERE id = $1 AND responded_at IS NULL", &st))) {
		json_decref(ans);
		goto out;
	}
	stmt_bind_int64(st, 1, v.id);
	stmt_bind_text(st, 2, at);
	stmt_bind_text(st, 3, atext);
	stmt_bind_double(st, 4, (double)total / 100.0);
	stmt_bind_text(st, 5, comment ? comment : "");
	rc = stmt_step(st);
	int64_t changed = stmt_changes(st);
	stmt_done(st);
	if (rc >= 0 && changed != 1)
		rc = nl_fail(ctx->err, NL_ECONFLICT, NULL, "This survey link has been used already: a link answers once.");
	if (rc < 0 || (rc = rating_record_survey(ctx, v.ticket_id, survey_total_rating(total), comment, v.survey_id, &recorded))) {
		json_decref(ans);
		goto out;
	}
	json_t *o = json_object();
	json_set_str(o, "responded_at", at);
	json_object_set_new(o, "answers", ans);
	json_set_str(o, "comment", comment ? comment : "");
	json_object_set_new(o, "score", json_real((double)total / 100.0));
	json_set_bool(o, "rating_recorded", recorded);
	*out = o;
	json_t *after = json_deep_copy(o);
	json_set_int(after, "survey_id", v.survey_id);
	json_set_int(after, "ticket_id", v.ticket_id);
	rc = audit_append(ctx, "respond", "survey_invitation", v.id, NULL, after);
	json_decref(after);
out:
	free(atext);
	invitation_cleanup(&v);
	return write_end(ctx, rc, out);
}
