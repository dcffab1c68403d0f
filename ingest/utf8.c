/*
 * UTF-8 validation, decoding, cleaning, folding and sanitising.
 *
 * Everything here runs on every document or every candidate name, so each
 * function is a single forward pass with an inline path for ASCII bytes
 * (folding takes runs of letters and digits eight bytes at a time);
 * utf8proc is only consulted for non-ASCII code points.
 *
 * Cleaning counts its output in a first pass and writes it in a second, so
 * the result is allocated once at its exact size: the alternative, growing a
 * buffer, would copy a large document several times.
 *
 * Folding works code point by code point with utf8proc_decompose_char()
 * (compatibility decomposition, case folding, marks stripped, default
 * ignorables dropped) instead of utf8proc_map(): that needs no temporary
 * copy, tolerates invalid bytes, and lets symbols become separators before
 * decomposition ("Pegasus™" -> "pegasus", not "pegasustm"). Hangul
 * syllables are kept composed so Korean keys stay readable.
 */
#include "ingest/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "ingest/buf.h"
#include "ingest/bytes_internal.h"
#include "ingest/status.h"

#define REPLACEMENT 0xFFFD

bool xref_utf8_is_valid(const char *s, size_t len)
{
	size_t i = 0;
	int32_t cp;

	while (i < len) {
		size_t n;

		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		n = xref_utf8_decode(s + i, len - i, &cp);
		if (cp == REPLACEMENT && n == 1)
			return false;
		i += n;
	}
	return true;
}

