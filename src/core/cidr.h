/* cidr.h — lists of IPv4/IPv6 address ranges ("127.0.0.1, ::1, 10.0.0.0/8"): parsing with errors that name the bad
 * entry, and matching an address given as text. Used for the trusted-proxies setting. No sockets, no HTTP. */
#ifndef NL_CIDR_H
#define NL_CIDR_H

#include <stddef.h>

#define NL_CIDR_MAX 32

struct nl_cidr {
	int family;                 /* 4 or 6 */
	unsigned char addr[16];     /* network address, host bits cleared (4 bytes used for IPv4) */
	int bits;                   /* prefix length */
};

struct nl_cidr_list {
	struct nl_cidr items[NL_CIDR_MAX];
	int n;
};

/* Parses a comma- or space-separated list of addresses or CIDR ranges into *out (an empty string: an empty list).
 * Returns 0, or NL_EVALID with errbuf naming the entry that is not an address, a range or within NL_CIDR_MAX. */
int cidr_list_parse(const char *s, struct nl_cidr_list *out, char *errbuf, size_t errlen)
	__attribute__((warn_unused_result));

/* Returns 1 when the address (IPv4 or IPv6 text; an IPv4-mapped IPv6 address counts as IPv4) is in the list,
 * 0 when not or when it is not an address. */
int cidr_list_match(const struct nl_cidr_list *l, const char *addr);

/* Returns 1 when s is an IPv4 or IPv6 address in text form. */
int cidr_is_address(const char *s);

#endif
