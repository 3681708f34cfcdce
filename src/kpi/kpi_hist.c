/* kpi_hist.c — exact value histograms (see kpi_hist.h): building from raw values (a radix sort), the text form,
 * merging, and the nearest-rank selection over a union of histograms. */
#include "kpi/kpi_hist.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/common.h"

/* Above this many values a radix sort beats insertion sort. */
#define SMALL_SORT 32
/* A merge uses a dense counting array when the value range is at most this, or at most 8 × the entries merged. */
#define DENSE_RANGE_MIN 65536u

uint64_t kpi_nearest_rank(uint64_t n, unsigned pct)
{
	if (n == 0 || pct == 0)
		return 0;
	if (pct > 100)
		pct = 100;
	/* ⌈pct·n/100⌉ without floating point; n < 2^57 here (values are counted in uint32 per histogram). */
	return (n * pct + 99) / 100;
}

static int hist_alloc(struct kpi_hist *h, uint32_t n)
{
	h->n = 0;
	h->v = h->cum = NULL;
	if (n == 0)
		return 0;
	uint32_t *b = malloc((size_t)n * 2 * sizeof *b);
	if (!b)
		return NL_ENOMEM;
	h->v = b;
	h->cum = b + n;
	h->n = n;
	return 0;
}

/* Shrinks a histogram allocated for more entries than it got (n used of alloc): moves cum next to v. */
static void hist_shrink(struct kpi_hist *h, uint32_t used, uint32_t alloc)
{
	if (used == alloc)
		return;
	if (used == 0) {
		kpi_hist_free(h);
		return;
	}
	memmove(h->v + used, h->cum, (size_t)used * sizeof *h->cum);
	uint32_t *b = realloc(h->v, (size_t)used * 2 * sizeof *b);
	if (b)
		h->v = b;
	h->cum = h->v + used;
	h->n = used;
}

void kpi_hist_free(struct kpi_hist *h)
{
	if (!h)
		return;
	free(h->v);
	h->v = h->cum = NULL;
	h->n = 0;
}

uint64_t kpi_hist_total(const struct kpi_hist *h)
{
	return h && h->n ? h->cum[h->n - 1] : 0;
}

/* Sorts a[0..n) ascending: insertion sort for short arrays, else an LSD radix sort on 11-bit digits that skips the
 * digits above the largest value. tmp holds n values. */
