/* sla.c — SLA policies as records (sla_policies), the loaded SLA set (every active policy with its calendar) that
 * evaluates tickets without a query each, and the per-ticket SLA timeline that explains every number. The business
 * time itself comes from the pure calculator in bizcal.c; the rules are in sla.h. */
#include "records/sla.h"

#include "audit/audit.h"
#include "core/date.h"
#include "core/json.h"
#include "records/bizcal.h"
#include "records/calendar.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"

#define SLA_MAX_MINUTES 525600            /* one year of minutes */
#define SLA_TIMELINE_MAX_INTERVALS 2000

/* ---- the loaded set ---- */

struct sla_pol {
	int64_t id;
	char *name;
	char priority[4];
	char *category;              /* NULL: any */
	int64_t department_id;       /* 0: any */
	int64_t calendar_id;
	size_t cal;                  /* index into set->cals */
	int64_t response_minutes, resolution_minutes;
};

struct nl_sla_set {
	struct sla_pol *pols;
	size_t npols;
	struct calendar_loaded *cals;
	size_t ncals;
};

void sla_set_free(struct nl_sla_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->npols; i++) {
		free(set->pols[i].name);
		free(set->pols[i].category);
	}
	for (size_t i = 0; i < set->ncals; i++)
		calendar_loaded_free(&set->cals[i]);
	free(set->pols);
	free(set->cals);
	free(set);
}

/* Loads calendar id into the set unless it is there; *index = its place. */
static int set_calendar(struct nl_ctx *ctx, struct nl_sla_set *set, int64_t id, size_t *index)
{
	for (size_t i = 0; i < set->ncals; i++)
		if (set->cals[i].id == id) {
			*index = i;
			return 0;
		}
	struct calendar_loaded *p = realloc(set->cals, (set->ncals + 1) * sizeof *p);
	if (!p)
		return NL_ENOMEM;
	set->cals = p;
	int rc = calendar_load(ctx, id, &set->cals[set->ncals]);
	if (rc)
		return rc;
	*index = set->ncals++;
	return 0;
}

int sla_set_load(struct nl_ctx *ctx, struct nl_sla_set **out)
{
	struct nl_stmt *st = NULL;
	size_t alloc = 0;
	*out = NULL;
	struct nl_sla_set *set = calloc(1, sizeof *set);
	if (!set)
		return NL_ENOMEM;
	int rc = db_prepare(ctx->db, "SELECT id, name, priority, category, department_id, calendar_id, response_minutes,"
				     " resolution_minutes FROM sla_policies WHERE active = 1 ORDER BY id", &st);
	if (rc)
		goto out;
	while ((rc = stmt_step(st)) == 1) {
		if (set->npols == alloc) {
			size_t na = alloc ? alloc * 2 : 16;
			struct sla_pol *p = realloc(set->pols, na * sizeof *p);
			if (!p) {
				rc = NL_ENOMEM;
				break;
			}
			set->pols = p;
			alloc = na;
		}
		struct sla_pol *p = &set->pols[set->npols++];
		memset(p, 0, sizeof *p);
		p->id = stmt_column_int64(st, 0);
		p->name = strdup(stmt_column_text(st, 1) ? stmt_column_text(st, 1) : "");
		snprintf(p->priority, sizeof p->priority, "%s", stmt_column_text(st, 2) ? stmt_column_text(st, 2) : "");
		if (!stmt_column_is_null(st, 3))
			p->category = strdup(stmt_column_text(st, 3));
		p->department_id = stmt_column_int64(st, 4);
		p->calendar_id = stmt_column_int64(st, 5);
		p->response_minutes = stmt_column_int64(st, 6);
		p->resolution_minutes = stmt_column_int64(st, 7);
		if (!p->name || (!stmt_column_is_null(st, 3) && !p->category)) {
			rc = NL_ENOMEM;
			break;
		}
	}
	stmt_done(st);
	if (rc < 0)
		goto out;
	rc = 0;
	for (size_t i = 0; i < set->npols && rc == 0; i++)
		rc = set_calendar(ctx, set, set->pols[i].calendar_id, &set->pols[i].cal);
out:
	if (rc) {
		sla_set_free(set);
		return rc;
	}
	*out = set;
	return 0;
}

