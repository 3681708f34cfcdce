/* embed.c — lookup in the embedded file tables (sorted by path, so a binary search). */
#include "core/embed.h"

#include <string.h>

const struct nl_embed *embed_find(const struct nl_embed *table, size_t n, const char *path)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(table[mid].path, path);
		if (c == 0)
			return &table[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
