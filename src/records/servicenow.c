/* servicenow.c — reduces a ServiceNow incident event log to one ticket per number (rules in servicenow.h): rows are
 * grouped in a hash table by number; each incident keeps a copy of its best (final) row and a compact list of events,
 * sorted only when the incident is reduced. */
#include "records/servicenow.h"

#include "core/date.h"
#include "core/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/common.h"

const char *const nl_sn_col_names[NL_SN_NCOLS] = {
	[NL_SN_NUMBER] = "number",
	[NL_SN_STATE] = "incident_state",
	[NL_SN_REASSIGNMENT] = "reassignment_count",
	[NL_SN_REOPEN] = "reopen_count",
	[NL_SN_MOD_COUNT] = "sys_mod_count",
	[NL_SN_MADE_SLA] = "made_sla",
	[NL_SN_OPENED_AT] = "opened_at",
	[NL_SN_UPDATED_AT] = "sys_updated_at",
	[NL_SN_CONTACT_TYPE] = "contact_type",
	[NL_SN_PRIORITY] = "priority",
	[NL_SN_GROUP] = "assignment_group",
	[NL_SN_RESOLVED_AT] = "resolved_at",
	[NL_SN_CLOSED_AT] = "closed_at",
	[NL_SN_CATEGORY] = "category",
	[NL_SN_ASSIGNED_TO] = "assigned_to",
	[NL_SN_SHORT_DESCRIPTION] = "short_description",
};

int sn_col_required(enum nl_sn_col c)
{
	return c == NL_SN_NUMBER || c == NL_SN_STATE || c == NL_SN_MOD_COUNT || c == NL_SN_OPENED_AT ||
		c == NL_SN_UPDATED_AT || c == NL_SN_PRIORITY;
}

/* The value with `?` read as empty and surrounding blanks dropped: a view (p, n). */
static const char *clean(const char *v, size_t *n)
{
	if (!v) {
		*n = 0;
		return "";
	}
	size_t len = strlen(v);
	while (len && (v[len - 1] == ' ' || v[len - 1] == '\t'))
		len--;
	while (len && (*v == ' ' || *v == '\t'))
		v++, len--;
	if (len == 1 && v[0] == '?')
		len = 0;
	*n = len;
	return v;
}

/* Reads 1..max digits at s[*i]; returns the value or -1. */
static int digits(const char *s, size_t n, size_t *i, int max)
{
	int v = 0, k = 0;
	while (*i < n && k < max && s[*i] >= '0' && s[*i] <= '9') {
		v = v * 10 + (s[*i] - '0');
		(*i)++;
		k++;
	}
	return k ? v : -1;
}

int sn_parse_time(const char *s, size_t n, const struct nl_tz *tz, int64_t *out)
{
	size_t i = 0;
	*out = 0;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == n || (n - i == 1 && s[i] == '?'))
		return 0;
	int d = digits(s, n, &i, 2);
	if (d < 0 || i >= n || (s[i] != '-' && s[i] != '/'))
		return NL_EVALID;
	char sep = s[i++];
	int m = digits(s, n, &i, 2);
	if (m < 0 || i >= n || s[i] != sep)
		return NL_EVALID;
	i++;
	size_t ys = i;
	int y = digits(s, n, &i, 4);
	if (y < 0 || i - ys != 4 || i >= n || s[i] != ' ')
		return NL_EVALID;
	while (i < n && s[i] == ' ')
		i++;
	int hh = digits(s, n, &i, 2);
	if (hh < 0 || i >= n || s[i] != ':')
		return NL_EVALID;
	i++;
	size_t ms = i;
	int mi = digits(s, n, &i, 2);
	if (mi < 0 || i - ms != 2)
		return NL_EVALID;
	int ss = 0;
	if (i < n && s[i] == ':') {
		i++;
		size_t s0 = i;
		ss = digits(s, n, &i, 2);
		if (ss < 0 || i - s0 != 2)
			return NL_EVALID;
	}
	if (i != n || hh > 23 || mi > 59 || ss > 59)
		return NL_EVALID;
	struct nl_date date = { y, m, d };
	if (!date_valid(date))
		return NL_EVALID;
	int64_t local = (int64_t)date_to_days(date) * 86400 + hh * 3600 + mi * 60 + ss;
	return tz_local_to_utc(tz, local, out);
}

