/* tz.c — UTC offsets of IANA time zones: a small reader of TZif zone files (RFC 8536) from the system's zone
 * database, with a built-in table of fixed offsets (China's zones, UTC) when no zone files are installed. */
#include "core/tz.h"

#include "core/err.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"

#define TZIF_HEADER 44
#define TZIF_MAX_FILE (512 * 1024)

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | (uint64_t)be32(p + 4));
}

struct tzif_block {
	uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
	size_t body;    /* offset of the data after the header */
	size_t size;    /* bytes of data */
};

/* Reads the header at pos for times of tsize bytes; 0 or NL_EVALID. */
static int tzif_block_read(const unsigned char *d, size_t n, size_t pos, size_t tsize, struct tzif_block *b)
{
	if (pos > n || n - pos < TZIF_HEADER || memcmp(d + pos, "TZif", 4) != 0)
		return NL_EVALID;
	const unsigned char *h = d + pos + 20;
	b->isutcnt = be32(h);
	b->isstdcnt = be32(h + 4);
	b->leapcnt = be32(h + 8);
	b->timecnt = be32(h + 12);
	b->typecnt = be32(h + 16);
	b->charcnt = be32(h + 20);
	const uint32_t lim = 1u << 20;
	if (b->isutcnt > lim || b->isstdcnt > lim || b->leapcnt > lim || b->timecnt > lim || b->typecnt > 256 ||
		b->charcnt > lim)
		return NL_EVALID;
	b->body = pos + TZIF_HEADER;
	b->size = (size_t)b->timecnt * tsize + b->timecnt + (size_t)b->typecnt * 6 + b->charcnt +
		(size_t)b->leapcnt * (tsize + 4) + b->isstdcnt + b->isutcnt;
	if (n - b->body < b->size)
		return NL_EVALID;
	return 0;
}

/* Parses the standard-time part of a POSIX TZ string ("CST-8", "<+0530>-5:30"): sets *offset (east positive) and
 * *has_dst (1 when a daylight-saving name follows). Returns 0 or NL_EVALID. */
static int posix_tz_std(const char *s, size_t n, int *offset, int *has_dst)
{
	size_t i = 0;
	if (i < n && s[i] == '<') {
		while (i < n && s[i] != '>')
			i++;
		if (i == n)
			return NL_EVALID;
		i++;
	} else {
		size_t start = i;
		while (i < n && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z')))
			i++;
		if (i - start < 3)
			return NL_EVALID;
	}
	int sign = 1;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		sign = s[i++] == '-' ? -1 : 1;
	int parts[3] = { 0, 0, 0 }, np = 0;
	while (np < 3) {
		int digits = 0, v = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9' && digits < 3) {
			v = v * 10 + (s[i++] - '0');
			digits++;
		}
		if (!digits)
			return NL_EVALID;
		parts[np++] = v;
		if (i < n && s[i] == ':')
			i++;
		else
			break;
	}
	if (parts[0] > 24 || parts[1] > 59 || parts[2] > 59)
		return NL_EVALID;
	/* POSIX offsets are west positive. */
	*offset = -sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]);
	*has_dst = i < n;
	return 0;
}

int tz_offset_tzif(const unsigned char *d, size_t n, int64_t t, int *offset)
{
	struct tzif_block b;
	if (!d || n < TZIF_HEADER || memcmp(d, "TZif", 4) != 0 || tzif_block_read(d, n, 0, 4, &b))
		return NL_EVALID;
	int version = d[4];
	size_t tsize = 4;
	if (version >= '2') {
		if (tzif_block_read(d, n, b.body + b.size, 8, &b))
			return NL_EVALID;
		tsize = 8;
	}
	if (b.typecnt == 0)
		return NL_EVALID;
	const unsigned char *times = d + b.body;
	const unsigned char *idx = times + (size_t)b.timecnt * tsize;
	const unsigned char *types = idx + b.timecnt;
	unsigned type = 0;
	int after_last = b.timecnt == 0;
	/* Binary search for the last transition at or before t. */
	size_t lo = 0, hi = b.timecnt;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int64_t tt = tsize == 8 ? be64(times + mid * 8) : (int64_t)(int32_t)be32(times + mid * 4);
		if (tt <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0) {
		type = idx[lo - 1];
		after_last = lo == b.timecnt;
	}
	if (type >= b.typecnt)
		return NL_EVALID;
	int32_t off = (int32_t)be32(types + (size_t)type * 6);
	if (version >= '2' && after_last) {
		const char *foot = (const char *)d + b.body + b.size;
		size_t left = n - (b.body + b.size);
		if (left >= 2 && foot[0] == '\n') {
			const char *end = memchr(foot + 1, '\n', left - 1);
			int std = 0, has_dst = 0;
			if (end && end > foot + 1 && posix_tz_std(foot + 1, (size_t)(end - foot - 1), &std, &has_dst) == 0 &&
				!has_dst)
				off = std;
		}
	}
	if (off <= -86400 || off >= 86400)
		return NL_EVALID;
	*offset = (int)off;
	return 0;
}