/* How specific a policy is: 3 department+category, 2 department, 1 category, 0 priority only. */
static int specificity(int64_t department_id, const char *category)
{
	return (department_id ? 2 : 0) + (category ? 1 : 0);
}

static const char *specificity_name(int s)
{
	static const char *const names[] = { "priority", "category", "department", "department+category" };
	return s >= 0 && s <= 3 ? names[s] : "";
}

/* Why policy p does or does not apply to the ticket: NULL when it matches, else a reason. */
static const char *mismatch(const struct sla_pol *p, const struct nl_sla_input *in)
{
	if (strcmp(p->priority, in->priority))
		return "another priority";
	if (p->category && strcmp(p->category, in->category ? in->category : ""))
		return "another category";
	if (p->department_id && p->department_id != in->department_id)
		return "another department";
	return NULL;
}

/* The most specific active policy for the ticket (the lowest id among equals), or NULL. */
static const struct sla_pol *policy_match(const struct nl_sla_set *set, const struct nl_sla_input *in)
{
	const struct sla_pol *best = NULL;
	int best_score = -1;
	for (size_t i = 0; i < set->npols; i++) {
		const struct sla_pol *p = &set->pols[i];
		if (mismatch(p, in))
			continue;
		int s = specificity(p->department_id, p->category);
		if (s > best_score) {
			best = p;
			best_score = s;
		}
	}
	return best;
}

static int status_paused(const char *s)
{
	return !strcmp(s, "waiting_customer") || !strcmp(s, "waiting_vendor");
}

/* bizcal's event callback over the contract's status changes. */
static int sla_event(const void *arg, size_t i, int64_t *at)
{
	const struct nl_status_change *e = arg;
	*at = e[i].at;
	if (!e[i].status)
		return NL_EVALID;
	return status_paused(e[i].status);
}

/* Where paused time is measured up to: the resolution, else now, else the latest instant the input knows. */
static int64_t eval_end(const struct nl_sla_input *in, int64_t now)
{
	if (in->resolved_at && in->resolved_at >= in->opened_at)
		return in->resolved_at;
	if (now)
		return now > in->opened_at ? now : in->opened_at;
	int64_t e = in->opened_at;
	if (in->first_response_at > e)
		e = in->first_response_at;
	if (in->nevents && in->events && in->events[in->nevents - 1].at > e)
		e = in->events[in->nevents - 1].at;
	return e;
}

static int input_valid(const struct nl_sla_input *in)
{
	if (!in || !in->priority || (in->nevents && !in->events))
		return 0;
	return in->opened_at >= NL_BIZCAL_T_MIN && in->opened_at <= NL_BIZCAL_T_MAX;
}

/* Runs the calculator for the ticket under policy p. */
static int run_ticket(const struct nl_sla_set *set, const struct sla_pol *p, const struct nl_sla_input *in, int64_t now,
	struct nl_bizcal_ticket_result *r, nl_bizcal_piece_fn fn, void *fnarg)
{
	struct nl_bizcal_ticket t = {
		.opened = in->opened_at,
		.response = in->first_response_at,
		.resolved = in->resolved_at,
		.end = eval_end(in, now),
		.response_target = p->response_minutes * 60,
		.resolution_target = p->resolution_minutes * 60,
		.nevents = in->events ? in->nevents : 0,
		.event = sla_event,
		.arg = in->events,
	};
	return bizcal_ticket(&set->cals[p->cal].cal, &t, r, fn, fnarg) ? NL_EVALID : 0;
}

