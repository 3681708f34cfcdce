/* err.h — nengli's one error enum, the error carried by a request, and the table mapping each code to an HTTP status
 * and a stable error code string. Everything that can fail returns 0 or a negative NL_E* value. */
#ifndef NL_ERR_H
#define NL_ERR_H

#include <stddef.h>

enum nl_err {
	NL_OK = 0,
	NL_EINVAL = -1,       /* 400 bad_request: malformed request (syntax) */
	NL_EJSON = -2,        /* 400 invalid_json: body is not valid JSON */
	NL_EVALID = -3,       /* 422 validation_failed: a field's value is not acceptable */
	NL_EUNAUTH = -4,      /* 401 unauthenticated */
	NL_EFORBIDDEN = -5,   /* 403 forbidden */
	NL_ENOTFOUND = -6,    /* 404 not_found */
	NL_EMETHOD = -7,      /* 405 method_not_allowed */
	NL_ECONFLICT = -8,    /* 409 conflict: duplicate or wrong state */
	NL_ETOOLARGE = -9,    /* 413 payload_too_large */
	NL_EMEDIA = -10,      /* 415 unsupported_media_type */
	NL_ETHROTTLED = -11,  /* 429 too_many_requests */
	NL_ESTORE = -12,      /* 500 store_error (details in the log only) */
	NL_ENOMEM = -13,      /* 500 out_of_memory (or the request arena's cap: 413) */
	NL_EINTERNAL = -14,   /* 500 internal_error */
	NL_EUNAVAIL = -15,    /* 503 unavailable (shutting down) */
	NL_EBUSY = -16,       /* 503 store busy */
	NL_ECSRF = -17,       /* 403 csrf_failed */
	NL_ESTATE = -18,      /* 409 invalid_state: a transition not allowed in the current state */
	NL_ERR_MIN_ = -19
};

/* An error with context, filled by the code that detects it and serialised once by the HTTP layer. */
struct nl_error {
	int code;             /* an NL_E* value, 0 when none */
	char field[128];      /* the field at fault, e.g. "items[2].target"; empty when none */
	char message[320];    /* a sentence for the user; never SQL or driver text */
	int retry_after;      /* seconds, for NL_ETHROTTLED */
	int lang;             /* NL_LANG_EN (0) or NL_LANG_ZH (core/messages.h): the language of message; kept by clear */
};

/* Returns the HTTP status for an NL_E* code (500 for unknown codes). */
int nl_err_status(int code);
/* Returns the stable snake_case code string for an NL_E* code ("internal_error" for unknown codes). */
const char *nl_err_code(int code);
/* Returns a default English message for an NL_E* code. */
const char *nl_err_default_message(int code);

/* Sets *e (when not already set) and returns code, so that callers can write `return nl_fail(e, NL_EVALID, "year", "...")`.
 * field may be NULL. The message is a printf format; when e->lang is NL_LANG_ZH and the catalogue translates it, the
 * Chinese format is used with the same arguments. */
int nl_fail(struct nl_error *e, int code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Clears *e, keeping its lang. */
void nl_error_clear(struct nl_error *e);

#endif