const char *sn_priority(const char *s)
{
	static const char *const p[] = { "P1", "P2", "P3", "P4" };
	size_t n;
	const char *v = clean(s, &n);
	if (n >= 2 && (v[0] == 'P' || v[0] == 'p') && v[1] >= '1' && v[1] <= '4' && n == 2)
		return p[v[1] - '1'];
	if (n >= 1 && v[0] >= '1' && v[0] <= '4' && (n == 1 || v[1] == ' ' || v[1] == '-'))
		return p[v[0] - '1'];
	return NULL;
}

const char *sn_status(const char *state)
{
	size_t n;
	const char *v = clean(state, &n);
	char s[64];
	if (n == 0 || n >= sizeof s)
		return NULL;
	memcpy(s, v, n);
	s[n] = '\0';
	if (!strcasecmp(s, "New"))
		return "new";
	if (!strcasecmp(s, "Active") || !strcasecmp(s, "In Progress") || !strcasecmp(s, "Work in Progress"))
		return "in_progress";
	if (!strcasecmp(s, "Awaiting User Info") || !strcasecmp(s, "Awaiting Caller") || !strcasecmp(s, "On Hold"))
		return "waiting_customer";
	if (!strncasecmp(s, "Awaiting ", 9))
		return "waiting_vendor";
	if (!strcasecmp(s, "Resolved"))
		return "resolved";
	if (!strcasecmp(s, "Closed") || !strcasecmp(s, "Canceled") || !strcasecmp(s, "Cancelled"))
		return "closed";
	return NULL;
}

/* The statuses an event can map to, by a small index (0: none). */
static const char *const status_names[] = { NULL, "new", "in_progress", "waiting_customer", "waiting_vendor",
	"resolved", "closed" };

static uint8_t status_index(const char *st)
{
	for (uint8_t i = 1; i < NL_ARRAY_LEN(status_names); i++)
		if (st && !strcmp(st, status_names[i]))
			return i;
	return 0;
}

#define EV_RESPONDED 1u   /* incident_state neither New nor empty */
#define EV_ASSIGNED 2u    /* assigned_to not empty */

struct sn_event {
	int64_t at;          /* sys_updated_at */
	int32_t mod;         /* sys_mod_count */
	int32_t order;       /* row index in the file */
	uint8_t status;      /* status_names index */
	uint8_t flags;
};

struct sn_incident {
	char *number;
	char *best;                  /* the best row: NL_SN_NCOLS NUL-terminated values back to back */
	int64_t best_line;
	int32_t best_mod, best_order;
	struct sn_event *ev;
	uint32_t nev, aev;
};

struct nl_sn {
	struct sn_incident *inc;
	size_t ninc, ainc;
	uint32_t *slots;             /* open addressing: incident index + 1, 0 = empty */
	size_t nslots;
	size_t nevents;
	int32_t order;
	struct nl_status_change *hist;   /* sn_incident's output buffers */
	size_t ahist;
	struct sn_event *sorted;
	size_t asorted;
	const char *values[NL_SN_NCOLS];
};

