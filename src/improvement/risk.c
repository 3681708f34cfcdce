/* risk.c — the risk register (improvement/risk.h): score and level rules, validation, writes with their audit rows,
 * the filtered list and the 5 × 5 heat map. Reads users and plan_items (other rooms' tables) with its own SQL to
 * validate links and to name them. */
#include "improvement/risk.h"

#include "audit/audit.h"
#include "core/date.h"
#include "core/json.h"
#include "cycle/today.h"
#include "store/store.h"

#include <string.h>

#include "core/common.h"

const char *const nl_risk_elements[] = { "people", "process", "technology", "resources", NULL };
const char *const nl_risk_statuses[] = { "open", "mitigating", "accepted", "closed", NULL };
const char *const nl_risk_levels[] = { "low", "medium", "high", "critical", NULL };

/* ---- the rules (pure) ---- */

int risk_score(int likelihood, int impact)
{
	if (likelihood < NL_RISK_SCALE_MIN || likelihood > NL_RISK_SCALE_MAX || impact < NL_RISK_SCALE_MIN ||
		impact > NL_RISK_SCALE_MAX)
		return 0;
	return likelihood * impact;
}

const char *risk_level(int score)
{
	if (score < 1 || score > NL_RISK_SCALE_MAX * NL_RISK_SCALE_MAX)
		return NULL;
	return score <= NL_RISK_LOW_MAX ? "low" : score <= NL_RISK_MEDIUM_MAX ? "medium" : score <= NL_RISK_HIGH_MAX ? "high"
																 : "critical";
}

int risk_level_range(const char *level, int *min, int *max)
{
	static const int bounds[][2] = { { 1, NL_RISK_LOW_MAX }, { NL_RISK_LOW_MAX + 1, NL_RISK_MEDIUM_MAX },
		{ NL_RISK_MEDIUM_MAX + 1, NL_RISK_HIGH_MAX }, { NL_RISK_HIGH_MAX + 1, NL_RISK_SCALE_MAX * NL_RISK_SCALE_MAX } };
	for (size_t i = 0; level && nl_risk_levels[i]; i++) {
		if (!strcmp(nl_risk_levels[i], level)) {
			*min = bounds[i][0];
			*max = bounds[i][1];
			return 0;
		}
	}
	return NL_EVALID;
}

const char *risk_level_zh(const char *level)
{
	static const char *const zh[] = { "低", "中", "高", "极高" };
	for (size_t i = 0; level && nl_risk_levels[i]; i++)
		if (!strcmp(nl_risk_levels[i], level))
			return zh[i];
	return "";
}

/* ---- helpers ---- */

static int in_list(const char *const *list, const char *s)
{
	for (size_t i = 0; s && list[i]; i++)
		if (!strcmp(list[i], s))
			return 1;
	return 0;
}

/* 1 when s is NULL or only white space (ASCII, the no-break space, the ideographic space). */
static int is_blank(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (p && *p) {
		if (*p == ' ' || (*p >= '\t' && *p <= '\r'))
			p++;
		else if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)
			p += 3;
		else if (p[0] == 0xC2 && p[1] == 0xA0)
			p += 2;
		else
			return 0;
	}
	return 1;
}

static void bind_id(struct nl_stmt *st, int idx, int64_t v)
{
	if (v > 0)
		stmt_bind_int64(st, idx, v);
	else
		stmt_bind_null(st, idx);
}

static int today_text(struct nl_ctx *ctx, struct nl_date *d, char s[NL_DATE_STRLEN])
{
	int rc = cycle_today(ctx, d);
	if (rc)
		return rc;
	if (date_format(*d, s))
		return nl_fail(ctx->err, NL_EINTERNAL, NULL, "Today's date is out of range.");
	return 0;
}

/* The columns of a risk with its owner's name and its plan item's area and year. */
#define RISK_SELECT \
	"SELECT r.id, r.title, r.element, r.likelihood, r.impact, r.mitigation, r.owner_user_id, u.display_name," \
	" r.review_on, r.status, r.plan_item_id, pi.area, p.year, r.created_at, r.updated_at" \
	" FROM risks r LEFT JOIN users u ON u.id = r.owner_user_id" \
	" LEFT JOIN plan_items pi ON pi.id = r.plan_item_id LEFT JOIN plans p ON p.id = pi.plan_id"