size_t xref_utf8_decode(const char *s, size_t len, int32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char c = u[0];
	size_t n;
	int32_t v, min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		v = c & 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		v = c & 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		v = c & 0x07;
		min = 0x10000;
	} else {
		goto bad;
	}
	if (len < n)
		goto bad;
	for (size_t i = 1; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80)
			goto bad;
		v = (v << 6) | (u[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		goto bad;
	*cp = v;
	return n;
bad:
	*cp = REPLACEMENT;
	return 1;
}

/* Writes cp as UTF-8 into out (at least 4 bytes); returns the length. */
static size_t encode(int32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

/*
 * One cleaning pass over src. With dst == NULL it only measures; otherwise
 * dst has room for the measured length. Returns the output length.
 */
static size_t clean_pass(const char *src, size_t len, char *dst,
			 size_t *n_fixed)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t i = 0, o = 0, fixed = 0;

	if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
		i = 3;
	while (i < len) {
		unsigned char c = s[i];
		int32_t cp;
		size_t n;

		if (c >= 0x20 && c < 0x7F) {
			size_t j = i + 1;

			while (j < len && s[j] >= 0x20 && s[j] < 0x7F)
				j++;
			if (dst)
				memcpy(dst + o, s + i, j - i);
			o += j - i;
			i = j;
			continue;
		}
		if (c == '\t' || c == '\n') {
			if (dst)
				dst[o] = (char)c;
			o++;
			i++;
			continue;
		}
		if (c == '\r') {
			if (dst)
				dst[o] = '\n';
			o++;
			i += (i + 1 < len && s[i + 1] == '\n') ? 2 : 1;
			continue;
		}
		if (c < 0x80) {
			/* NUL, other C0 controls, DEL */
			if (dst)
				dst[o] = ' ';
			o++;
			i++;
			fixed++;
			continue;
		}
		n = xref_utf8_decode(src + i, len - i, &cp);
		if (cp == REPLACEMENT && n == 1) {
			fixed++;
			if (dst)
				encode(REPLACEMENT, dst + o);
			o += 3;
		} else if (cp >= 0x80 && cp <= 0x9F) {
			fixed++;
			if (dst)
				dst[o] = ' ';
			o++;
		} else {
			if (dst)
				memcpy(dst + o, s + i, n);
			o += n;
		}
		i += n;
	}
	if (n_fixed)
		*n_fixed = fixed;
	return o;
}

int xref_utf8_clean_append(struct xref_buf *out, const char *src, size_t len)
{
	/* each input byte yields at most 3 output bytes (U+FFFD) */
	if (len > (SIZE_MAX - out->len - 1) / 3 ||
	    xref_buf_grow(out, 3 * len))
		return xref_error_set(XREF_ENOMEM, "out of memory");
	out->len += clean_pass(src, len, out->ptr + out->len, NULL);
	out->ptr[out->len] = '\0';
	return 0;
}

int xref_utf8_clean(char **out, size_t *out_len, size_t *n_fixed,
		    const char *src, size_t len)
{
	size_t n;
	char *p;

	*out = NULL;
	*out_len = 0;
	/* each input byte yields at most 3 output bytes (U+FFFD) */
	if (len > (SIZE_MAX - 1) / 3)
		return xref_error_set(XREF_ENOMEM, "text too large");
	n = clean_pass(src, len, NULL, n_fixed);
	p = malloc(n + 1);
	if (!p)
		return xref_error_set(XREF_ENOMEM, "out of memory");
	clean_pass(src, len, p, NULL);
	p[n] = '\0';
	*out = p;
	*out_len = n;
	return 0;
}

/* What folding does with an ASCII byte. */
enum fold_class { F_SEP, F_KEEP, F_LOWER, F_DROP };

static enum fold_class ascii_class(unsigned char c)
{
	if (c >= 'a' && c <= 'z')
		return F_KEEP;
	if (c >= '0' && c <= '9')
		return F_KEEP;
	if (c >= 'A' && c <= 'Z')
		return F_LOWER;
	if (c == '.' || c == '\'')
		return F_DROP;
	return F_SEP;
}

static bool is_fold_dropped(int32_t cp)
{
	switch (cp) {
	case '.':
	case '\'':
	case 0x2018: /* left single quotation mark, used as apostrophe */
	case 0x2019: /* right single quotation mark */
	case 0x02BC: /* modifier letter apostrophe */
	case 0xFF07: /* fullwidth apostrophe */
	case 0xFF0E: /* fullwidth full stop */
	case 0xFE52: /* small full stop */
	case 0x2024: /* one dot leader */
	case REPLACEMENT:
		return true;
	default:
		return false;
	}
}

struct fold_out {
	struct xref_buf *buf;
	size_t start; /* where this fold starts in buf */
	bool sep;     /* a separator is pending */
};

static int fold_put(struct fold_out *f, int32_t cp)
{
	char tmp[5];
	size_t n = 0;

	if (f->sep && f->buf->len > f->start)
		tmp[n++] = ' ';
	f->sep = false;
	n += encode(cp, tmp + n);
	return xref_buf_put(f->buf, tmp, n);
}

/* Classifies one decomposed code point and appends it. */
static int fold_emit(struct fold_out *f, int32_t cp)
{
	if (cp < 0x80) {
		switch (ascii_class((unsigned char)cp)) {
		case F_KEEP:
			return fold_put(f, cp);
		case F_LOWER:
			return fold_put(f, cp + ('a' - 'A'));
		case F_DROP:
			return 0;
		case F_SEP:
			f->sep = true;
			return 0;
		}
	}
	if (is_fold_dropped(cp))
		return 0;
	/* Letters with a stroke or a ligature have no accent to strip, but
	 * names are written both ways ("Wałęsa" / "Walesa", "Sørensen" /
	 * "Sorensen", "Yılmaz" / "Yilmaz"). */
	switch (cp) {
	case 0x0131: /* ı */
		return fold_put(f, 'i');
	case 0x0111: /* đ */
	case 0x00F0: /* ð */
		return fold_put(f, 'd');
	case 0x0142: /* ł */
		return fold_put(f, 'l');
	case 0x00F8: /* ø */
		return fold_put(f, 'o');
	case 0x0127: /* ħ */
		return fold_put(f, 'h');
	case 0x00E6: /* æ */
		return fold_put(f, 'a') ? XREF_ENOMEM : fold_put(f, 'e');
	case 0x0153: /* œ */
		return fold_put(f, 'o') ? XREF_ENOMEM : fold_put(f, 'e');
	case 0x00FE: /* þ */
		return fold_put(f, 't') ? XREF_ENOMEM : fold_put(f, 'h');
	default:
		break;
	}
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_CF:
		return 0;
	case UTF8PROC_CATEGORY_PC:
	case UTF8PROC_CATEGORY_PD:
	case UTF8PROC_CATEGORY_PS:
	case UTF8PROC_CATEGORY_PE:
	case UTF8PROC_CATEGORY_PI:
	case UTF8PROC_CATEGORY_PF:
	case UTF8PROC_CATEGORY_PO:
	case UTF8PROC_CATEGORY_SM:
	case UTF8PROC_CATEGORY_SC:
	case UTF8PROC_CATEGORY_SK:
	case UTF8PROC_CATEGORY_SO:
	case UTF8PROC_CATEGORY_ZS:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
	case UTF8PROC_CATEGORY_CC:
		f->sep = true;
		return 0;
	default:
		/* letters, numbers, private use, unassigned (possibly letters
		 * newer than utf8proc's tables) */
		return fold_put(f, cp);
	}
}

