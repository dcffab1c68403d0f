/*
 * Tests of many bytes at once, shared by the scanners of ingest/ (the
 * readers, the JSON parser, segmentation, folding and recognition), so
 * that each test is written once (one loop of segment.c writes
 * xref_bytes_alnum() out, for speed: see there). Not part of the public
 * API.
 *
 * Eight bytes are tested as a uint64_t loaded with memcpy: a result has
 * the high bit of a byte set where that byte passes. The exact tests add
 * seven-bit values that cannot carry into the next byte, so every bit is
 * right; the "any" tests subtract, which is one step cheaper, but a
 * borrow may also set the bits above the first byte that passes, so they
 * only tell whether some byte does. Sixteen bytes are tested with SSE2
 * where the compiler has it.
 */
#ifndef XREF_INGEST_BYTES_INTERNAL_H
#define XREF_INGEST_BYTES_INTERNAL_H

#include <stdint.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define XREF_BYTES_ONES UINT64_C(0x0101010101010101)
#define XREF_BYTES_HIGH UINT64_C(0x8080808080808080)

/* Bytes equal to c. */
static inline uint64_t xref_bytes_eq(uint64_t w, unsigned char c)
{
	uint64_t t = w ^ (c * XREF_BYTES_ONES);

	return ~(((t & ~XREF_BYTES_HIGH) + ~XREF_BYTES_HIGH) | t) &
	       XREF_BYTES_HIGH;
}

/* Bytes below n, for n <= 0x80. */
static inline uint64_t xref_bytes_below(uint64_t w, unsigned char n)
{
	return ~(((w & ~XREF_BYTES_HIGH) + (0x80 - n) * XREF_BYTES_ONES) | w) &
	       XREF_BYTES_HIGH;
}

/* Not 0 exactly when some byte is below n, for n <= 0x80 (an "any" test:
 * see above). */
static inline uint64_t xref_bytes_any_below(uint64_t w, unsigned char n)
{
	return (w - n * XREF_BYTES_ONES) & ~w & XREF_BYTES_HIGH;
}

/* Not 0 exactly when some byte equals c (an "any" test: see above). */
static inline uint64_t xref_bytes_any_eq(uint64_t w, unsigned char c)
{
	return xref_bytes_any_below(w ^ (c * XREF_BYTES_ONES), 1);
}

/* The ASCII letters ('A'-'Z', 'a'-'z') into *letters and the ASCII digits
 * into *digits, exactly: a letter's low seven bits with 0x20 set (the
 * uppercase letters onto the lowercase) lie in 'a'..'z', a digit's in
 * '0'..'9', and its high bit is clear. */
static inline void xref_bytes_alnum(uint64_t w, uint64_t *letters,
				    uint64_t *digits)
{
	uint64_t low = w & ~XREF_BYTES_HIGH;
	uint64_t folded = low | 0x20 * XREF_BYTES_ONES;

	*letters = (folded + 0x1f * XREF_BYTES_ONES) &
		   ~(folded + 0x05 * XREF_BYTES_ONES) & XREF_BYTES_HIGH & ~w;
	*digits = (low + 0x50 * XREF_BYTES_ONES) &
		  ~(low + 0x46 * XREF_BYTES_ONES) & XREF_BYTES_HIGH & ~w;
}

#if defined(__SSE2__)
/* The same for sixteen bytes: 0xff where a byte is an ASCII letter
 * (digit), else 0. The unsigned "c - low < width" is a signed compare of
 * c - low - 128: -31 is 'a' + 128, -80 is '0' + 128. */
static inline void xref_bytes16_alnum(__m128i v, __m128i *letters,
				      __m128i *digits)
{
	*letters = _mm_cmplt_epi8(
		_mm_sub_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)),
			     _mm_set1_epi8(-31)),
		_mm_set1_epi8(-128 + 26));
	*digits = _mm_cmplt_epi8(_mm_sub_epi8(v, _mm_set1_epi8(-80)),
				 _mm_set1_epi8(-128 + 10));
}
#endif

#endif
