/* rowver.h — optimistic concurrency for handlers (issue 8.1): ETag on GET, If-Match on PATCH/PUT (409 conflict on a
 * lost update). The version travels in the ETag header only, so that the JSON of a record stays the same whichever
 * route answers it (create, GET, PATCH, state changes). One call before the domain, one reply call after it:
 *
 *     if ((rc = req_row_version(r, "departments", id, NULL)) || (rc = department_update(...)))
 *             return rc;
 *     return reply_versioned(r, 200, out);
 *
 * The check and the increment run inside the domain's own transaction (src/store/rowver.c). */
#ifndef NL_HTTP_ROWVER_H
#define NL_HTTP_ROWVER_H

#include <stdint.h>

#include "http/http.h"

/* The version in an If-Match header ("7", W/"7" or 7): 0 when absent or "*", -1 when malformed. */
int64_t req_if_match_value(const char *header);

/* For the row `key` (key2: metric_values' period, else NULL) of a versioned table (store.h db_row_version).
 * GET/HEAD: reads its version (call it before the domain reads the row). Other methods: also checks If-Match
 * (NL_EINVAL naming If-Match when malformed, NL_ECONFLICT when stale) and arms the check + increment of the
 * domain's next transaction. Without If-Match the write proceeds and still increments the version. */
int req_row_version(struct nl_req *r, const char *table, int64_t key, const char *key2)
	__attribute__((warn_unused_result));

/* reply_json() with the header ETag: "<row_version>" when a version is known (read or just written). */
int reply_versioned(struct nl_req *r, int status, json_t *v);

#endif