static void sort_u32(uint32_t *a, size_t n, uint32_t *tmp)
{
	if (n <= SMALL_SORT) {
		for (size_t i = 1; i < n; i++) {
			uint32_t x = a[i];
			size_t j = i;
			while (j > 0 && a[j - 1] > x) {
				a[j] = a[j - 1];
				j--;
			}
			a[j] = x;
		}
		return;
	}
	uint32_t max = 0;
	for (size_t i = 0; i < n; i++)
		if (a[i] > max)
			max = a[i];
	uint32_t *src = a, *dst = tmp;
	for (unsigned shift = 0; shift < 32 && (shift == 0 || (max >> shift) != 0); shift += 11) {
		size_t count[2048] = { 0 };
		for (size_t i = 0; i < n; i++)
			count[(src[i] >> shift) & 2047u]++;
		size_t sum = 0;
		for (size_t d = 0; d < 2048; d++) {
			size_t c = count[d];
			count[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			dst[count[(src[i] >> shift) & 2047u]++] = src[i];
		uint32_t *t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		memcpy(a, src, n * sizeof *a);
}

int kpi_hist_from_values(uint32_t *vals, size_t count, struct kpi_hist *h)
{
	h->n = 0;
	h->v = h->cum = NULL;
	if (count == 0)
		return 0;
	if (count > UINT32_MAX)
		return NL_EVALID;
	uint32_t *tmp = NULL;
	if (count > SMALL_SORT && !(tmp = malloc(count * sizeof *tmp)))
		return NL_ENOMEM;
	sort_u32(vals, count, tmp);
	free(tmp);
	uint32_t distinct = 1;
	for (size_t i = 1; i < count; i++)
		distinct += vals[i] != vals[i - 1];
	if (hist_alloc(h, distinct))
		return NL_ENOMEM;
	uint32_t k = 0;
	for (size_t i = 0; i < count; i++) {
		if (i == 0 || vals[i] != vals[i - 1])
			h->v[k++] = vals[i];
		h->cum[k - 1] = (uint32_t)(i + 1);
	}
	return 0;
}

static const char b64[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/* Appends x as a variable-length base-64 number. */
static void put_var(struct nl_strbuf *out, uint64_t x, char *buf, size_t *len)
{
	do {
		unsigned d = (unsigned)(x & 31u);
		x >>= 5;
		buf[(*len)++] = b64[d | (x ? 32u : 0u)];
		if (*len >= 240) {
			strbuf_append(out, buf, *len);
			*len = 0;
		}
	} while (x);
}

void kpi_hist_encode(const struct kpi_hist *h, struct nl_strbuf *out)
{
	char buf[256];
	size_t len = 0;
	uint32_t prev_cum = 0;
	for (uint32_t i = 0; i < (h ? h->n : 0); i++) {
		uint64_t gap = i == 0 ? h->v[0] : (uint64_t)h->v[i] - h->v[i - 1] - 1;
		uint32_t c = h->cum[i] - prev_cum;
		prev_cum = h->cum[i];
		put_var(out, gap << 1 | (c > 1), buf, &len);
		if (c > 1)
			put_var(out, c - 2, buf, &len);
	}
	if (len)
		strbuf_append(out, buf, len);
}

/* The digit of a text-form character, or -1. */
static int digit_of(unsigned char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A' + 10;
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 36;
	if (ch == '-')
		return 62;
	if (ch == '_')
		return 63;
	return -1;
}

/* Reads one number at s[*i..len) into *x. Returns 0 or NL_EVALID (bad character, truncated, above 2^40). */
static int get_var(const char *s, size_t len, size_t *i, uint64_t *x)
{
	uint64_t v = 0;
	for (unsigned shift = 0; shift <= 40; shift += 5) {
		if (*i >= len)
			return NL_EVALID;
		int d = digit_of((unsigned char)s[(*i)++]);
		if (d < 0)
			return NL_EVALID;
		v |= (uint64_t)(d & 31) << shift;
		if (!(d & 32)) {
			*x = v;
			return 0;
		}
	}
	return NL_EVALID;
}

int kpi_hist_decode(const char *s, size_t len, struct kpi_hist *h)
{
	h->n = 0;
	h->v = h->cum = NULL;
	if (!s || len == 0)
		return 0;
	/* Each entry takes at least one character: allocate for len entries at most, shrink at the end. */
	uint32_t alloc = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
	if (hist_alloc(h, alloc))
		return NL_ENOMEM;
	size_t i = 0;
	uint32_t k = 0;
	uint64_t value = 0, total = 0;
	while (i < len) {
		uint64_t code, c = 1;
		if (get_var(s, len, &i, &code))
			goto bad;
		if ((code & 1) && get_var(s, len, &i, &c) == 0)
			c += 2;
		else if (code & 1)
			goto bad;
		value = k == 0 ? (code >> 1) : value + (code >> 1) + 1;
		total += c;
		if (value > UINT32_MAX || total > UINT32_MAX || k >= alloc)
			goto bad;
		h->v[k] = (uint32_t)value;
		h->cum[k] = (uint32_t)total;
		k++;
	}
	hist_shrink(h, k, alloc);
	return 0;
bad:
	kpi_hist_free(h);
	return NL_EVALID;
}

struct pair {
	uint32_t v, c;
};

static int pair_cmp(const void *a, const void *b)
{
	uint32_t x = ((const struct pair *)a)->v, y = ((const struct pair *)b)->v;
	return (x > y) - (x < y);
}

int kpi_hist_merge(const struct kpi_hist *const *hs, size_t k, struct kpi_hist *out)
{
	out->n = 0;
	out->v = out->cum = NULL;
	uint64_t entries = 0, total = 0;
	uint32_t lo = UINT32_MAX, hi = 0;
	size_t nonempty = 0, last = 0;
	for (size_t i = 0; i < k; i++) {
		if (!hs[i] || hs[i]->n == 0)
			continue;
		nonempty++;
		last = i;
		entries += hs[i]->n;
		total += hs[i]->cum[hs[i]->n - 1];
		if (hs[i]->v[0] < lo)
			lo = hs[i]->v[0];
		if (hs[i]->v[hs[i]->n - 1] > hi)
			hi = hs[i]->v[hs[i]->n - 1];
	}
	if (nonempty == 0)
		return 0;
	if (total > UINT32_MAX)
		return NL_EVALID;
	if (nonempty == 1) {   /* a copy */
		const struct kpi_hist *s = hs[last];
		if (hist_alloc(out, s->n))
			return NL_ENOMEM;
		memcpy(out->v, s->v, (size_t)s->n * sizeof *s->v);
		memcpy(out->cum, s->cum, (size_t)s->n * sizeof *s->cum);
		return 0;
	}
	uint64_t range = (uint64_t)hi - lo + 1;
	uint32_t distinct_max = entries > range ? (uint32_t)range : (uint32_t)entries;
	if (hist_alloc(out, distinct_max))
		return NL_ENOMEM;
	uint32_t n = 0;
	if (range <= DENSE_RANGE_MIN || range <= 8 * entries) {
		/* Dense: counts per value over [lo, hi], then the non-zero ones in order. */
		uint32_t *cnt = calloc((size_t)range, sizeof *cnt);
		if (!cnt) {
			kpi_hist_free(out);
			return NL_ENOMEM;
		}
		for (size_t i = 0; i < k; i++) {
			const struct kpi_hist *s = hs[i];
			for (uint32_t j = 0; s && j < s->n; j++)
				cnt[s->v[j] - lo] += s->cum[j] - (j ? s->cum[j - 1] : 0);
		}
		uint32_t cum = 0;
		for (uint64_t x = 0; x < range; x++) {
			if (!cnt[x])
				continue;
			cum += cnt[x];
			out->v[n] = (uint32_t)(lo + x);
			out->cum[n] = cum;
			n++;
		}
		free(cnt);
	} else {
		/* Sparse: all (value, count) entries sorted by value, equal values summed. */
		struct pair *p = malloc((size_t)entries * sizeof *p);
		if (!p) {
			kpi_hist_free(out);
			return NL_ENOMEM;
		}
		size_t m = 0;
		for (size_t i = 0; i < k; i++) {
			const struct kpi_hist *s = hs[i];
			for (uint32_t j = 0; s && j < s->n; j++)
				p[m++] = (struct pair){ s->v[j], s->cum[j] - (j ? s->cum[j - 1] : 0) };
		}
		qsort(p, m, sizeof *p, pair_cmp);
		uint32_t cum = 0;
		for (size_t i = 0; i < m; i++) {
			cum += p[i].c;
			if (n > 0 && out->v[n - 1] == p[i].v) {
				out->cum[n - 1] = cum;
				continue;
			}
			out->v[n] = p[i].v;
			out->cum[n] = cum;
			n++;
		}
		free(p);
	}
	hist_shrink(out, n, distinct_max);
	return 0;
}

/* How many values of h are <= x. */
static uint64_t count_le(const struct kpi_hist *h, uint32_t x)
{
	if (!h || h->n == 0 || h->v[0] > x)
		return 0;
	uint32_t lo = 0, hi = h->n;   /* the last index with v <= x lies in [lo, hi) */
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (h->v[mid] <= x)
			lo = mid;
		else
			hi = mid;
	}
	return h->cum[lo];
}

int kpi_hist_rank(const struct kpi_hist *const *hs, size_t k, uint64_t rank, uint32_t *out)
{
	uint64_t total = 0;
	uint32_t lo = UINT32_MAX, hi = 0;
	size_t nonempty = 0, last = 0;
	for (size_t i = 0; i < k; i++) {
		if (!hs[i] || hs[i]->n == 0)
			continue;
		nonempty++;
		last = i;
		total += hs[i]->cum[hs[i]->n - 1];
		if (hs[i]->v[0] < lo)
			lo = hs[i]->v[0];
		if (hs[i]->v[hs[i]->n - 1] > hi)
			hi = hs[i]->v[hs[i]->n - 1];
	}
	if (rank == 0 || rank > total)
		return NL_EVALID;
	if (nonempty == 1) {   /* the first index whose cumulative count reaches rank */
		const struct kpi_hist *h = hs[last];
		uint32_t a = 0, b = h->n - 1;
		while (a < b) {
			uint32_t mid = a + (b - a) / 2;
			if (h->cum[mid] >= rank)
				b = mid;
			else
				a = mid + 1;
		}
		*out = h->v[a];
		return 0;
	}
	/* The smallest x in [lo, hi] with (values <= x) >= rank; hi qualifies. */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		uint64_t c = 0;
		for (size_t i = 0; i < k && c < rank; i++)
			c += count_le(hs[i], mid);
		if (c >= rank)
			hi = mid;
		else
			lo = mid + 1;
	}
	*out = lo;
	return 0;
}