int sla_set_evaluate(const struct nl_sla_set *set, const struct nl_sla_input *in, struct nl_sla_result *out)
{
	memset(out, 0, sizeof *out);
	out->response_met = out->resolution_met = -1;
	if (!set || !input_valid(in))
		return NL_EVALID;
	const struct sla_pol *p = policy_match(set, in);
	if (!p)
		return 0;
	struct nl_bizcal_ticket_result r;
	int rc = run_ticket(set, p, in, in->now, &r, NULL, NULL);
	if (rc)
		return rc;
	out->policy_id = p->id;
	out->has_response = r.response_seconds >= 0;
	out->business_response_minutes = out->has_response ? r.response_seconds / 60 : 0;
	out->has_resolution = r.resolution_seconds >= 0;
	out->business_resolution_minutes = out->has_resolution ? r.resolution_seconds / 60 : 0;
	out->paused_minutes = r.paused_seconds / 60;
	if (out->has_response)
		out->response_met = out->business_response_minutes <= p->response_minutes;
	if (out->has_resolution)
		out->resolution_met = out->business_resolution_minutes <= p->resolution_minutes;
	return 0;
}

/* ---- the timeline ---- */

static void set_time(json_t *o, const char *key, int64_t t)
{
	char buf[NL_TIMESTAMP_STRLEN];
	if (t && date_timestamp_format(t, buf) == 0)
		json_set_str(o, key, buf);
	else
		json_object_set_new(o, key, json_null());
}

/* The instant in the calendar's local time: "2025-09-22T09:00:00+08:00". */
static void set_local(json_t *o, const char *key, const struct nl_bizcal_zone *z, int64_t t)
{
	char buf[NL_TIMESTAMP_STRLEN], out[40];
	int off = bizcal_offset(z, t);
	if (date_timestamp_format(t + off, buf)) {
		json_object_set_new(o, key, json_null());
		return;
	}
	buf[19] = '\0';   /* drop the "Z" */
	int a = off < 0 ? -off : off;
	snprintf(out, sizeof out, "%s%c%02d:%02d", buf, off < 0 ? '-' : '+', a / 3600, a % 3600 / 60);
	json_set_str(o, key, out);
}

static void set_day(json_t *o, const char *key, int32_t day)
{
	struct nl_date d;
	char buf[NL_DATE_STRLEN];
	if (date_from_days(day, &d) == 0 && date_format(d, buf) == 0)
		json_set_str(o, key, buf);
	else
		json_object_set_new(o, key, json_null());
}

/* Collects the pieces of business time for the timeline. */
struct pieces {
	json_t *items;
	const struct nl_bizcal_zone *zone;
	int64_t response, resolved;   /* 0: none */
	size_t count;
	int truncated;
};

static void piece_add(void *arg, const struct nl_bizcal_window *w, int paused)
{
	struct pieces *p = arg;
	if (p->count++ >= SLA_TIMELINE_MAX_INTERVALS) {
		p->truncated = 1;
		return;
	}
	json_t *o = json_object();
	set_time(o, "from", w->from);
	set_time(o, "to", w->to);
	set_local(o, "local_from", p->zone, w->from);
	set_local(o, "local_to", p->zone, w->to);
	set_day(o, "date", w->day);
	json_set_str(o, "day_kind", w->kind == NL_BIZCAL_WORKDAY ? "make_up_workday" : "workday");
	json_set_str(o, "state", paused ? "paused" : "running");
	json_set_int(o, "seconds", w->to - w->from);
	json_t *counts = json_array();
	if (!paused) {
		if (p->response && w->to <= p->response)
			json_array_append_new(counts, json_string("response"));
		if (p->resolved && w->to <= p->resolved)
			json_array_append_new(counts, json_string("resolution"));
	}
	json_object_set_new(o, "counts_for", counts);
	json_array_append_new(p->items, o);
}

static json_t *calendar_json(const struct calendar_loaded *c)
{
	json_t *o = json_object();
	json_set_int(o, "id", c->id);
	json_set_str(o, "name", c->name);
	json_set_str(o, "timezone", c->timezone);
	json_t *wp = json_loads(c->work_periods, 0, NULL);
	json_object_set_new(o, "work_periods", wp ? wp : json_array());
	json_t *wd = json_array();
	for (int k = 1; k <= 7; k++)
		if (c->weekdays & (1u << (k - 1)))
			json_array_append_new(wd, json_string(calendar_weekday_name(k)));
	json_object_set_new(o, "weekdays", wd);
	return o;
}

