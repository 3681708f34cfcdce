/* fuzz_servicenow.c — libFuzzer driver for the ServiceNow importer's reduction (src/records/servicenow.c): the input
 * is an incident event-log export (CSV, header first), parsed with the CSV parser, its columns found by name as the
 * importer finds them, each row given to sn_add and every incident reduced with sn_incident, in Asia/Shanghai.
 * Besides memory errors it checks the reduction's promises: a priority P1..P4, the event counts, and a status
 * history in time order. The field parsers (sn_parse_time, sn_priority, sn_status) also get each raw field. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "core/tz.h"
#include "records/csv.h"
#include "records/servicenow.h"

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

static const struct nl_tz *zone;

struct run {
	struct nl_sn *sn;
	int header_done;
	int col[NL_SN_NCOLS];
	size_t rows;
};

static int on_record(void *user, const struct nl_csv_record *rec)
{
	struct run *r = user;
	char reason[400];
	if (rec->error)
		return 0;
	if (!r->header_done) {
		r->header_done = 1;
		for (int c = 0; c < NL_SN_NCOLS; c++) {
			r->col[c] = -1;
			for (size_t i = 0; i < rec->nfields; i++)
				if (!strcasecmp(rec->fields[i], nl_sn_col_names[c]))
					r->col[c] = (int)i;
		}
		return 0;
	}
	const char *vals[NL_SN_NCOLS];
	for (int c = 0; c < NL_SN_NCOLS; c++)
		vals[c] = r->col[c] < 0 ? NULL : (size_t)r->col[c] < rec->nfields ? rec->fields[r->col[c]] : "";
	for (size_t i = 0; i < rec->nfields; i++) {
		int64_t t;
		if (sn_parse_time(rec->fields[i], rec->lengths[i], zone, &t) == 0)
			CHECK(t == 0 || (t > -2300000000LL && t < 253402400000LL));
		const char *p = sn_priority(rec->fields[i]);
		CHECK(!p || (strlen(p) == 2 && p[0] == 'P' && p[1] >= '1' && p[1] <= '4'));
		(void)sn_status(rec->fields[i]);
	}
	reason[0] = 0;
	int rc = sn_add(r->sn, vals, rec->line, zone, reason, sizeof reason);
	CHECK(rc == 0 || ((rc == NL_EVALID || rc == NL_ETOOLARGE) && reason[0]));
	if (rc == 0)
		r->rows++;
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (tz_load("Asia/Shanghai", &zone) != 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65536)
		return 0;
	struct run r = { 0 };
	if (sn_new(&r.sn) != 0)
		return 0;
	struct nl_csv p;
	csv_init(&p, 0, on_record, &r);
	CHECK(csv_feed(&p, (const char *)data, size) == 0 && csv_finish(&p) == 0);
	csv_cleanup(&p);
	size_t n = sn_count(r.sn), rows = 0;
	CHECK(n <= r.rows);
	for (size_t i = 0; i < n; i++) {
		struct nl_sn_incident in;
		char reason[400];
		memset(&in, 0, sizeof in);
		int rc = sn_incident(r.sn, i, zone, &in, reason, sizeof reason);
		CHECK(rc == 0 || rc == NL_EVALID);
		if (rc)
			continue;
		CHECK(in.number && *in.number && in.rows >= 1);
		rows += in.rows;
		CHECK(in.priority && in.priority[0] == 'P' && in.priority[1] >= '1' && in.priority[1] <= '4');
		CHECK(in.made_sla >= -1 && in.made_sla <= 1);
		for (size_t k = 1; k < in.nhistory; k++)
			CHECK(in.history[k - 1].at <= in.history[k].at && in.history[k].status);
	}
	CHECK(rows <= r.rows);
	sn_free(r.sn);
	return 0;
}
