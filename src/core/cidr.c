/* cidr.c — address range lists (trusted proxies): parsing and matching of IPv4/IPv6 text addresses. */
#include "core/cidr.h"

#include "core/err.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"

/* Parses a text address into family/bytes; IPv4-mapped IPv6 (::ffff:a.b.c.d) becomes IPv4. Returns 0 or -1. */
static int addr_parse(const char *s, int *family, unsigned char out[16])
{
	unsigned char b[16];
	if (inet_pton(AF_INET, s, b) == 1) {
		*family = 4;
		memset(out, 0, 16);
		memcpy(out, b, 4);
		return 0;
	}
	if (inet_pton(AF_INET6, s, b) == 1) {
		static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
		if (memcmp(b, mapped, 12) == 0) {
			*family = 4;
			memset(out, 0, 16);
			memcpy(out, b + 12, 4);
			return 0;
		}
		*family = 6;
		memcpy(out, b, 16);
		return 0;
	}
	return -1;
}

int cidr_is_address(const char *s)
{
	int fam;
	unsigned char b[16];
	return s && addr_parse(s, &fam, b) == 0;
}

/* Clears the bits of a after the first `bits` bits. */
static void mask_bits(unsigned char *a, int nbytes, int bits)
{
	for (int i = 0; i < nbytes; i++) {
		int keep = bits - i * 8;
		if (keep >= 8)
			continue;
		a[i] &= keep <= 0 ? 0 : (unsigned char)(0xFFu << (8 - keep));
	}
}

int cidr_list_parse(const char *s, struct nl_cidr_list *out, char *errbuf, size_t errlen)
{
	memset(out, 0, sizeof *out);
	const char *p = s ? s : "";
	while (*p) {
		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		size_t n = strcspn(p, ", \t");
		char entry[80];
		if (n >= sizeof entry) {
			snprintf(errbuf, errlen, "\"%.*s…\" is not an address or CIDR range", 40, p);
			return NL_EVALID;
		}
		memcpy(entry, p, n);
		entry[n] = '\0';
		p += n;
		if (out->n >= NL_CIDR_MAX) {
			snprintf(errbuf, errlen, "at most %d addresses or ranges", NL_CIDR_MAX);
			return NL_EVALID;
		}
		struct nl_cidr *c = &out->items[out->n];
		char *slash = strchr(entry, '/');
		long bits = -1;
		if (slash) {
			char *end = NULL;
			*slash = '\0';
			errno = 0;
			bits = strtol(slash + 1, &end, 10);
			if (errno || end == slash + 1 || *end || bits < 0) {
				*slash = '/';
				snprintf(errbuf, errlen, "\"%s\" is not an address or CIDR range", entry);
				return NL_EVALID;
			}
		}
		if (addr_parse(entry, &c->family, c->addr) != 0) {
			if (slash)
				*slash = '/';
			snprintf(errbuf, errlen, "\"%s\" is not an address or CIDR range", entry);
			return NL_EVALID;
		}
		int maxbits = c->family == 4 ? 32 : 128;
		/* an IPv4-mapped range ::ffff:a.b.c.d/N counts its prefix over the whole 128 bits */
		if (bits > 128 || (c->family == 4 && strchr(entry, ':') && bits >= 0 && bits < 96)) {
			*slash = '/';
			snprintf(errbuf, errlen, "\"%s\": the prefix length is out of range", entry);
			return NL_EVALID;
		}
		if (c->family == 4 && strchr(entry, ':') && bits >= 96)
			bits -= 96;
		if (bits > maxbits) {
			*slash = '/';
			snprintf(errbuf, errlen, "\"%s\": the prefix length is at most %d", entry, maxbits);
			return NL_EVALID;
		}
		c->bits = bits < 0 ? maxbits : (int)bits;
		mask_bits(c->addr, c->family == 4 ? 4 : 16, c->bits);
		out->n++;
	}
	return 0;
}

int cidr_list_match(const struct nl_cidr_list *l, const char *addr)
{
	int fam;
	unsigned char a[16];
	if (!l || l->n == 0 || !addr || addr_parse(addr, &fam, a) != 0)
		return 0;
	for (int i = 0; i < l->n; i++) {
		const struct nl_cidr *c = &l->items[i];
		if (c->family != fam)
			continue;
		unsigned char m[16];
		memcpy(m, a, 16);
		mask_bits(m, fam == 4 ? 4 : 16, c->bits);
		if (memcmp(m, c->addr, fam == 4 ? 4 : 16) == 0)
			return 1;
	}
	return 0;
}