static uint64_t hash_str(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

int sn_new(struct nl_sn **out)
{
	struct nl_sn *sn = calloc(1, sizeof *sn);
	if (!sn)
		return NL_ENOMEM;
	sn->nslots = 1024;
	sn->slots = calloc(sn->nslots, sizeof *sn->slots);
	if (!sn->slots) {
		free(sn);
		return NL_ENOMEM;
	}
	*out = sn;
	return 0;
}

void sn_free(struct nl_sn *sn)
{
	if (!sn)
		return;
	for (size_t i = 0; i < sn->ninc; i++) {
		free(sn->inc[i].number);
		free(sn->inc[i].best);
		free(sn->inc[i].ev);
	}
	free(sn->inc);
	free(sn->slots);
	free(sn->hist);
	free(sn->sorted);
	free(sn);
}

size_t sn_count(const struct nl_sn *sn)
{
	return sn->ninc;
}

static int rehash(struct nl_sn *sn)
{
	size_t n = sn->nslots * 2;
	uint32_t *s = calloc(n, sizeof *s);
	if (!s)
		return NL_ENOMEM;
	for (size_t i = 0; i < sn->ninc; i++) {
		const char *num = sn->inc[i].number;
		size_t k = hash_str(num, strlen(num)) & (n - 1);
		while (s[k])
			k = (k + 1) & (n - 1);
		s[k] = (uint32_t)(i + 1);
	}
	free(sn->slots);
	sn->slots = s;
	sn->nslots = n;
	return 0;
}

/* Finds or adds the incident of a number; *idx its index. */
static int incident_find(struct nl_sn *sn, const char *num, size_t n, size_t *idx, char *reason, size_t rlen)
{
	size_t k = hash_str(num, n) & (sn->nslots - 1);
	while (sn->slots[k]) {
		struct sn_incident *in = &sn->inc[sn->slots[k] - 1];
		if (strlen(in->number) == n && !memcmp(in->number, num, n)) {
			*idx = sn->slots[k] - 1;
			return 0;
		}
		k = (k + 1) & (sn->nslots - 1);
	}
	if (sn->ninc >= NL_SN_MAX_INCIDENTS) {
		snprintf(reason, rlen, "the export has more than %d incidents: split it by date", NL_SN_MAX_INCIDENTS);
		return NL_ETOOLARGE;
	}
	if (sn->ninc == sn->ainc) {
		size_t a = sn->ainc ? sn->ainc * 2 : 256;
		struct sn_incident *ni = realloc(sn->inc, a * sizeof *ni);
		if (!ni)
			return NL_ENOMEM;
		sn->inc = ni;
		sn->ainc = a;
	}
	struct sn_incident *in = &sn->inc[sn->ninc];
	memset(in, 0, sizeof *in);
	in->number = malloc(n + 1);
	if (!in->number)
		return NL_ENOMEM;
	memcpy(in->number, num, n);
	in->number[n] = '\0';
	in->best_mod = -1;
	sn->slots[k] = (uint32_t)(sn->ninc + 1);
	*idx = sn->ninc++;
	if (sn->ninc * 2 > sn->nslots)
		return rehash(sn);
	return 0;
}

/* Parses a non-negative count; empty → *out = 0 and *present = 0. */
static int parse_count(const char *v, int64_t *out, int *present)
{
	size_t n;
	const char *s = clean(v, &n);
	*out = 0;
	*present = n > 0;
	if (!n)
		return 0;
	int64_t x = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' || x > 100000000)
			return NL_EVALID;
		x = x * 10 + (s[i] - '0');
	}
	*out = x;
	return 0;
}

/* true/false (any case), also 1/0; empty → -1. */
static int parse_bool(const char *v, int *out)
{
	size_t n;
	const char *s = clean(v, &n);
	if (!n)
		return *out = -1, 0;
	if ((n == 4 && !strncasecmp(s, "true", 4)) || (n == 1 && s[0] == '1'))
		return *out = 1, 0;
	if ((n == 5 && !strncasecmp(s, "false", 5)) || (n == 1 && s[0] == '0'))
		return *out = 0, 0;
	return NL_EVALID;
}

