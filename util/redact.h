/*
 * redact.h - keeping credentials out of messages.
 *
 * Every message perfgate records (pg_error_*) or prints as an error goes
 * through pg_redact(), so that a URL with a password, a query token or a
 * server's echo of an Authorization header never reaches a CI log.
 */
#ifndef PG_UTIL_REDACT_H
#define PG_UTIL_REDACT_H

#include <stddef.h>

/* What replaces a credential. */
#define PG_REDACTED "***"

/*
 * Copy src to dst (at most size - 1 bytes and a NUL; size > 0) with these
 * replaced by PG_REDACTED:
 *   - the userinfo of URLs ("user:pass" before the host's "@");
 *   - the values of query parameters whose name suggests a credential
 *     (token, access_token, private_token, key, api_key, apikey, password,
 *     secret, sig, signature, auth, code): ?token=abc -> ?token=***;
 *   - the credentials after "Basic " or "Bearer " (any case);
 *   - the values of the Authorization, Proxy-Authorization,
 *     PRIVATE-TOKEN, JOB-TOKEN and Cookie headers, also when quoted as in
 *     a JSON echo.
 * Returns the length that an unlimited dst would need (without the NUL),
 * like snprintf, so a caller can size dst: it is at most
 * 3 * strlen(src).
 */
size_t pg_redact(char *dst, size_t size, const char *src);

#endif