static json_t *policy_json_of(const struct sla_pol *p)
{
	json_t *o = json_object();
	json_set_int(o, "id", p->id);
	json_set_str(o, "name", p->name);
	json_set_str(o, "priority", p->priority);
	json_set_str(o, "category", p->category);
	json_set_id(o, "department_id", p->department_id);
	json_set_int(o, "calendar_id", p->calendar_id);
	json_set_int(o, "response_minutes", p->response_minutes);
	json_set_int(o, "resolution_minutes", p->resolution_minutes);
	json_set_str(o, "specificity", specificity_name(specificity(p->department_id, p->category)));
	return o;
}

/* One target's explanation: the measured business time, the due instants and the verdict. */
static json_t *target_json(const struct calendar_loaded *c, int64_t opened, int64_t target_minutes, int64_t at,
	int64_t seconds, int has_due, int64_t due, const char *what)
{
	json_t *o = json_object();
	char text[400];
	int64_t plain_due = 0;
	json_set_int(o, "target_minutes", target_minutes);
	set_time(o, "at", at);
	if (seconds >= 0) {
		json_set_int(o, "business_seconds", seconds);
		json_set_int(o, "business_minutes", seconds / 60);
		json_set_bool(o, "met", seconds / 60 <= target_minutes);
		snprintf(text, sizeof text, "%s after %lld business minutes (%lld s, rounded down); target %lld: %s.", what,
			(long long)(seconds / 60), (long long)seconds, (long long)target_minutes,
			seconds / 60 <= target_minutes ? "met" : "missed");
	} else {
		json_object_set_new(o, "business_seconds", json_null());
		json_object_set_new(o, "business_minutes", json_null());
		json_object_set_new(o, "met", json_null());
		snprintf(text, sizeof text, at ? "%s before the opening (a clock error): not measured." : "No %s yet: not measured.",
			what);
	}
	if (has_due) {
		set_time(o, "due_at", due);
		set_local(o, "local_due_at", &c->cal.zone, due);
	} else {
		json_object_set_new(o, "due_at", json_null());
		json_object_set_new(o, "local_due_at", json_null());
	}
	if (bizcal_add(&c->cal, opened, target_minutes * 60, &plain_due) == 0)
		set_time(o, "due_at_without_pauses", plain_due);
	else
		json_object_set_new(o, "due_at_without_pauses", json_null());
	json_set_str(o, "explanation", text);
	return o;
}

/* The ticket's pauses from its status history, each measured in business time within [opened, end). */
static json_t *pauses_json(const struct calendar_loaded *c, const struct nl_sla_input *in, int64_t end)
{
	json_t *a = json_array();
	size_t n = in->events ? in->nevents : 0;
	for (size_t i = 0; i < n; i++) {
		if (!status_paused(in->events[i].status))
			continue;
		if (i > 0 && status_paused(in->events[i - 1].status) && !strcmp(in->events[i - 1].status, in->events[i].status))
			continue;   /* the same waiting status entered again: one pause */
		size_t j = i + 1;
		while (j < n && !strcmp(in->events[j].status, in->events[i].status))
			j++;
		int64_t from = in->events[i].at, to = j < n ? in->events[j].at : 0;
		int64_t a0 = from > in->opened_at ? from : in->opened_at;
		int64_t b0 = to && to < end ? to : end;
		json_t *o = json_object();
		json_set_str(o, "status", in->events[i].status);
		set_time(o, "from", from);
		set_time(o, "to", to);
		json_set_bool(o, "ongoing", to == 0);
		int64_t s = b0 > a0 ? bizcal_seconds(&c->cal, a0, b0) : 0;
		json_set_int(o, "business_seconds", s);
		json_set_int(o, "business_minutes", s / 60);
		json_array_append_new(a, o);
	}
	return a;
}

