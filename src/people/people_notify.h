/* people_notify.h — the people room's reminders for GET /api/v1/notifications (cycle/notify.c calls this): computed
 * on every read from the staff and certification records; nothing is stored. */
#ifndef NL_PEOPLE_NOTIFY_H
#define NL_PEOPLE_NOTIFY_H

#include <jansson.h>

#include "core/ctx.h"
#include "core/date.h"

/* Appends to `items` ctx->actor's people reminders, in notify.h's item shape {"kind","title","title_en","message",
 * "message_en","entity","entity_id","due_date","severity"}:
 *   certification_expiring — a certification of a staff member still employed that expires within
 *   NL_PEOPLE_CERT_REMIND_DAYS days of `today` (today included): for hr every staff member's, for anyone else their
 *   own (the staff record linked to their user). Severity "warning" within 30 days, else "info"; due_date = expires_on.
 * Returns 0 or a store error; nothing when ctx->actor is NULL. */
int people_notifications(struct nl_ctx *ctx, json_t *items, struct nl_date today) __attribute__((warn_unused_result));

#endif
