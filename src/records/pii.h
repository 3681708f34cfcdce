/* pii.h — customers' personal data (phone numbers, e-mail addresses): the shape checks, and the one masking rule used
 * wherever a user without the customer.pii permission could see them — lists, single reads, customers embedded in
 * tickets and complaints, exports, the audit log and the server log. */
#ifndef NL_PII_H
#define NL_PII_H

#include <stddef.h>

#include "auth/auth.h"

/* Bytes enough for any masked value of an input of n bytes. */
#define NL_PII_MASKED_MAX(n) ((n) + 8)

/* Masks a phone number: its digits only, the first 3 and the last 4 kept around "****" ("+86 138-1234-5678" →
 * "861****5678", "13812345678" → "138****5678"); numbers of fewer than 8 digits keep only their last 2 digits
 * ("12345" → "***45"). "" stays "". Writes at most outlen bytes (NUL included) into out; returns out. */
char *pii_mask_phone(const char *phone, char *out, size_t outlen);
/* Masks an e-mail address: the first character of the local part, "***", then "@" and the domain
 * ("zhang.san@example.com" → "z***@example.com"). A value without "@" becomes "***". "" stays "". Returns out. */
char *pii_mask_email(const char *email, char *out, size_t outlen);

/* 1 when the user may see personal data in full (policy action customer.pii); 0 for NULL (logs, exports run by
 * no one in particular mask everything). */
int pii_visible(const struct nl_user *u);

/* Shape checks. Phone: 5–20 characters of digits, '+', '-' and spaces with at least 5 digits. E-mail: at most 254
 * bytes, no spaces or control characters, one '@' with a non-empty local part before it and a domain containing a
 * dot (not at either end) after it. Return 1 when valid. */
int pii_phone_valid(const char *phone);
int pii_email_valid(const char *email);

#endif