/* Folds one non-ASCII code point of the input. */
static int fold_cp(struct fold_out *f, int32_t cp)
{
	const utf8proc_option_t opts = UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE |
				       UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |
				       UTF8PROC_IGNORE;
	utf8proc_int32_t d[32];
	utf8proc_ssize_t n;
	int boundclass = UTF8PROC_BOUNDCLASS_START;
	int err = 0;

	if (is_fold_dropped(cp))
		return 0;
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_SM:
	case UTF8PROC_CATEGORY_SC:
	case UTF8PROC_CATEGORY_SK:
	case UTF8PROC_CATEGORY_SO:
		/* not decomposed: "™" would otherwise become "tm" */
		f->sep = true;
		return 0;
	default:
		break;
	}
	if (cp >= 0xAC00 && cp <= 0xD7A3) /* Hangul syllable: keep whole */
		return fold_put(f, cp);
	n = utf8proc_decompose_char(cp, d, 32, opts, &boundclass);
	if (n < 0 || n > 32) {
		f->sep = true;
		return 0;
	}
	for (utf8proc_ssize_t i = 0; i < n && !err; i++)
		err = fold_emit(f, d[i]);
	return err;
}

/* ascii_class() as a table for the loop below: the byte to write (a
 * letter lowercased, a digit), FT_SEP, or FT_DROP. */