/* The filter of risk_list and risk_matrix: $1 cursor, $2 element, $3 status, $4 owner, $5..$6 score range, $7 review
 * overdue (-1 either, 0, 1), $8 today, $9 plan item, $10 leave out closed risks (1) or not (0). */
#define RISK_WHERE \
	" WHERE r.id > $1 AND (CAST($2 AS TEXT) = '' OR r.element = $2) AND (CAST($3 AS TEXT) = '' OR r.status = $3)" \
	" AND (CAST($4 AS BIGINT) = 0 OR r.owner_user_id = CAST($4 AS BIGINT))" \
	" AND r.likelihood * r.impact >= CAST($5 AS BIGINT) AND r.likelihood * r.impact <= CAST($6 AS BIGINT)" \
	" AND (CAST($7 AS BIGINT) < 0 OR CAST($7 AS BIGINT) =" \
	"  (CASE WHEN r.status <> 'closed' AND r.review_on IS NOT NULL AND r.review_on < $8 THEN 1 ELSE 0 END))" \
	" AND (CAST($9 AS BIGINT) = 0 OR r.plan_item_id = CAST($9 AS BIGINT))" \
	" AND (CAST($10 AS BIGINT) = 0 OR r.status <> 'closed')"

static json_t *risk_row(struct nl_stmt *st, struct nl_date today)
{
	json_t *o = json_object();
	int l = (int)stmt_column_int64(st, 3), i = (int)stmt_column_int64(st, 4);
	int score = risk_score(l, i);
	const char *review_on = stmt_column_text(st, 8), *status = stmt_column_text(st, 9);
	struct nl_date r;
	int overdue_days = 0;
	if (review_on && status && strcmp(status, "closed") != 0 && date_parse(review_on, &r) == 0 && date_cmp(r, today) < 0)
		overdue_days = date_diff_days(today, r);
	json_set_int(o, "id", stmt_column_int64(st, 0));
	json_set_str(o, "title", stmt_column_text(st, 1));
	json_set_str(o, "element", stmt_column_text(st, 2));
	json_set_int(o, "likelihood", l);
	json_set_int(o, "impact", i);
	json_set_int(o, "score", score);
	json_set_str(o, "level", risk_level(score));
	json_set_str(o, "mitigation", stmt_column_text(st, 5));
	json_set_id(o, "owner_user_id", stmt_column_int64(st, 6));
	json_set_str(o, "owner", stmt_column_text(st, 7));
	json_set_str(o, "review_on", review_on);
	json_set_bool(o, "review_overdue", overdue_days > 0);
	json_set_int(o, "review_overdue_days", overdue_days);
	json_set_str(o, "status", status);
	json_set_id(o, "plan_item_id", stmt_column_int64(st, 10));
	json_set_str(o, "plan_item_area", stmt_column_text(st, 11));
	if (stmt_column_is_null(st, 12))
		json_object_set_new(o, "plan_item_year", json_null());
	else
		json_set_int(o, "plan_item_year", stmt_column_int64(st, 12));
	json_set_str(o, "created_at", stmt_column_text(st, 13));
	json_set_str(o, "updated_at", stmt_column_text(st, 14));
	return o;
}

static int risk_read(struct nl_ctx *ctx, int64_t id, struct nl_date today, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, RISK_SELECT " WHERE r.id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1)
		*out = risk_row(st, today);
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No risk with id %lld.", (long long)id);
	return rc < 0 ? rc : 0;
}

int risk_get(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	struct nl_date today;
	char today_s[NL_DATE_STRLEN];
	*out = NULL;
	int rc = today_text(ctx, &today, today_s);
	return rc ? rc : risk_read(ctx, id, today, out);
}