/* A zone name: letters, digits, '/', '_', '-', '+'; no "..", not absolute. */
static int zone_name_valid(const char *z)
{
	size_t n = z ? strlen(z) : 0;
	if (n < 1 || n > 64 || z[0] == '/' || strstr(z, ".."))
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = z[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' || c == '_' ||
			    c == '-' || c == '+'))
			return 0;
	}
	return 1;
}

/* Zones with one fixed offset today, for systems without a zone database. */
static const struct {
	const char *zone;
	int offset;
} fixed_zones[] = {
	{ "Asia/Shanghai", 8 * 3600 }, { "Asia/Chongqing", 8 * 3600 }, { "Asia/Chungking", 8 * 3600 },
	{ "Asia/Harbin", 8 * 3600 }, { "Asia/Hong_Kong", 8 * 3600 }, { "Asia/Macau", 8 * 3600 },
	{ "Asia/Taipei", 8 * 3600 }, { "Asia/Urumqi", 6 * 3600 }, { "PRC", 8 * 3600 }, { "UTC", 0 }, { "Etc/UTC", 0 },
	{ "GMT", 0 }, { "Etc/GMT", 0 },
};

/* Reads the zone file of a valid zone name into a malloc'ed buffer (*data, *n). Returns 0 or NL_ENOTFOUND. */
static int zone_file_read(const char *zone, unsigned char **data, size_t *n)
{
	const char *dir = getenv("TZDIR");
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", zone);
	*data = NULL;
	*n = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return NL_ENOTFOUND;
	unsigned char *buf = malloc(TZIF_MAX_FILE);
	size_t got = buf ? fread(buf, 1, TZIF_MAX_FILE, f) : 0;
	fclose(f);
	int probe;
	if (!buf || got == 0 || got >= TZIF_MAX_FILE || tz_offset_tzif(buf, got, 0, &probe) != 0) {
		free(buf);
		return NL_ENOTFOUND;
	}
	*data = buf;
	*n = got;
	return 0;
}

/* The built-in fixed offset of a zone name; 0 or NL_ENOTFOUND. */
static int fixed_zone(const char *zone, int *offset)
{
	for (size_t i = 0; i < NL_ARRAY_LEN(fixed_zones); i++)
		if (!strcmp(fixed_zones[i].zone, zone)) {
			*offset = fixed_zones[i].offset;
			return 0;
		}
	return NL_ENOTFOUND;
}

int tz_offset(const char *zone, int64_t t, int *offset)
{
	if (!zone_name_valid(zone))
		return NL_EVALID;
	unsigned char *buf = NULL;
	size_t n = 0;
	int rc = zone_file_read(zone, &buf, &n);
	if (rc == 0)
		rc = tz_offset_tzif(buf, n, t, offset) == 0 ? 0 : NL_ENOTFOUND;
	free(buf);
	if (rc == 0)
		return 0;
	return fixed_zone(zone, offset);
}

struct nl_tz {
	char name[72];
	unsigned char *data;   /* TZif data, or NULL for a fixed offset */
	size_t n;
	int fixed_offset;
	int cached;
	int has_tail;          /* from tail_from on, the offset is tail_offset (the last transition's, or the footer's) */
	int64_t tail_from;
	int tail_offset;
};

/* The instant of the zone's last transition (INT64_MIN when it has none); 0 or NL_EVALID. */
static int tzif_last_transition(const unsigned char *d, size_t n, int64_t *last)
{
	struct tzif_block b;
	size_t tsize = 4;
	if (tzif_block_read(d, n, 0, 4, &b))
		return NL_EVALID;
	if (d[4] >= '2') {
		if (tzif_block_read(d, n, b.body + b.size, 8, &b))
			return NL_EVALID;
		tsize = 8;
	}
	if (!b.timecnt) {
		*last = INT64_MIN;
		return 0;
	}
	const unsigned char *p = d + b.body + (size_t)(b.timecnt - 1) * tsize;
	*last = tsize == 8 ? be64(p) : (int64_t)(int32_t)be32(p);
	return 0;
}

