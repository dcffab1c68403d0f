/*
 * Internal to export/: SHA-256, for the hashes of the HTML map's
 * Content-Security-Policy.
 */
#ifndef XREF_EXPORT_SHA256_H
#define XREF_EXPORT_SHA256_H

#include <stddef.h>

/* The SHA-256 digest of data[0..len) (FIPS 180-4). O(len). */
void xref_sha256(unsigned char digest[32], const void *data, size_t len);

/* The digest of data[0..len) in the form a CSP source expects:
 * "'sha256-" + base64 (with padding) + "'", NUL-terminated; out must hold
 * XREF_CSP_HASH_SIZE bytes. */
#define XREF_CSP_HASH_SIZE 56
void xref_csp_hash(char out[XREF_CSP_HASH_SIZE], const void *data,
		   size_t len);

#endif
