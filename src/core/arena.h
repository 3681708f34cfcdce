/* arena.h — a bump allocator with a byte cap. Each request owns one; everything it allocates is freed by one
 * arena_cleanup(). Hitting the cap makes allocations return NULL, which callers report as NL_ENOMEM. */
#ifndef NL_ARENA_H
#define NL_ARENA_H

#include <stddef.h>

struct nl_arena_chunk;

struct nl_arena {
	struct nl_arena_chunk *head;
	size_t used;     /* bytes handed out plus chunk overhead */
	size_t cap;      /* maximum bytes, 0 = unlimited */
};

/* Initialises an empty arena that may grow to cap bytes (0: unlimited). */
void arena_init(struct nl_arena *a, size_t cap);
/* Frees every chunk; the arena may be reused afterwards. */
void arena_cleanup(struct nl_arena *a);
/* Returns n bytes aligned to 16, or NULL when the cap would be exceeded or memory is exhausted. */
void *arena_alloc(struct nl_arena *a, size_t n);
/* Like arena_alloc, zero-filled. */
void *arena_calloc(struct nl_arena *a, size_t n);
/* Copies n bytes of s and a terminating NUL into the arena; NULL on failure. */
char *arena_strndup(struct nl_arena *a, const char *s, size_t n);
/* Copies the C string s into the arena; NULL on failure (or when s is NULL). */
char *arena_strdup(struct nl_arena *a, const char *s);
/* printf into the arena; NULL on failure. */
char *arena_printf(struct nl_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
