/* embed.h — files compiled into the binary by scripts/embed.py: migrations, the OpenAPI document, the web UI. */
#ifndef NL_EMBED_H
#define NL_EMBED_H

#include <stddef.h>

struct nl_embed {
	const char *path;              /* relative path, '/'-separated; NULL ends the array */
	const unsigned char *data;     /* the bytes, followed by a NUL */
	size_t len;
};

extern const struct nl_embed nl_embed_migrations_sqlite[];
extern const size_t nl_embed_migrations_sqlite_count;
extern const struct nl_embed nl_embed_migrations_postgres[];
extern const size_t nl_embed_migrations_postgres_count;
extern const struct nl_embed nl_embed_docs[];
extern const size_t nl_embed_docs_count;
extern const struct nl_embed nl_embed_web[];
extern const size_t nl_embed_web_count;

/* Finds path in a table; NULL when absent. */
const struct nl_embed *embed_find(const struct nl_embed *table, size_t n, const char *path);

#endif