/* Validates a whole risk (a creation, or the merged risk of a PATCH). */
static int risk_validate(struct nl_ctx *ctx, const struct nl_risk_input *in)
{
	struct nl_stmt *st = NULL;
	struct nl_date d;
	int rc;
	if (is_blank(in->title))
		return nl_fail(ctx->err, NL_EVALID, "title", "title must not be blank.");
	if (!in_list(nl_risk_elements, in->element))
		return nl_fail(ctx->err, NL_EVALID, "element", "element must be people, process, technology or resources.");
	if (in->likelihood < NL_RISK_SCALE_MIN || in->likelihood > NL_RISK_SCALE_MAX)
		return nl_fail(ctx->err, NL_EVALID, "likelihood", "likelihood must be between 1 and 5.");
	if (in->impact < NL_RISK_SCALE_MIN || in->impact > NL_RISK_SCALE_MAX)
		return nl_fail(ctx->err, NL_EVALID, "impact", "impact must be between 1 and 5.");
	if (!in_list(nl_risk_statuses, in->status))
		return nl_fail(ctx->err, NL_EVALID, "status", "status must be open, mitigating, accepted or closed.");
	if (in->review_on && date_parse(in->review_on, &d))
		return nl_fail(ctx->err, NL_EVALID, "review_on", "review_on is not a calendar date.");
	if (in->owner_user_id > 0) {
		if ((rc = db_prepare(ctx->db, "SELECT active FROM users WHERE id = $1", &st)))
			return rc;
		stmt_bind_int64(st, 1, in->owner_user_id);
		rc = stmt_step(st);
		int active = rc == 1 && stmt_column_int64(st, 0) != 0;
		stmt_done(st);
		if (rc < 0)
			return rc;
		if (!active)
			return nl_fail(ctx->err, NL_EVALID, "owner_user_id", "User %lld is not an active user.",
				(long long)in->owner_user_id);
	}
	if (in->plan_item_id > 0) {
		if ((rc = db_prepare(ctx->db, "SELECT 1 FROM plan_items WHERE id = $1", &st)))
			return rc;
		stmt_bind_int64(st, 1, in->plan_item_id);
		rc = stmt_step(st);
		stmt_done(st);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return nl_fail(ctx->err, NL_EVALID, "plan_item_id", "No plan item with id %lld.", (long long)in->plan_item_id);
	}
	return 0;
}

/* Binds the nine columns of a risk in API order to $base..$base+8, and the time to $base+9. */
static void bind_risk(struct nl_stmt *st, int base, const struct nl_risk_input *in, const char *at)
{
	stmt_bind_text(st, base, in->title);
	stmt_bind_text(st, base + 1, in->element);
	stmt_bind_int64(st, base + 2, in->likelihood);
	stmt_bind_int64(st, base + 3, in->impact);
	stmt_bind_text(st, base + 4, in->mitigation ? in->mitigation : "");
	bind_id(st, base + 5, in->owner_user_id);
	stmt_bind_text(st, base + 6, in->review_on);
	stmt_bind_text(st, base + 7, in->status);
	bind_id(st, base + 8, in->plan_item_id);
	stmt_bind_text(st, base + 9, at);
}

