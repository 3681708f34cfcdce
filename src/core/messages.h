/* messages.h — the language of a request's error messages and the English → Simplified Chinese catalogue of
 * nl_fail formats (src/core/messages_zh.c). Logs and error codes stay English; only the user-facing message changes. */
#ifndef NL_MESSAGES_H
#define NL_MESSAGES_H

#include <stddef.h>

enum nl_lang { NL_LANG_EN = 0, NL_LANG_ZH = 1 };

/* The language for an Accept-Language header value: the preferred (highest q) tag whose primary subtag is "zh"
 * gives NL_LANG_ZH, anything else NL_LANG_EN; NULL or empty gives NL_LANG_EN. */
int nl_lang_parse(const char *accept_language);

/* The Chinese format for an English nl_fail format, or NULL when the catalogue has none. Same conversions, same order. */
const char *nl_msg_zh(const char *en);

/* The catalogue, sorted by strcmp of en, for the unit test and scripts/messages-extract.py. */
struct nl_msg_pair {
	const char *en;
	const char *zh;
};
extern const struct nl_msg_pair nl_messages_zh[];
extern const size_t nl_messages_zh_count;

#endif
