/*
 * Shared by the fuzz targets: the libFuzzer entry point and checks that
 * abort (so that libFuzzer records the input) when an invariant of the
 * code under test does not hold.
 */
#ifndef XREF_TESTS_FUZZ_H
#define XREF_TESTS_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Implemented by each target; called by libFuzzer, or by replay.c over the
 * files of a corpus in builds without libFuzzer. Returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts with "fuzz: WHAT" on stderr unless ok. */
void fuzz_check(bool ok, const char *what);

/* Aborts unless s[0..len) is valid UTF-8 without NUL, without C0 controls
 * other than tab and newline (none at all when single_line), DEL or C1
 * controls: what every string handed on by the library must be. */
void fuzz_check_text(const char *s, size_t len, bool single_line,
		     const char *what);

/* The same for a NUL-terminated string; NULL passes. */
void fuzz_check_str(const char *s, bool single_line, const char *what);

/* A NUL-terminated copy of data[0..size) (malloc; aborts when out of
 * memory): inputs for functions that take C strings. */
char *fuzz_strndup(const uint8_t *data, size_t size);

/* Splits data[0..size) at NUL bytes into at most max fields, each a
 * NUL-terminated copy in out[] (missing fields are ""). Free with
 * fuzz_fields_free(). */
void fuzz_fields(char **out, size_t max, const uint8_t *data, size_t size);
void fuzz_fields_free(char **f, size_t max);

#endif