int sn_add(struct nl_sn *sn, const char *const vals[NL_SN_NCOLS], int64_t line, const struct nl_tz *tz, char *reason,
	size_t rlen)
{
	size_t n;
	int64_t mod, t, x;
	int present, b;
	const char *num = clean(vals[NL_SN_NUMBER], &n);
	if (!n) {
		snprintf(reason, rlen, "number is empty");
		return NL_EVALID;
	}
	if (parse_count(vals[NL_SN_MOD_COUNT], &mod, &present) || !present || mod > INT32_MAX) {
		snprintf(reason, rlen, "sys_mod_count must be a whole number ≥ 0");
		return NL_EVALID;
	}
	static const enum nl_sn_col times[] = { NL_SN_OPENED_AT, NL_SN_RESOLVED_AT, NL_SN_CLOSED_AT };
	for (size_t i = 0; i < NL_ARRAY_LEN(times); i++) {
		const char *v = vals[times[i]] ? vals[times[i]] : "";
		if (sn_parse_time(v, strlen(v), tz, &t)) {
			snprintf(reason, rlen, "%s \"%.40s\" is not a time dd-mm-YYYY HH:MM", nl_sn_col_names[times[i]], v);
			return NL_EVALID;
		}
	}
	const char *upd = vals[NL_SN_UPDATED_AT] ? vals[NL_SN_UPDATED_AT] : "";
	int64_t at;
	if (sn_parse_time(upd, strlen(upd), tz, &at) || at == 0) {
		snprintf(reason, rlen, "sys_updated_at \"%.40s\" is not a time dd-mm-YYYY HH:MM", upd);
		return NL_EVALID;
	}
	size_t pn;
	clean(vals[NL_SN_PRIORITY], &pn);
	if (pn && !sn_priority(vals[NL_SN_PRIORITY])) {
		snprintf(reason, rlen, "priority \"%.40s\" is not one of 1 - Critical … 4 - Low", vals[NL_SN_PRIORITY]);
		return NL_EVALID;
	}
	if (parse_count(vals[NL_SN_REASSIGNMENT], &x, &present)) {
		snprintf(reason, rlen, "reassignment_count must be a whole number ≥ 0");
		return NL_EVALID;
	}
	if (parse_count(vals[NL_SN_REOPEN], &x, &present)) {
		snprintf(reason, rlen, "reopen_count must be a whole number ≥ 0");
		return NL_EVALID;
	}
	if (parse_bool(vals[NL_SN_MADE_SLA], &b)) {
		snprintf(reason, rlen, "made_sla must be true or false");
		return NL_EVALID;
	}
	if (sn->nevents >= NL_SN_MAX_EVENTS) {
		snprintf(reason, rlen, "the export has more than %d events: split it by date", NL_SN_MAX_EVENTS);
		return NL_ETOOLARGE;
	}
	size_t idx;
	int rc = incident_find(sn, num, n, &idx, reason, rlen);
	if (rc)
		return rc;
	struct sn_incident *in = &sn->inc[idx];
	int32_t order = sn->order++;
	if (in->nev == in->aev) {
		uint32_t a = in->aev ? in->aev * 2 : 4;
		struct sn_event *ne = realloc(in->ev, a * sizeof *ne);
		if (!ne)
			return NL_ENOMEM;
		in->ev = ne;
		in->aev = a;
	}
	struct sn_event *e = &in->ev[in->nev++];
	sn->nevents++;
	size_t sl;
	clean(vals[NL_SN_STATE], &sl);
	size_t al;
	clean(vals[NL_SN_ASSIGNED_TO], &al);
	const char *st = sn_status(vals[NL_SN_STATE]);
	e->at = at;
	e->mod = (int32_t)mod;
	e->order = order;
	e->status = status_index(st);
	e->flags = (uint8_t)((sl && !(st && !strcmp(st, "new")) ? EV_RESPONDED : 0) | (al ? EV_ASSIGNED : 0));
	if ((int32_t)mod >= in->best_mod) {   /* the later row wins a tie */
		size_t total = 0, len[NL_SN_NCOLS];
		const char *v[NL_SN_NCOLS];
		for (int c = 0; c < NL_SN_NCOLS; c++) {
			v[c] = clean(vals[c], &len[c]);
			total += len[c] + 1;
		}
		char *best = malloc(total);
		if (!best)
			return NL_ENOMEM;
		char *p = best;
		for (int c = 0; c < NL_SN_NCOLS; c++) {
			memcpy(p, v[c], len[c]);
			p[len[c]] = '\0';
			p += len[c] + 1;
		}
		free(in->best);
		in->best = best;
		in->best_mod = (int32_t)mod;
		in->best_order = order;
		in->best_line = line;
	}
	return 0;
}

