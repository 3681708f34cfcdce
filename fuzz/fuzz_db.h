/* fuzz_db.h — a throwaway SQLite database for the drivers that need one (fuzz_json_body, fuzz_import): a file in
 * $TMPDIR with every migration applied, removed when the process exits.
 * It also turns the server log off (FUZZ_LOG=1 keeps it), as the domain code logs refused input. */
#ifndef NL_FUZZ_DB_H
#define NL_FUZZ_DB_H

struct nl_db;

/* Opens (once per process) the database and returns its one connection; aborts when it cannot. */
struct nl_db *fuzz_db(void);

#endif
