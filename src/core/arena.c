/* arena.c — the request arena: chunks of at least 16 KiB, bump allocation, one free for all. */
#include "core/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct nl_arena_chunk {
	struct nl_arena_chunk *next;
	size_t size;
	size_t off;
	_Alignas(16) unsigned char data[];
};

#define ARENA_MIN_CHUNK ((size_t)16 * 1024)

void arena_init(struct nl_arena *a, size_t cap)
{
	a->head = NULL;
	a->used = 0;
	a->cap = cap;
}

void arena_cleanup(struct nl_arena *a)
{
	struct nl_arena_chunk *c = a->head;
	while (c) {
		struct nl_arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
	a->used = 0;
}

void *arena_alloc(struct nl_arena *a, size_t n)
{
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX / 2)
		return NULL;
	n = (n + 15) & ~(size_t)15;
	struct nl_arena_chunk *c = a->head;
	if (!c || c->size - c->off < n) {
		size_t size = n > ARENA_MIN_CHUNK ? n : ARENA_MIN_CHUNK;
		size_t total = sizeof *c + size;
		if (a->cap && a->used + total > a->cap)
			return NULL;
		c = malloc(total);
		if (!c)
			return NULL;
		c->size = size;
		c->off = 0;
		c->next = a->head;
		a->head = c;
		a->used += total;
	}
	void *p = c->data + c->off;
	c->off += n;
	return p;
}

void *arena_calloc(struct nl_arena *a, size_t n)
{
	void *p = arena_alloc(a, n);
	if (p)
		memset(p, 0, n);
	return p;
}

char *arena_strndup(struct nl_arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct nl_arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(struct nl_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