int sla_timeline(struct nl_ctx *ctx, const struct nl_sla_set *set, const struct nl_sla_input *in, json_t **out)
{
	*out = NULL;
	if (!set || !input_valid(in))
		return nl_fail(ctx->err, NL_EVALID, NULL, "The ticket's times are out of range.");
	for (size_t i = 0; in->events && i < in->nevents; i++)
		if (!in->events[i].status || (i > 0 && in->events[i].at < in->events[i - 1].at))
			return nl_fail(ctx->err, NL_EVALID, NULL, "The ticket's status history is not in time order.");
	int64_t now = in->now ? in->now : ctx->now;
	json_t *o = json_object();
	json_t *tk = json_object();
	json_set_str(tk, "priority", in->priority);
	json_set_str(tk, "category", in->category ? in->category : "");
	json_set_id(tk, "department_id", in->department_id);
	set_time(tk, "opened_at", in->opened_at);
	set_time(tk, "first_response_at", in->first_response_at);
	set_time(tk, "resolved_at", in->resolved_at);
	json_object_set_new(o, "ticket", tk);
	set_time(o, "evaluated_at", now);

	/* the match: every active policy of this priority and why it applies or not */
	const struct sla_pol *p = policy_match(set, in);
	json_t *cands = json_array();
	for (size_t i = 0; i < set->npols; i++) {
		const struct sla_pol *q = &set->pols[i];
		if (strcmp(q->priority, in->priority))
			continue;
		json_t *c = policy_json_of(q);
		const char *why = mismatch(q, in);
		json_set_bool(c, "applies", why == NULL);
		json_set_str(c, "reason", why ? why : q == p ? "chosen: the most specific policy that applies"
							     : "applies, but a more specific (or older equally specific) policy is chosen");
		json_array_append_new(cands, c);
	}
	json_t *match = json_object();
	json_set_str(match, "rule", "The most specific active policy of the ticket's priority applies: department+category, "
				  "then department, then category, then priority only; among equals the oldest (lowest id).");
	json_object_set_new(match, "candidates", cands);
	json_object_set_new(o, "match", match);
	json_t *rules = json_array();
	json_array_append_new(rules, json_string("Business time counts only the calendar's work periods on its workdays "
						 "(its weekdays minus holidays, plus make-up workdays), in its time zone."));
	json_array_append_new(rules, json_string("The clock stops while the ticket is waiting_customer or waiting_vendor; "
						 "pauses are kept as instants and re-measured with the current calendar."));
	json_array_append_new(rules, json_string("Seconds are added up first and turned into whole minutes once, rounded "
						 "down; a target is met when those minutes are at most the target."));
	json_array_append_new(rules, json_string("A due instant is the earliest instant the running clock reaches the target; "
						 "none while the clock stays paused."));
	json_object_set_new(o, "rules", rules);
	if (!p) {
		json_object_set_new(o, "policy", json_null());
		json_object_set_new(o, "calendar", json_null());
		json_set_str(o, "explanation", "No active SLA policy applies to this ticket: nothing is measured.");
		*out = o;
		return 0;
	}
	const struct calendar_loaded *c = &set->cals[p->cal];
	json_object_set_new(o, "policy", policy_json_of(p));
	json_object_set_new(match, "chosen_policy_id", json_integer(p->id));
	json_object_set_new(o, "calendar", calendar_json(c));

	struct pieces pc = { .items = json_array(), .zone = &c->cal.zone, .response = in->first_response_at,
		.resolved = in->resolved_at };
	struct nl_bizcal_ticket_result r;
	int64_t end = eval_end(in, now);
	if (run_ticket(set, p, in, now, &r, piece_add, &pc)) {
		json_decref(pc.items);
		json_decref(o);
		return nl_fail(ctx->err, NL_EVALID, NULL, "The SLA of this ticket cannot be computed from its times.");
	}
	set_time(o, "measured_until", end);
	json_object_set_new(o, "intervals", pc.items);
	json_set_bool(o, "intervals_truncated", pc.truncated);
	json_object_set_new(o, "pauses", pauses_json(c, in, end));
	json_set_int(o, "paused_seconds", r.paused_seconds);
	json_set_int(o, "paused_minutes", r.paused_seconds / 60);
	json_set_int(o, "running_seconds", r.running_seconds);
	json_set_int(o, "running_minutes", r.running_seconds / 60);
	json_object_set_new(o, "response", target_json(c, in->opened_at, p->response_minutes, in->first_response_at,
						 r.response_seconds, r.has_response_due, r.response_due, "First response"));
	json_object_set_new(o, "resolution", target_json(c, in->opened_at, p->resolution_minutes, in->resolved_at,
						   r.resolution_seconds, r.has_resolution_due, r.resolution_due, "Resolution"));
	*out = o;
	return 0;
}

