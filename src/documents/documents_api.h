/* documents_api.h — the HTTP handler of the documents room (listed in src/http/routes.c). */
#ifndef NL_DOCUMENTS_API_H
#define NL_DOCUMENTS_API_H

struct nl_req;

/* GET /api/v1/exports/{record}?year=Y&format=xlsx|pdf|docx&lang=zh|en */
int api_exports_get(struct nl_req *r);

#endif
