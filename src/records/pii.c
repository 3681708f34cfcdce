/* pii.c — masking and shape checks of customers' phone numbers and e-mail addresses (see pii.h). */
#include "records/pii.h"

#include <stdio.h>
#include <string.h>

#include "core/common.h"

char *pii_mask_phone(const char *phone, char *out, size_t outlen)
{
	char digits[64];
	size_t nd = 0;
	if (!outlen)
		return out;
	out[0] = '\0';
	if (!phone || !*phone)
		return out;
	for (const char *p = phone; *p && nd < sizeof digits - 1; p++)
		if (*p >= '0' && *p <= '9')
			digits[nd++] = *p;
	digits[nd] = '\0';
	if (nd >= 8) {
		snprintf(out, outlen, "%.3s****%s", digits, digits + nd - 4);
	} else {
		size_t keep = nd >= 2 ? 2 : nd, stars = nd - keep, o = 0;
		if (stars == 0)
			stars = 3;   /* "" digits or one digit: never shown */
		for (size_t i = 0; i < stars && o + 1 < outlen; i++)
			out[o++] = '*';
		for (size_t i = nd - keep; i < nd && o + 1 < outlen; i++)
			out[o++] = digits[i];
		out[o] = '\0';
	}
	return out;
}

char *pii_mask_email(const char *email, char *out, size_t outlen)
{
	if (!outlen)
		return out;
	out[0] = '\0';
	if (!email || !*email)
		return out;
	const char *at = strchr(email, '@');
	if (!at || at == email) {
		snprintf(out, outlen, "***%s", at ? at : "");
		return out;
	}
	/* The first character may be a multi-byte UTF-8 sequence: keep it whole. */
	size_t first = 1;
	while (first < (size_t)(at - email) && ((unsigned char)email[first] & 0xC0) == 0x80)
		first++;
	snprintf(out, outlen, "%.*s***%s", (int)first, email, at);
	return out;
}

int pii_visible(const struct nl_user *u)
{
	return u && policy_allows(u->roles, "customer.pii");
}

int pii_phone_valid(const char *phone)
{
	size_t n = phone ? strlen(phone) : 0, digits = 0;
	if (n < 5 || n > 20)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = phone[i];
		if (c >= '0' && c <= '9')
			digits++;
		else if (c != '+' && c != '-' && c != ' ')
			return 0;
	}
	return digits >= 5;
}

int pii_email_valid(const char *email)
{
	size_t n = email ? strlen(email) : 0;
	if (n < 3 || n > 254)
		return 0;
	const char *at = strchr(email, '@');
	if (!at || at == email || strchr(at + 1, '@'))
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)email[i];
		if (c <= 0x20 || c == 0x7F || c == ',' || c == ';' || c == '<' || c == '>' || c == '"')
			return 0;
	}
	const char *dom = at + 1;
	size_t dn = strlen(dom);
	const char *dot = strchr(dom, '.');
	return dn >= 3 && dot && dot != dom && dom[dn - 1] != '.' && !strstr(dom, "..");
}