/* ---- policies as records ---- */

#define POL_COLS                                                                                                          \
	"p.id, p.name, p.priority, p.category, p.department_id, p.calendar_id, c.name, p.response_minutes,"                  \
	" p.resolution_minutes, p.active, p.created_at, p.updated_at"

static json_t *policy_row(struct nl_stmt *st)
{
	json_t *o = json_object();
	json_set_int(o, "id", stmt_column_int64(st, 0));
	json_set_str(o, "name", stmt_column_text(st, 1));
	json_set_str(o, "priority", stmt_column_text(st, 2));
	json_set_str(o, "category", stmt_column_is_null(st, 3) ? NULL : stmt_column_text(st, 3));
	json_set_id(o, "department_id", stmt_column_int64(st, 4));
	json_set_int(o, "calendar_id", stmt_column_int64(st, 5));
	json_set_str(o, "calendar_name", stmt_column_text(st, 6));
	json_set_int(o, "response_minutes", stmt_column_int64(st, 7));
	json_set_int(o, "resolution_minutes", stmt_column_int64(st, 8));
	json_set_bool(o, "active", stmt_column_int64(st, 9) != 0);
	json_set_str(o, "specificity", specificity_name(specificity(stmt_column_int64(st, 4),
						   stmt_column_is_null(st, 3) ? NULL : "")));
	json_set_str(o, "created_at", stmt_column_text(st, 10));
	json_set_str(o, "updated_at", stmt_column_text(st, 11));
	return o;
}

int sla_policy_get(struct nl_ctx *ctx, int64_t id, json_t **out)
{
	struct nl_stmt *st = NULL;
	*out = NULL;
	int rc = db_prepare(ctx->db, "SELECT " POL_COLS " FROM sla_policies p JOIN calendars c ON c.id = p.calendar_id"
				     " WHERE p.id = $1", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	if (rc == 1)
		*out = policy_row(st);
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_ENOTFOUND, NULL, "No SLA policy with id %lld.", (long long)id);
	return rc < 0 ? rc : 0;
}

int sla_policy_list(struct nl_ctx *ctx, const struct nl_sla_policy_filter *f, json_t **items, int64_t *next)
{
	struct nl_stmt *st = NULL;
	*items = NULL;
	*next = 0;
	int rc = db_prepare(ctx->db, "SELECT " POL_COLS " FROM sla_policies p JOIN calendars c ON c.id = p.calendar_id"
				     " WHERE p.id > $1 AND ($2 = '' OR p.priority = $2) AND ($3 < 0 OR p.active = $3)"
				     " AND ($4 = 0 OR p.calendar_id = $4) ORDER BY p.id LIMIT $5", &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, f->cursor);
	stmt_bind_text(st, 2, f->priority ? f->priority : "");
	stmt_bind_int64(st, 3, f->active);
	stmt_bind_int64(st, 4, f->calendar_id);
	stmt_bind_int64(st, 5, f->limit + 1);
	json_t *arr = json_array();
	int64_t n = 0, last = 0;
	while ((rc = stmt_step(st)) == 1) {
		if (n++ == f->limit) {
			*next = last;
			break;
		}
		last = stmt_column_int64(st, 0);
		json_array_append_new(arr, policy_row(st));
	}
	stmt_done(st);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*items = arr;
	return 0;
}