#define FT_DROP 0
#define FT_SEP 1
static const unsigned char fold_table[128] = {
	['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
	['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
	['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd', ['e'] = 'e',
	['f'] = 'f', ['g'] = 'g', ['h'] = 'h', ['i'] = 'i', ['j'] = 'j',
	['k'] = 'k', ['l'] = 'l', ['m'] = 'm', ['n'] = 'n', ['o'] = 'o',
	['p'] = 'p', ['q'] = 'q', ['r'] = 'r', ['s'] = 's', ['t'] = 't',
	['u'] = 'u', ['v'] = 'v', ['w'] = 'w', ['x'] = 'x', ['y'] = 'y',
	['z'] = 'z',
	['A'] = 'a', ['B'] = 'b', ['C'] = 'c', ['D'] = 'd', ['E'] = 'e',
	['F'] = 'f', ['G'] = 'g', ['H'] = 'h', ['I'] = 'i', ['J'] = 'j',
	['K'] = 'k', ['L'] = 'l', ['M'] = 'm', ['N'] = 'n', ['O'] = 'o',
	['P'] = 'p', ['Q'] = 'q', ['R'] = 'r', ['S'] = 's', ['T'] = 't',
	['U'] = 'u', ['V'] = 'v', ['W'] = 'w', ['X'] = 'x', ['Y'] = 'y',
	['Z'] = 'z',
	[0x00] = FT_SEP, [0x01] = FT_SEP, [0x02] = FT_SEP, [0x03] = FT_SEP,
	[0x04] = FT_SEP, [0x05] = FT_SEP, [0x06] = FT_SEP, [0x07] = FT_SEP,
	[0x08] = FT_SEP, [0x09] = FT_SEP, [0x0a] = FT_SEP, [0x0b] = FT_SEP,
	[0x0c] = FT_SEP, [0x0d] = FT_SEP, [0x0e] = FT_SEP, [0x0f] = FT_SEP,
	[0x10] = FT_SEP, [0x11] = FT_SEP, [0x12] = FT_SEP, [0x13] = FT_SEP,
	[0x14] = FT_SEP, [0x15] = FT_SEP, [0x16] = FT_SEP, [0x17] = FT_SEP,
	[0x18] = FT_SEP, [0x19] = FT_SEP, [0x1a] = FT_SEP, [0x1b] = FT_SEP,
	[0x1c] = FT_SEP, [0x1d] = FT_SEP, [0x1e] = FT_SEP, [0x1f] = FT_SEP,
	[' '] = FT_SEP, ['!'] = FT_SEP, ['"'] = FT_SEP, ['#'] = FT_SEP,
	['$'] = FT_SEP, ['%'] = FT_SEP, ['&'] = FT_SEP, ['('] = FT_SEP,
	[')'] = FT_SEP, ['*'] = FT_SEP, ['+'] = FT_SEP, [','] = FT_SEP,
	['-'] = FT_SEP, ['/'] = FT_SEP, [':'] = FT_SEP, [';'] = FT_SEP,
	['<'] = FT_SEP, ['='] = FT_SEP, ['>'] = FT_SEP, ['?'] = FT_SEP,
	['@'] = FT_SEP, ['['] = FT_SEP, ['\\'] = FT_SEP, [']'] = FT_SEP,
	['^'] = FT_SEP, ['_'] = FT_SEP, ['`'] = FT_SEP, ['{'] = FT_SEP,
	['|'] = FT_SEP, ['}'] = FT_SEP, ['~'] = FT_SEP, [0x7f] = FT_SEP,
	/* '.' and '\'' are FT_DROP */
};

/*
 * The run of ASCII letters and digits at s (at least one, s[0] is one),
 * up to eight bytes, folded (letters lowercased) into out: returns its
 * length. Reads eight bytes at s and writes eight at out (those past the
 * run are of no use), so both must have them. The eight bytes are tested
 * at once, as one word (the top bit of each byte says letter or digit);
 * without the compiler's builtins, or on a big-endian machine, byte by
 * byte.
 */
static size_t fold_alnum_run8(const unsigned char *s, char *out)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
	__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t x, letter, digit, stop;

	memcpy(&x, s, 8);
	xref_bytes_alnum(x, &letter, &digit);
	stop = ~(letter | digit) & XREF_BYTES_HIGH;
	x |= letter >> 2; /* 0x20: lowercase */
	memcpy(out, &x, 8);
	return stop ? (size_t)__builtin_ctzll(stop) / 8 : 8;
#else
	size_t n = 0;

	while (n < 8 && s[n] < 0x80 && fold_table[s[n]] > FT_SEP) {
		out[n] = (char)fold_table[s[n]];
		n++;
	}
	return n;
#endif
}

int xref_utf8_fold_append(struct xref_buf *out, const char *s, size_t len)
{
	struct fold_out f = { out, out->len, false };
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	int err = 0;
	char *o;

	/* Room for the rest of the input, a pending space and the NUL: an
	 * ASCII byte writes at most one byte (a separator's space is written
	 * before the next kept byte, in place of the separator), so the
	 * ASCII loop needs no check; after a code point, which may expand,
	 * room is made again. */
	err = xref_buf_grow(out, len < 64 ? 64 : len);
	if (err)
		return err;
	o = out->ptr + out->len;
	while (i < len) {
		unsigned char c = u[i];
		int32_t cp;

		if (c < 0x80) {
			unsigned char k = fold_table[c];

			if (k > FT_SEP) {
				if (f.sep && o > out->ptr + f.start)
					*o++ = ' ';
				f.sep = false;
				if (i + 8 <= len) {
					size_t n = fold_alnum_run8(u + i, o);

					o += n;
					i += n;
					continue;
				}
				*o++ = (char)k;
			} else {
				f.sep |= k == FT_SEP;
			}
			i++;
			continue;
		}
		out->len = (size_t)(o - out->ptr);
		i += xref_utf8_decode(s + i, len - i, &cp);
		err = fold_cp(&f, cp);
		if (!err)
			err = xref_buf_grow(out, len - i + 1);
		if (err)
			break;
		o = out->ptr + out->len;
	}
	if (!err)
		out->len = (size_t)(o - out->ptr);
	out->ptr[out->len] = '\0';
	return err;
}

int xref_utf8_fold(char **out, const char *s, size_t len)
{
	struct xref_buf b = XREF_BUF_INIT;
	int err;

	*out = NULL;
	err = xref_utf8_fold_append(&b, s, len);
	if (err)
		goto out;
	*out = xref_buf_detach(&b);
	if (!*out)
		err = xref_error_set(XREF_ENOMEM, "out of memory");
out:
	xref_buf_release(&b);
	return err;
}

int xref_utf8_sanitize_append(struct xref_buf *out, const char *s,
			      size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	char *o;

	/* an invalid byte becomes three (U+FFFD) */
	if (len > (SIZE_MAX - out->len - 1) / 3 ||
	    xref_buf_grow(out, 3 * len))
		return xref_error_set(XREF_ENOMEM, "out of memory");
	o = out->ptr + out->len;
	while (i < len) {
		int32_t cp;
		size_t n;

		if (u[i] >= 0x20 && u[i] < 0x7F) {
			size_t j = i + 1;

			while (j < len && u[j] >= 0x20 && u[j] < 0x7F)
				j++;
			memcpy(o, s + i, j - i);
			o += j - i;
			i = j;
			continue;
		}
		n = xref_utf8_decode(s + i, len - i, &cp);
		i += n;
		if (cp == '\t' || cp == '\n')
			cp = ' ';
		else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) ||
			 cp == 0xFFFE || cp == 0xFFFF)
			continue;
		o += encode(cp, o);
	}
	out->len = (size_t)(o - out->ptr);
	out->ptr[out->len] = '\0';
	return 0;
}

char *xref_utf8_sanitize(const char *s)
{
	struct xref_buf b = XREF_BUF_INIT;
	char *res = NULL;

	if (!s)
		s = "";
	if (xref_utf8_sanitize_append(&b, s, strlen(s)) == 0)
		res = xref_buf_detach(&b);
	xref_buf_release(&b);
	return res;
}
