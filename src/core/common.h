/* common.h — included by every nengli source file after its system headers: poisons the banned functions
 * (STYLE.md: never atoi, sprintf, strcpy, strcat, strtok, gmtime, localtime) and defines small helpers. */
#ifndef NL_COMMON_H
#define NL_COMMON_H

#include <stddef.h>

#define NL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define NL_UNUSED __attribute__((unused))

#pragma GCC poison atoi atol atoll sprintf vsprintf strcpy strcat strtok gmtime localtime asctime ctime gets

#endif