/* 0 when `SELECT 1 FROM table WHERE id = $1` finds the row, else NL_EVALID naming field. */
static int row_exists(struct nl_ctx *ctx, const char *sql, int64_t id, const char *field, const char *what)
{
	struct nl_stmt *st = NULL;
	int rc = db_prepare(ctx->db, sql, &st);
	if (rc)
		return rc;
	stmt_bind_int64(st, 1, id);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc == 0)
		return nl_fail(ctx->err, NL_EVALID, field, "No %s with id %lld.", what, (long long)id);
	return rc < 0 ? rc : 0;
}

static const char *const priorities[] = { "P1", "P2", "P3", "P4", NULL };

/* Checks a complete policy: values, references and that no other active policy has the same scope. */
static int policy_check(struct nl_ctx *ctx, const struct nl_sla_policy_input *in, int64_t self_id)
{
	int ok = 0, rc;
	for (int i = 0; priorities[i]; i++)
		ok |= in->priority && !strcmp(in->priority, priorities[i]);
	if (!in->name || !*in->name || utf8_length(in->name, strlen(in->name)) > 100)
		return nl_fail(ctx->err, NL_EVALID, "name", "The name is 1 to 100 characters.");
	if (!ok)
		return nl_fail(ctx->err, NL_EVALID, "priority", "priority is P1, P2, P3 or P4.");
	if (in->category && (!*in->category || utf8_length(in->category, strlen(in->category)) > 100))
		return nl_fail(ctx->err, NL_EVALID, "category", "category is 1 to 100 characters, or null for any category.");
	if (in->response_minutes < 1 || in->response_minutes > SLA_MAX_MINUTES)
		return nl_fail(ctx->err, NL_EVALID, "response_minutes", "response_minutes is 1 to %d business minutes.", SLA_MAX_MINUTES);
	if (in->resolution_minutes < 1 || in->resolution_minutes > SLA_MAX_MINUTES)
		return nl_fail(ctx->err, NL_EVALID, "resolution_minutes", "resolution_minutes is 1 to %d business minutes.",
			SLA_MAX_MINUTES);
	if (in->resolution_minutes < in->response_minutes)
		return nl_fail(ctx->err, NL_EVALID, "resolution_minutes",
			"resolution_minutes (%lld) cannot be less than response_minutes (%lld).", (long long)in->resolution_minutes,
			(long long)in->response_minutes);
	if (in->department_id &&
		(rc = row_exists(ctx, "SELECT id FROM departments WHERE id = $1", in->department_id, "department_id", "department")))
		return rc;
	if ((rc = row_exists(ctx, "SELECT id FROM calendars WHERE id = $1", in->calendar_id, "calendar_id", "calendar")))
		return rc;
	if (!in->active)
		return 0;
	struct nl_stmt *st = NULL;
	if ((rc = db_prepare(ctx->db, "SELECT id FROM sla_policies WHERE active = 1 AND priority = $1"
				      " AND COALESCE(category, '') = CAST($2 AS TEXT) AND COALESCE(department_id, 0) = CAST($3 AS BIGINT)"
				      " AND id <> $4 ORDER BY id", &st)))
		return rc;
	stmt_bind_text(st, 1, in->priority);
	stmt_bind_text(st, 2, in->category ? in->category : "");
	stmt_bind_int64(st, 3, in->department_id);
	stmt_bind_int64(st, 4, self_id);
	rc = stmt_step(st);
	int64_t other = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc < 0)
		return rc;
	if (other)
		return nl_fail(ctx->err, NL_ECONFLICT, NULL,
			"Active SLA policy %lld already covers priority %s with the same category and department; change or "
			"deactivate it first.", (long long)other, in->priority);
	return 0;
}

/* Binds the policy's columns as $1..$9 (name, priority, category, department, calendar, response, resolution,
 * active, now). */