static int finish(struct nl_ctx *ctx, int rc, json_t **out)
{
	rc = tx_end(ctx, rc);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int risk_create(struct nl_ctx *ctx, const struct nl_risk_input *in, json_t **out)
{
	struct nl_stmt *st = NULL;
	struct nl_date today;
	char today_s[NL_DATE_STRLEN], at[24];
	struct nl_risk_input r = *in;
	int64_t id = 0;
	*out = NULL;
	if (!r.status)
		r.status = "open";
	int rc = today_text(ctx, &today, today_s);
	if (rc || (rc = risk_validate(ctx, &r)))
		return rc;
	ctx_now_rfc3339(ctx, at);
	if ((rc = db_begin(ctx->db)))
		return rc;
	if ((rc = db_prepare(ctx->db, "INSERT INTO risks (title, element, likelihood, impact, mitigation, owner_user_id, review_on,"
				      " status, plan_item_id, created_at, updated_at)"
				      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id", &st)))
		goto out;
	bind_risk(st, 1, &r, at);
	rc = stmt_step(st);
	id = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc < 0 || (rc = risk_read(ctx, id, today, out)))
		goto out;
	rc = audit_append(ctx, "create", "risk", id, NULL, *out);
out:
	return finish(ctx, rc, out);
}

int risk_update(struct nl_ctx *ctx, int64_t id, const struct nl_risk_input *in, unsigned set, json_t **out)
{
	struct nl_stmt *st = NULL;
	struct nl_date today;
	char today_s[NL_DATE_STRLEN], at[24];
	json_t *before = NULL;
	*out = NULL;
	int rc = today_text(ctx, &today, today_s);
	if (rc)
		return rc;
	ctx_now_rfc3339(ctx, at);
	if ((rc = db_begin(ctx->db)))
		return rc;
	if ((rc = risk_read(ctx, id, today, &before)))
		goto out;
	/* the merged risk: the request's fields over the stored ones (strings borrowed from `before` or the request) */
	struct nl_risk_input m = {
		.title = json_string_value(json_object_get(before, "title")),
		.element = json_string_value(json_object_get(before, "element")),
		.likelihood = json_integer_value(json_object_get(before, "likelihood")),
		.impact = json_integer_value(json_object_get(before, "impact")),
		.mitigation = json_string_value(json_object_get(before, "mitigation")),
		.owner_user_id = json_integer_value(json_object_get(before, "owner_user_id")),
		.review_on = json_string_value(json_object_get(before, "review_on")),
		.status = json_string_value(json_object_get(before, "status")),
		.plan_item_id = json_integer_value(json_object_get(before, "plan_item_id")),
	};
	if (set & NL_RISK_SET_TITLE)
		m.title = in->title;
	if (set & NL_RISK_SET_ELEMENT)
		m.element = in->element;
	if (set & NL_RISK_SET_LIKELIHOOD)
		m.likelihood = in->likelihood;
	if (set & NL_RISK_SET_IMPACT)
		m.impact = in->impact;
	if (set & NL_RISK_SET_MITIGATION)
		m.mitigation = in->mitigation;
	if (set & NL_RISK_SET_OWNER)
		m.owner_user_id = in->owner_user_id;
	if (set & NL_RISK_SET_REVIEW_ON)
		m.review_on = in->review_on;
	if (set & NL_RISK_SET_STATUS)
		m.status = in->status;
	if (set & NL_RISK_SET_PLAN_ITEM)
		m.plan_item_id = in->plan_item_id;
	if ((rc = risk_validate(ctx, &m)))
		goto out;
	if (set == 0) {
		*out = json_incref(before);
		goto out;
	}
	if ((rc = db_prepare(ctx->db, "UPDATE risks SET title = $2, element = $3, likelihood = $4, impact = $5, mitigation = $6,"
				      " owner_user_id = $7, review_on = $8, status = $9, plan_item_id = $10, updated_at = $11"
				      " WHERE id = $1", &st)))
		goto out;
	stmt_bind_int64(st, 1, id);
	bind_risk(st, 2, &m, at);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0 || (rc = risk_read(ctx, id, today, out)))
		goto out;
	rc = audit_append(ctx, "update", "risk", id, before, *out);
out:
	json_decref(before);
	return finish(ctx, rc, out);
}

/* Checks the filter's names and binds RISK_WHERE's ten parameters. */
static int filter_check(struct nl_ctx *ctx, const struct nl_risk_filter *f, int *min, int *max)
{
	*min = 1;
	*max = NL_RISK_SCALE_MAX * NL_RISK_SCALE_MAX;
	if (f->element && !in_list(nl_risk_elements, f->element))
		return nl_fail(ctx->err, NL_EINVAL, "element", "element must be people, process, technology or resources.");
	if (f->status && !in_list(nl_risk_statuses, f->status))
		return nl_fail(ctx->err, NL_EINVAL, "status", "status must be open, mitigating, accepted or closed.");
	if (f->level && risk_level_range(f->level, min, max))
		return nl_fail(ctx->err, NL_EINVAL, "level", "level must be low, medium, high or critical.");
	return 0;
}

static void filter_bind(struct nl_stmt *st, const struct nl_risk_filter *f, int min, int max, const char *today,
	int64_t cursor, int exclude_closed)
{
	stmt_bind_int64(st, 1, cursor);
	stmt_bind_text(st, 2, f->element ? f->element : "");
	stmt_bind_text(st, 3, f->status ? f->status : "");
	stmt_bind_int64(st, 4, f->owner_user_id);
	stmt_bind_int64(st, 5, min);
	stmt_bind_int64(st, 6, max);
	stmt_bind_int64(st, 7, f->review_overdue < 0 ? -1 : f->review_overdue ? 1 : 0);
	stmt_bind_text(st, 8, today);
	stmt_bind_int64(st, 9, f->plan_item_id);
	stmt_bind_int64(st, 10, exclude_closed);
}

int risk_list(struct nl_ctx *ctx, const struct nl_risk_filter *f, json_t **items, int64_t *next)
{
	struct nl_stmt *st = NULL;
	struct nl_date today;
	char today_s[NL_DATE_STRLEN];
	int min, max, more = 0;
	*items = NULL;
	*next = 0;
	int rc = filter_check(ctx, f, &min, &max);
	if (rc || (rc = today_text(ctx, &today, today_s)))
		return rc;
	if ((rc = db_prepare(ctx->db, RISK_SELECT RISK_WHERE " ORDER BY r.id LIMIT $11", &st)))
		return rc;
	filter_bind(st, f, min, max, today_s, f->cursor, 0);
	stmt_bind_int64(st, 11, f->limit + 1);
	json_t *a = json_array();
	while ((rc = stmt_step(st)) == 1) {
		if ((int64_t)json_array_size(a) >= f->limit) {
			more = 1;
			break;
		}
		json_array_append_new(a, risk_row(st, today));
	}
	stmt_done(st);
	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	if (more)
		*next = json_integer_value(json_object_get(json_array_get(a, json_array_size(a) - 1), "id"));
	*items = a;
	return 0;
}

int risk_matrix(struct nl_ctx *ctx, const struct nl_risk_filter *f, json_t **out)
{
	struct nl_stmt *st = NULL;
	struct nl_date today;
	char today_s[NL_DATE_STRLEN];
	int64_t counts[NL_RISK_SCALE_MAX][NL_RISK_SCALE_MAX];
	int min, max;
	*out = NULL;
	memset(counts, 0, sizeof counts);
	int rc = filter_check(ctx, f, &min, &max);
	if (rc || (rc = today_text(ctx, &today, today_s)))
		return rc;
	if ((rc = db_prepare(ctx->db, "SELECT r.likelihood, r.impact, COUNT(*) FROM risks r" RISK_WHERE
				      " GROUP BY r.likelihood, r.impact", &st)))
		return rc;
	filter_bind(st, f, min, max, today_s, 0, f->status ? 0 : 1);
	while ((rc = stmt_step(st)) == 1) {
		int64_t l = stmt_column_int64(st, 0), i = stmt_column_int64(st, 1);
		if (l >= NL_RISK_SCALE_MIN && l <= NL_RISK_SCALE_MAX && i >= NL_RISK_SCALE_MIN && i <= NL_RISK_SCALE_MAX)
			counts[l - 1][i - 1] += stmt_column_int64(st, 2);
	}
	stmt_done(st);
	if (rc < 0)
		return rc;
	json_t *o = json_object(), *rows = json_array(), *cells = json_array(), *by_level = json_object();
	int64_t total = 0, level_n[4] = { 0, 0, 0, 0 };
	for (int l = 1; l <= NL_RISK_SCALE_MAX; l++) {
		json_t *row = json_array();
		for (int i = 1; i <= NL_RISK_SCALE_MAX; i++)
			json_array_append_new(row, json_integer(counts[l - 1][i - 1]));
		json_array_append_new(rows, row);
	}
	for (int l = NL_RISK_SCALE_MAX; l >= NL_RISK_SCALE_MIN; l--) {
		for (int i = NL_RISK_SCALE_MIN; i <= NL_RISK_SCALE_MAX; i++) {
			int score = risk_score(l, i);
			const char *level = risk_level(score);
			int64_t n = counts[l - 1][i - 1];
			json_t *c = json_object();
			json_set_int(c, "likelihood", l);
			json_set_int(c, "impact", i);
			json_set_int(c, "score", score);
			json_set_str(c, "level", level);
			json_set_int(c, "count", n);
			json_array_append_new(cells, c);
			total += n;
			for (int k = 0; k < 4; k++)
				if (!strcmp(nl_risk_levels[k], level))
					level_n[k] += n;
		}
	}
	for (int k = 0; k < 4; k++)
		json_set_int(by_level, nl_risk_levels[k], level_n[k]);
	json_object_set_new(o, "counts", rows);
	json_object_set_new(o, "cells", cells);
	json_object_set_new(o, "by_level", by_level);
	json_set_int(o, "total", total);
	*out = o;
	return 0;
}