static int ev_cmp_time(const void *a, const void *b)
{
	const struct sn_event *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	if (x->mod != y->mod)
		return x->mod < y->mod ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

int sn_incident(struct nl_sn *sn, size_t i, const struct nl_tz *tz, struct nl_sn_incident *out, char *reason,
	size_t rlen)
{
	struct sn_incident *in = &sn->inc[i];
	memset(out, 0, sizeof *out);
	out->number = in->number;
	out->line = in->best_line;
	out->rows = in->nev;
	const char *p = in->best;
	for (int c = 0; c < NL_SN_NCOLS; c++) {
		out->values[c] = p;
		p += strlen(p) + 1;
	}
	const char *const *v = out->values;
	/* Every value of the best row was checked by sn_add: these parse. */
	if (sn_parse_time(v[NL_SN_OPENED_AT], strlen(v[NL_SN_OPENED_AT]), tz, &out->opened_at) ||
		sn_parse_time(v[NL_SN_RESOLVED_AT], strlen(v[NL_SN_RESOLVED_AT]), tz, &out->resolved_at) ||
		sn_parse_time(v[NL_SN_CLOSED_AT], strlen(v[NL_SN_CLOSED_AT]), tz, &out->closed_at)) {
		snprintf(reason, rlen, "a timestamp of the final event cannot be read");
		return NL_EVALID;
	}
	if (!out->opened_at) {
		snprintf(reason, rlen, "opened_at is empty in the final event of %s", in->number);
		return NL_EVALID;
	}
	out->priority = sn_priority(v[NL_SN_PRIORITY]);
	if (!out->priority) {
		snprintf(reason, rlen, "priority is empty in the final event of %s", in->number);
		return NL_EVALID;
	}
	int present;
	if (parse_count(v[NL_SN_REASSIGNMENT], &out->reassignment_count, &present) ||
		parse_count(v[NL_SN_REOPEN], &out->reopen_count, &present) || parse_bool(v[NL_SN_MADE_SLA], &out->made_sla))
		return NL_EVALID;
	out->state_status = sn_status(v[NL_SN_STATE]);
	/* First response and assignment: the lowest sys_mod_count with the flag, the earlier row on a tie. */
	int32_t resp_mod = INT32_MAX, resp_order = INT32_MAX, asg_mod = INT32_MAX, asg_order = INT32_MAX;
	for (uint32_t k = 0; k < in->nev; k++) {
		const struct sn_event *e = &in->ev[k];
		if ((e->flags & EV_RESPONDED) && (e->mod < resp_mod || (e->mod == resp_mod && e->order < resp_order))) {
			resp_mod = e->mod, resp_order = e->order;
			out->first_response_at = e->at;
		}
		if ((e->flags & EV_ASSIGNED) && (e->mod < asg_mod || (e->mod == asg_mod && e->order < asg_order))) {
			asg_mod = e->mod, asg_order = e->order;
			out->assigned_at = e->at;
		}
	}
	/* The status history in time order, repeats merged. */
	if (in->nev > sn->asorted) {
		struct sn_event *ns = realloc(sn->sorted, in->nev * sizeof *ns);
		if (!ns)
			return NL_ENOMEM;
		sn->sorted = ns;
		sn->asorted = in->nev;
	}
	if (in->nev > sn->ahist) {
		struct nl_status_change *nh = realloc(sn->hist, in->nev * sizeof *nh);
		if (!nh)
			return NL_ENOMEM;
		sn->hist = nh;
		sn->ahist = in->nev;
	}
	memcpy(sn->sorted, in->ev, in->nev * sizeof *in->ev);
	qsort(sn->sorted, in->nev, sizeof *sn->sorted, ev_cmp_time);
	size_t nh = 0;
	for (uint32_t k = 0; k < in->nev; k++) {
		const struct sn_event *e = &sn->sorted[k];
		if (!e->status || (nh && !strcmp(sn->hist[nh - 1].status, status_names[e->status])))
			continue;
		sn->hist[nh].at = e->at;
		sn->hist[nh].status = status_names[e->status];
		nh++;
	}
	out->history = sn->hist;
	out->nhistory = nh;
	return 0;
}