static void policy_bind(struct nl_stmt *st, const struct nl_sla_policy_input *in, const char *at)
{
	stmt_bind_text(st, 1, in->name);
	stmt_bind_text(st, 2, in->priority);
	stmt_bind_text(st, 3, in->category);
	if (in->department_id)
		stmt_bind_int64(st, 4, in->department_id);
	else
		stmt_bind_null(st, 4);
	stmt_bind_int64(st, 5, in->calendar_id);
	stmt_bind_int64(st, 6, in->response_minutes);
	stmt_bind_int64(st, 7, in->resolution_minutes);
	stmt_bind_int64(st, 8, in->active ? 1 : 0);
	stmt_bind_text(st, 9, at);
}

int sla_policy_create(struct nl_ctx *ctx, const struct nl_sla_policy_input *in, json_t **out)
{
	struct nl_stmt *st = NULL;
	char at[24];
	int64_t id = 0;
	*out = NULL;
	audit_now_rfc3339(at);
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = policy_check(ctx, in, 0)))
		goto out;
	if ((rc = db_prepare(ctx->db, "INSERT INTO sla_policies (name, priority, category, department_id, calendar_id,"
				      " response_minutes, resolution_minutes, active, created_at, updated_at)"
				      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id", &st)))
		goto out;
	policy_bind(st, in, at);
	rc = stmt_step(st);
	id = rc == 1 ? stmt_column_int64(st, 0) : 0;
	stmt_done(st);
	if (rc < 0 || (rc = sla_policy_get(ctx, id, out)))
		goto out;
	rc = audit_append(ctx, "create", "sla_policy", id, NULL, *out);
out:
	rc = tx_end(ctx, rc);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int sla_policy_update(struct nl_ctx *ctx, int64_t id, const struct nl_sla_policy_input *in, unsigned set, json_t **out)
{
	struct nl_stmt *st = NULL;
	json_t *before = NULL;
	char at[24];
	*out = NULL;
	audit_now_rfc3339(at);
	int rc = db_begin(ctx->db);
	if (rc)
		return rc;
	if ((rc = sla_policy_get(ctx, id, &before)))
		goto out;
	/* the policy as it will be: the stored values overridden by the fields given */
	struct nl_sla_policy_input m = {
		.name = json_string_value(json_object_get(before, "name")),
		.priority = json_string_value(json_object_get(before, "priority")),
		.category = json_string_value(json_object_get(before, "category")),
		.department_id = json_integer_value(json_object_get(before, "department_id")),
		.calendar_id = json_integer_value(json_object_get(before, "calendar_id")),
		.response_minutes = json_integer_value(json_object_get(before, "response_minutes")),
		.resolution_minutes = json_integer_value(json_object_get(before, "resolution_minutes")),
		.active = json_is_true(json_object_get(before, "active")),
	};
	if (set & NL_SLA_SET_NAME)
		m.name = in->name;
	if (set & NL_SLA_SET_PRIORITY)
		m.priority = in->priority;
	if (set & NL_SLA_SET_CATEGORY)
		m.category = in->category;
	if (set & NL_SLA_SET_DEPARTMENT)
		m.department_id = in->department_id;
	if (set & NL_SLA_SET_CALENDAR)
		m.calendar_id = in->calendar_id;
	if (set & NL_SLA_SET_RESPONSE)
		m.response_minutes = in->response_minutes;
	if (set & NL_SLA_SET_RESOLUTION)
		m.resolution_minutes = in->resolution_minutes;
	if (set & NL_SLA_SET_ACTIVE)
		m.active = in->active;
	if ((rc = policy_check(ctx, &m, id)))
		goto out;
	if ((rc = db_prepare(ctx->db, "UPDATE sla_policies SET name = $1, priority = $2, category = $3, department_id = $4,"
				      " calendar_id = $5, response_minutes = $6, resolution_minutes = $7, active = $8, updated_at = $9"
				      " WHERE id = $10", &st)))
		goto out;
	policy_bind(st, &m, at);
	stmt_bind_int64(st, 10, id);
	rc = stmt_step(st);
	stmt_done(st);
	if (rc < 0 || (rc = sla_policy_get(ctx, id, out)))
		goto out;
	rc = audit_append(ctx, "update", "sla_policy", id, before, *out);
out:
	json_decref(before);
	rc = tx_end(ctx, rc);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}