#define TZ_CACHE_MAX 64
static pthread_mutex_t tz_cache_mu = PTHREAD_MUTEX_INITIALIZER;
static struct nl_tz *tz_cache[TZ_CACHE_MAX];
static size_t tz_cache_n;

int tz_load(const char *zone, const struct nl_tz **out)
{
	*out = NULL;
	if (!zone_name_valid(zone))
		return NL_EVALID;
	int rc = 0;
	pthread_mutex_lock(&tz_cache_mu);
	for (size_t i = 0; i < tz_cache_n; i++)
		if (!strcmp(tz_cache[i]->name, zone)) {
			*out = tz_cache[i];
			goto out;
		}
	struct nl_tz *z = calloc(1, sizeof *z);
	if (!z) {
		rc = NL_ENOMEM;
		goto out;
	}
	snprintf(z->name, sizeof z->name, "%s", zone);
	if (zone_file_read(zone, &z->data, &z->n) != 0 && fixed_zone(zone, &z->fixed_offset) != 0) {
		free(z);
		rc = NL_ENOTFOUND;
		goto out;
	}
	/* After the last transition the offset no longer changes (tz_offset_tzif: the footer's standard offset, or the
	 * last transition's type when the footer has daylight saving time): answered without a search. */
	if (z->data && tzif_last_transition(z->data, z->n, &z->tail_from) == 0 &&
		tz_offset_tzif(z->data, z->n, z->tail_from == INT64_MIN ? 0 : z->tail_from, &z->tail_offset) == 0)
		z->has_tail = 1;
	if (tz_cache_n < TZ_CACHE_MAX) {
		z->cached = 1;
		tz_cache[tz_cache_n++] = z;
	}
	*out = z;
out:
	pthread_mutex_unlock(&tz_cache_mu);
	return rc;
}

void tz_free(const struct nl_tz *z)
{
	if (!z || z->cached)
		return;
	struct nl_tz *m = (struct nl_tz *)(uintptr_t)z;
	free(m->data);
	free(m);
}

const char *tz_name(const struct nl_tz *z)
{
	return z ? z->name : "";
}

int tz_offset_at(const struct nl_tz *z, int64_t t, int *offset)
{
	if (!z)
		return NL_EVALID;
	if (!z->data) {
		*offset = z->fixed_offset;
		return 0;
	}
	if (z->has_tail && t >= z->tail_from) {
		*offset = z->tail_offset;
		return 0;
	}
	return tz_offset_tzif(z->data, z->n, t, offset);
}

int tz_local_to_utc(const struct nl_tz *z, int64_t local, int64_t *out)
{
	int before, after, o;
	/* Offsets are below a day, so the instant lies within a day of the wall-clock value: the offsets a day either side
	 * are the candidates (zones change their offset at most once in two days). */
	if (tz_offset_at(z, local - 86400, &before) || tz_offset_at(z, local + 86400, &after))
		return NL_EVALID;
	int64_t ta = local - before, tb = local - after;
	int ok_a = tz_offset_at(z, ta, &o) == 0 && o == before;
	int ok_b = tz_offset_at(z, tb, &o) == 0 && o == after;
	if (ok_a && ok_b)
		*out = ta < tb ? ta : tb;
	else if (ok_b)
		*out = tb;
	else
		*out = ta;   /* valid, or in a gap: the offset before the jump */
	return 0;
}

int tz_transitions(const struct nl_tz *z, int64_t from, int64_t to, int32_t *initial, int64_t *at, int32_t *off,
	size_t cap, size_t *n)
{
	int o;
	*n = 0;
	if (!z || from > to || tz_offset_at(z, from, &o))
		return NL_EVALID;
	*initial = o;
	if (!z->data)
		return 0;
	const unsigned char *d = z->data;
	struct tzif_block b;
	size_t tsize = 4;
	if (tzif_block_read(d, z->n, 0, 4, &b))
		return NL_EVALID;
	if (d[4] >= '2') {
		if (tzif_block_read(d, z->n, b.body + b.size, 8, &b))
			return NL_EVALID;
		tsize = 8;
	}
	const unsigned char *times = d + b.body;
	int32_t prev = o;
	for (uint32_t i = 0; i < b.timecnt; i++) {
		int64_t tt = tsize == 8 ? be64(times + (size_t)i * 8) : (int64_t)(int32_t)be32(times + (size_t)i * 4);
		if (tt <= from)
			continue;
		if (tt > to)
			break;
		if (tz_offset_at(z, tt, &o))
			return NL_EVALID;
		if (o == prev)
			continue;
		if (*n == cap)
			return NL_ENOMEM;
		at[*n] = tt;
		off[*n] = o;
		(*n)++;
		prev = o;
	}
	return 0;
}
