/*
 * rez_core.c - the Rez-subset compiler: a tokenizer that counts lines, one
 * parser per resource type (the templates of Apple's Types.r that the
 * Toolbox reads here: WIND, DLOG, ALRT, DITL, CNTL, MENU, 'STR ', 'STR#'),
 * and the writer that lays the compiled resources out as a resource fork.
 *
 * The accepted syntax:
 *   resource 'TYPE' (id [, "name"] [, attribute]...) { fields };
 * where attributes are sysheap, purgeable, locked, protected, preload,
 * comments are C and C++ style, numbers are decimal, 0x.. or $.. hex with
 * an optional minus sign, strings take \n \r \t \\ \" and \0xHH escapes.
 * Anything else is an error naming its line; nothing is written then.
 *
 * Fork layout (all big-endian): a 16-byte header (data offset, map offset,
 * data length, map length) padded to 256 bytes, the data (each resource a
 * 4-byte length then its bytes), then the map: a copy of the header, 8
 * bytes the Resource Manager owns at run time, the type list and name list
 * offsets, the type list (count - 1, then type / count - 1 / offset of its
 * reference list from the type list), the 12-byte references (ID, name
 * offset or -1, attributes, 3-byte data offset, 4 reserved bytes) and the
 * names as Pascal strings.
 */
#include "rez.h"

#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- output buffer ---------------------------------------------------------- */

typedef struct rz_buf {
    uint8_t *p;
    size_t len, cap;
} rz_buf;

static void rz_put(rz_buf *b, const void *src, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        while (cap < b->len + n)
            cap *= 2;
        uint8_t *np = realloc(b->p, cap);
        if (np == NULL) {
            fprintf(stderr, "rez: out of memory\n");
            exit(2);
        }
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->len, src, n);
    b->len += n;
}

static void rz_put8(rz_buf *b, unsigned v)
{
    uint8_t c = (uint8_t)v;
    rz_put(b, &c, 1);
}

static void rz_put16(rz_buf *b, unsigned v)
{
    rz_put8(b, v >> 8);
    rz_put8(b, v);
}

static void rz_put32(rz_buf *b, uint32_t v)
{
    rz_put16(b, v >> 16);
    rz_put16(b, v & 0xFFFF);
}

static void rz_set16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void rz_set32(uint8_t *p, uint32_t v)
{
    rz_set16(p, v >> 16);
    rz_set16(p + 2, v & 0xFFFF);
}

/* ---- tokenizer ---------------------------------------------------------------- */

typedef enum { TK_EOF, TK_NUM, TK_STR, TK_TYPE, TK_IDENT, TK_PUNCT } rz_tk;

typedef struct rz_lex {
    const char *s, *end;
    int line;
    rz_tk kind;
    int tok_line;
    long long num;
    uint32_t type;
    char text[256];           /* TK_IDENT */
    uint8_t str[256];         /* TK_STR bytes */
    size_t str_len;
    char punct;
    rz_buf cur;               /* the resource being compiled; freed on failure */
    jmp_buf fail;
    char *err;
    size_t errlen;
} rz_lex;

[[gnu::format(printf, 2, 3), gnu::noreturn]] static void rz_fail(rz_lex *lx, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(lx->err, lx->errlen, "line %d: %s", lx->tok_line, msg);
    longjmp(lx->fail, 1);
}

static int rz_hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

static void rz_skip_space(rz_lex *lx)
{
    for (;;) {
        while (lx->s < lx->end && isspace((unsigned char)*lx->s)) {
            if (*lx->s == '\n')
                lx->line++;
            lx->s++;
        }
        if (lx->end - lx->s >= 2 && lx->s[0] == '/' && lx->s[1] == '/') {
            while (lx->s < lx->end && *lx->s != '\n')
                lx->s++;
        } else if (lx->end - lx->s >= 2 && lx->s[0] == '/' && lx->s[1] == '*') {
            lx->tok_line = lx->line;
            lx->s += 2;
            while (lx->end - lx->s >= 2 && !(lx->s[0] == '*' && lx->s[1] == '/')) {
                if (*lx->s == '\n')
                    lx->line++;
                lx->s++;
            }
            if (lx->end - lx->s < 2)
                rz_fail(lx, "unterminated comment");
            lx->s += 2;
        } else {
            return;
        }
    }
}

static void rz_lex_string(rz_lex *lx)
{
    lx->s++;
    lx->str_len = 0;
    for (;;) {
        if (lx->s >= lx->end || *lx->s == '\n')
            rz_fail(lx, "unterminated string");
        int c = (unsigned char)*lx->s++;
        if (c == '"')
            break;
        if (c == '\\') {
            if (lx->s >= lx->end)
                rz_fail(lx, "unterminated string");
            int e = (unsigned char)*lx->s++;
            switch (e) {
            case 'n': c = '\r'; break;     /* Rez: \n is the Mac's return */
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            case '\\': c = '\\'; break;
            case '"': c = '"'; break;
            case '\'': c = '\''; break;
            case '0':
                if (lx->end - lx->s >= 3 && (lx->s[0] == 'x' || lx->s[0] == 'X') &&
                    rz_hexval(lx->s[1]) >= 0 && rz_hexval(lx->s[2]) >= 0) {
                    c = rz_hexval(lx->s[1]) * 16 + rz_hexval(lx->s[2]);
                    lx->s += 3;
                    break;
                }
                rz_fail(lx, "bad escape: \\0 must be followed by xHH");
            default:
                rz_fail(lx, "unknown escape \\%c", e);
            }
        }
        if (lx->str_len == 255)
            rz_fail(lx, "string longer than 255 bytes");
        lx->str[lx->str_len++] = (uint8_t)c;
    }
}

static void rz_next(rz_lex *lx)
{
    rz_skip_space(lx);
    lx->tok_line = lx->line;
    if (lx->s >= lx->end) {
        lx->kind = TK_EOF;
        return;
    }
    int c = (unsigned char)*lx->s;
    if (c == '"') {
        rz_lex_string(lx);
        lx->kind = TK_STR;
    } else if (c == '\'') {
        if (lx->end - lx->s < 6 || lx->s[5] != '\'')
            rz_fail(lx, "a resource type is exactly four characters between single quotes");
        lx->type = 0;
        for (int i = 1; i <= 4; i++) {
            if ((unsigned char)lx->s[i] < 0x20 || lx->s[i] == '\'')
                rz_fail(lx, "bad character in resource type");
            lx->type = lx->type << 8 | (unsigned char)lx->s[i];
        }
        lx->s += 6;
        lx->kind = TK_TYPE;
    } else if (isdigit(c) || c == '$' || (c == '-' && lx->end - lx->s > 1 && (isdigit((unsigned char)lx->s[1]) || lx->s[1] == '$'))) {
        bool neg = c == '-';
        if (neg)
            lx->s++;
        int base = 10;
        if (*lx->s == '$') {
            base = 16;
            lx->s++;
        } else if (lx->end - lx->s >= 2 && lx->s[0] == '0' && (lx->s[1] == 'x' || lx->s[1] == 'X')) {
            base = 16;
            lx->s += 2;
        }
        unsigned long long v = 0;
        int digits = 0;
        while (lx->s < lx->end && isalnum((unsigned char)*lx->s)) {
            int d = rz_hexval((unsigned char)*lx->s);
            if (d < 0 || d >= base)
                rz_fail(lx, "bad digit '%c' in number", *lx->s);
            v = v * (unsigned)base + (unsigned)d;
            if (v > 0xFFFFFFFFull)
                rz_fail(lx, "number out of range");
            digits++;
            lx->s++;
        }
        if (digits == 0)
            rz_fail(lx, "number without digits");
        lx->num = neg ? -(long long)v : (long long)v;
        lx->kind = TK_NUM;
    } else if (isalpha(c) || c == '_') {
        size_t n = 0;
        while (lx->s < lx->end && (isalnum((unsigned char)*lx->s) || *lx->s == '_')) {
            if (n == sizeof lx->text - 1)
                rz_fail(lx, "identifier too long");
            lx->text[n++] = *lx->s++;
        }
        lx->text[n] = 0;
        lx->kind = TK_IDENT;
    } else if (strchr("{}(),;", c)) {
        lx->punct = (char)c;
        lx->s++;
        lx->kind = TK_PUNCT;
    } else {
        rz_fail(lx, "unexpected character '%c'", c);
    }
}

static bool rz_is(rz_lex *lx, char p)
{
    return lx->kind == TK_PUNCT && lx->punct == p;
}

static void rz_expect(rz_lex *lx, char p)
{
    if (!rz_is(lx, p))
        rz_fail(lx, "expected '%c'", p);
    rz_next(lx);
}

/* ---- fields --------------------------------------------------------------------- */

typedef struct rz_sym {
    const char *name;
    long long value;
} rz_sym;

/* A number, or one of syms by name, in [lo, hi]. */
static long long rz_value(rz_lex *lx, const rz_sym *syms, long long lo, long long hi, const char *what)
{
    long long v;
    if (lx->kind == TK_NUM) {
        v = lx->num;
    } else if (lx->kind == TK_IDENT && syms != NULL) {
        const rz_sym *s = syms;
        while (s->name != NULL && strcmp(s->name, lx->text) != 0)
            s++;
        if (s->name == NULL)
            rz_fail(lx, "'%s' is not a value for %s", lx->text, what);
        v = s->value;
    } else {
        rz_fail(lx, "expected %s", what);
    }
    if (v < lo || v > hi)
        rz_fail(lx, "%s %lld out of range [%lld, %lld]", what, v, lo, hi);
    rz_next(lx);
    return v;
}

static long long rz_sym_only(rz_lex *lx, const rz_sym *syms, const char *what)
{
    if (lx->kind != TK_IDENT)
        rz_fail(lx, "expected %s", what);
    return rz_value(lx, syms, -0x80000000ll, 0xFFFFFFFFll, what);
}

static void rz_comma(rz_lex *lx)
{
    rz_expect(lx, ',');
}

static void rz_int16(rz_lex *lx, rz_buf *b, const rz_sym *syms, const char *what)
{
    rz_put16(b, (unsigned)rz_value(lx, syms, -32768, 65535, what) & 0xFFFF);
}

static void rz_int32(rz_lex *lx, rz_buf *b, const char *what)
{
    rz_put32(b, (uint32_t)rz_value(lx, NULL, -0x80000000ll, 0xFFFFFFFFll, what));
}

static void rz_rect(rz_lex *lx, rz_buf *b)
{
    rz_expect(lx, '{');
    static const char *const side[4] = { "top", "left", "bottom", "right" };
    for (int i = 0; i < 4; i++) {
        if (i)
            rz_comma(lx);
        rz_put16(b, (unsigned)rz_value(lx, NULL, -32768, 32767, side[i]) & 0xFFFF);
    }
    rz_expect(lx, '}');
}

static void rz_pstring(rz_lex *lx, rz_buf *b, const char *what)
{
    if (lx->kind != TK_STR)
        rz_fail(lx, "expected %s (a string)", what);
    rz_put8(b, (unsigned)lx->str_len);
    rz_put(b, lx->str, lx->str_len);
    rz_next(lx);
}

/* A char field: a one-byte string or a named constant. */
static void rz_char(rz_lex *lx, rz_buf *b, const rz_sym *syms, const char *what)
{
    if (lx->kind == TK_STR) {
        if (lx->str_len != 1)
            rz_fail(lx, "%s must be exactly one character", what);
        rz_put8(b, lx->str[0]);
        rz_next(lx);
        return;
    }
    rz_put8(b, (unsigned)rz_value(lx, syms, 0, 255, what));
}

static void rz_align_word(rz_buf *b)
{
    if (b->len & 1)
        rz_put8(b, 0);
}

static const rz_sym rz_wind_procs[] = {
    { "documentProc", 0 }, { "dBoxProc", 1 }, { "plainDBox", 2 }, { "altDBoxProc", 3 },
    { "noGrowDocProc", 4 }, { "movableDBoxProc", 5 }, { "zoomDocProc", 8 }, { "zoomNoGrow", 12 },
    { "rDocProc", 16 }, { NULL, 0 } };
static const rz_sym rz_visible[] = { { "invisible", 0 }, { "visible", 1 }, { NULL, 0 } };
static const rz_sym rz_goaway[] = { { "noGoAway", 0 }, { "goAway", 1 }, { NULL, 0 } };
static const rz_sym rz_positions[] = {
    { "noAutoCenter", 0x0000 }, { "centerMainScreen", 0x280A }, { "alertPositionMainScreen", 0x300A },
    { "staggerMainScreen", 0x380A }, { "centerParentWindow", 0xA80A },
    { "alertPositionParentWindow", 0xB00A }, { "staggerParentWindow", 0xB80A },
    { "centerParentWindowScreen", 0x680A }, { "alertPositionParentWindowScreen", 0x700A },
    { "staggerParentWindowScreen", 0x780A }, { NULL, 0 } };

/* The optional System 7 positioning word after a title: word-aligned. */
static void rz_positioning(rz_lex *lx, rz_buf *b)
{
    if (!rz_is(lx, ','))
        return;
    rz_next(lx);
    rz_align_word(b);
    rz_put16(b, (unsigned)rz_sym_only(lx, rz_positions, "window position"));
}

/* boolean pair written as a byte then a fill byte (Types.r's visible/goAway). */
static void rz_flag_byte(rz_lex *lx, rz_buf *b, const rz_sym *syms, const char *what)
{
    rz_put8(b, (unsigned)rz_sym_only(lx, syms, what));
    rz_put8(b, 0);
}

static void rz_tmpl_wind(rz_lex *lx, rz_buf *b)
{
    rz_rect(lx, b); rz_comma(lx);
    rz_int16(lx, b, rz_wind_procs, "window definition ID"); rz_comma(lx);
    rz_flag_byte(lx, b, rz_visible, "visible or invisible"); rz_comma(lx);
    rz_flag_byte(lx, b, rz_goaway, "goAway or noGoAway"); rz_comma(lx);
    rz_int32(lx, b, "refCon"); rz_comma(lx);
    rz_pstring(lx, b, "title");
    rz_positioning(lx, b);
}

static void rz_tmpl_dlog(rz_lex *lx, rz_buf *b)
{
    rz_rect(lx, b); rz_comma(lx);
    rz_int16(lx, b, rz_wind_procs, "window definition ID"); rz_comma(lx);
    rz_flag_byte(lx, b, rz_visible, "visible or invisible"); rz_comma(lx);
    rz_flag_byte(lx, b, rz_goaway, "goAway or noGoAway"); rz_comma(lx);
    rz_int32(lx, b, "refCon"); rz_comma(lx);
    rz_int16(lx, b, NULL, "item list ID"); rz_comma(lx);
    rz_pstring(lx, b, "title");
    rz_positioning(lx, b);
}

static void rz_tmpl_alrt(rz_lex *lx, rz_buf *b)
{
    static const rz_sym bold[] = { { "OK", 0 }, { "Cancel", 1 }, { NULL, 0 } };
    static const rz_sym sound[] = { { "silent", 0 }, { "sound1", 1 }, { "sound2", 2 }, { "sound3", 3 }, { NULL, 0 } };
    rz_rect(lx, b); rz_comma(lx);
    rz_int16(lx, b, NULL, "item list ID"); rz_comma(lx);
    rz_expect(lx, '{');
    unsigned stages = 0;
    for (int i = 0; i < 4; i++) {
        if (i)
            rz_expect(lx, ';');
        unsigned nib = (unsigned)rz_sym_only(lx, bold, "OK or Cancel") << 3;
        rz_comma(lx);
        nib |= (unsigned)rz_sym_only(lx, rz_visible, "visible or invisible") << 2;
        rz_comma(lx);
        nib |= (unsigned)rz_value(lx, sound, 0, 3, "sound");
        stages = stages << 4 | nib;
    }
    rz_expect(lx, '}');
    rz_put16(b, stages);
    rz_positioning(lx, b);
}

static void rz_tmpl_ditl(rz_lex *lx, rz_buf *b)
{
    static const rz_sym kinds[] = {
        { "UserItem", 0 }, { "Button", 4 }, { "CheckBox", 5 }, { "RadioButton", 6 }, { "Control", 7 },
        { "StaticText", 8 }, { "EditText", 16 }, { "Icon", 32 }, { "Picture", 64 }, { NULL, 0 } };
    static const rz_sym enabled[] = { { "enabled", 0 }, { "disabled", 0x80 }, { NULL, 0 } };
    size_t count_at = b->len;
    rz_put16(b, 0);
    unsigned count = 0;
    rz_expect(lx, '{');
    while (!rz_is(lx, '}')) {
        if (count == 0x8000)
            rz_fail(lx, "too many items");
        rz_put32(b, 0);              /* placeholder: the Dialog Manager's handle or procedure */
        rz_rect(lx, b); rz_comma(lx);
        unsigned kind = (unsigned)rz_sym_only(lx, kinds, "item kind");
        rz_expect(lx, '{');
        unsigned en = (unsigned)rz_sym_only(lx, enabled, "enabled or disabled");
        rz_put8(b, kind | en);
        if (kind == 0) {
            rz_put8(b, 0);
        } else if (kind == 7 || kind == 32 || kind == 64) {
            rz_comma(lx);
            rz_put8(b, 2);
            rz_int16(lx, b, NULL, "resource ID");
        } else {
            rz_comma(lx);
            rz_pstring(lx, b, "item text");
        }
        rz_expect(lx, '}');
        rz_align_word(b);
        count++;
        if (!rz_is(lx, ';'))
            break;
        rz_next(lx);
    }
    if (count == 0)
        rz_fail(lx, "an item list needs at least one item");
    rz_expect(lx, '}');
    rz_set16(b->p + count_at, count - 1);
}

static void rz_tmpl_cntl(rz_lex *lx, rz_buf *b)
{
    static const rz_sym procs[] = { { "pushButProc", 0 }, { "checkBoxProc", 1 }, { "radioButProc", 2 },
        { "scrollBarProc", 16 }, { NULL, 0 } };
    rz_rect(lx, b); rz_comma(lx);
    rz_int16(lx, b, NULL, "value"); rz_comma(lx);
    rz_flag_byte(lx, b, rz_visible, "visible or invisible"); rz_comma(lx);
    rz_int16(lx, b, NULL, "maximum"); rz_comma(lx);
    rz_int16(lx, b, NULL, "minimum"); rz_comma(lx);
    rz_int16(lx, b, procs, "control definition ID"); rz_comma(lx);
    rz_int32(lx, b, "refCon"); rz_comma(lx);
    rz_pstring(lx, b, "title");
}

static void rz_tmpl_menu(rz_lex *lx, rz_buf *b)
{
    static const rz_sym procs[] = { { "textMenuProc", 0 }, { NULL, 0 } };
    static const rz_sym flags[] = { { "allEnabled", 0x7FFFFFFF }, { "allDisabled", 0 }, { NULL, 0 } };
    static const rz_sym title[] = { { "disabled", 0 }, { "enabled", 1 }, { NULL, 0 } };
    static const rz_sym icon[] = { { "noIcon", 0 }, { NULL, 0 } };
    static const rz_sym key[] = { { "noKey", 0 }, { "hierarchicalMenu", 0x1B }, { NULL, 0 } };
    static const rz_sym mark[] = { { "noMark", 0 }, { "check", 0x12 }, { NULL, 0 } };
    static const rz_sym style[] = { { "plain", 0 }, { "bold", 1 }, { "italic", 2 }, { "underline", 4 },
        { "outline", 8 }, { "shadow", 16 }, { "condense", 32 }, { "extend", 64 }, { NULL, 0 } };
    rz_int16(lx, b, NULL, "menu ID"); rz_comma(lx);
    rz_put16(b, 0);                       /* width and height: computed at run time */
    rz_put16(b, 0);
    rz_int16(lx, b, procs, "menu definition ID"); rz_comma(lx);
    rz_put16(b, 0);
    uint32_t en = (uint32_t)rz_value(lx, flags, 0, 0x7FFFFFFF, "item enable flags") << 1;
    rz_comma(lx);
    en |= (uint32_t)rz_sym_only(lx, title, "enabled or disabled");
    rz_put32(b, en);
    rz_comma(lx);
    rz_pstring(lx, b, "menu title");
    rz_comma(lx);
    rz_expect(lx, '{');
    while (!rz_is(lx, '}')) {
        if (lx->kind == TK_STR && lx->str_len == 0)
            rz_fail(lx, "an empty item text would end the item list");
        rz_pstring(lx, b, "item text"); rz_comma(lx);
        rz_put8(b, (unsigned)rz_value(lx, icon, 0, 255, "icon number")); rz_comma(lx);
        rz_char(lx, b, key, "key equivalent"); rz_comma(lx);
        rz_char(lx, b, mark, "mark character"); rz_comma(lx);
        rz_put8(b, (unsigned)rz_value(lx, style, 0, 127, "style"));
        if (!rz_is(lx, ';'))
            break;
        rz_next(lx);
    }
    rz_expect(lx, '}');
    rz_put8(b, 0);
}

static void rz_tmpl_str(rz_lex *lx, rz_buf *b)
{
    rz_pstring(lx, b, "string");
}

static void rz_tmpl_strn(rz_lex *lx, rz_buf *b)
{
    size_t count_at = b->len;
    rz_put16(b, 0);
    unsigned count = 0;
    rz_expect(lx, '{');
    while (!rz_is(lx, '}')) {
        if (count == 0x7FFF)
            rz_fail(lx, "too many strings");
        rz_pstring(lx, b, "string");
        count++;
        if (!rz_is(lx, ';'))
            break;
        rz_next(lx);
    }
    rz_expect(lx, '}');
    rz_set16(b->p + count_at, count);
}

typedef struct rz_template {
    uint32_t type;
    void (*parse)(rz_lex *, rz_buf *);
} rz_template;

#define RZ_TYPE(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static const rz_template rz_templates[] = {
    { RZ_TYPE('W', 'I', 'N', 'D'), rz_tmpl_wind },
    { RZ_TYPE('D', 'L', 'O', 'G'), rz_tmpl_dlog },
    { RZ_TYPE('A', 'L', 'R', 'T'), rz_tmpl_alrt },
    { RZ_TYPE('D', 'I', 'T', 'L'), rz_tmpl_ditl },
    { RZ_TYPE('C', 'N', 'T', 'L'), rz_tmpl_cntl },
    { RZ_TYPE('M', 'E', 'N', 'U'), rz_tmpl_menu },
    { RZ_TYPE('S', 'T', 'R', ' '), rz_tmpl_str },
    { RZ_TYPE('S', 'T', 'R', '#'), rz_tmpl_strn },
};

/* ---- resources -------------------------------------------------------------------- */

static void rz_header(rz_lex *lx, rez_res *r)
{
    static const rz_sym attrs[] = { { "sysheap", 64 }, { "purgeable", 32 }, { "locked", 16 },
        { "protected", 8 }, { "preload", 4 }, { "appheap", 0 }, { "nonpurgeable", 0 },
        { "unlocked", 0 }, { "unprotected", 0 }, { "nonpreload", 0 }, { NULL, 0 } };
    rz_expect(lx, '(');
    r->id = (int16_t)rz_value(lx, NULL, -32768, 32767, "resource ID");
    while (rz_is(lx, ',')) {
        rz_next(lx);
        if (lx->kind == TK_STR) {
            if (r->name[0] != 0 || lx->str_len == 0)
                rz_fail(lx, "a resource has at most one non-empty name");
            r->name[0] = (char)lx->str_len;
            memcpy(r->name + 1, lx->str, lx->str_len);
            rz_next(lx);
        } else {
            r->attrs |= (uint8_t)rz_sym_only(lx, attrs, "resource attribute");
        }
    }
    rz_expect(lx, ')');
}

static void rz_resource(rz_lex *lx, rez_unit *u)
{
    if (lx->kind != TK_IDENT || strcmp(lx->text, "resource") != 0)
        rz_fail(lx, "expected 'resource'");
    rz_next(lx);
    if (lx->kind != TK_TYPE)
        rz_fail(lx, "expected a resource type such as 'WIND'");
    uint32_t type = lx->type;
    const rz_template *t = NULL;
    for (size_t i = 0; i < sizeof rz_templates / sizeof rz_templates[0]; i++)
        if (rz_templates[i].type == type)
            t = &rz_templates[i];
    if (t == NULL)
        rz_fail(lx, "no template for type '%c%c%c%c'", type >> 24, (type >> 16) & 0xFF, (type >> 8) & 0xFF, type & 0xFF);
    rz_next(lx);
    rez_res r = { .type = type };
    rz_header(lx, &r);
    for (size_t i = 0; i < u->count; i++)
        if (u->res[i].type == type && u->res[i].id == r.id)
            rz_fail(lx, "resource ID %d of this type defined twice", r.id);
    rz_buf *b = &lx->cur;
    *b = (rz_buf){ 0 };
    rz_expect(lx, '{');
    t->parse(lx, b);
    rz_expect(lx, '}');
    rz_expect(lx, ';');
    rez_res *nr = realloc(u->res, (u->count + 1) * sizeof *nr);
    if (nr == NULL) {
        fprintf(stderr, "rez: out of memory\n");
        exit(2);
    }
    r.data = b->p ? b->p : malloc(1);
    r.len = b->len;
    *b = (rz_buf){ 0 };
    u->res = nr;
    u->res[u->count++] = r;
}

int rez_compile(const char *text, size_t len, rez_unit *unit, char *err, size_t errlen)
{
    /* On the heap, so nothing setjmp's caller holds changes between setjmp and longjmp. */
    rz_lex *lx = calloc(1, sizeof *lx);
    rez_unit *u = calloc(1, sizeof *u);
    if (lx == NULL || u == NULL) {
        fprintf(stderr, "rez: out of memory\n");
        exit(2);
    }
    lx->s = text;
    lx->end = text + len;
    lx->line = 1;
    lx->err = err;
    lx->errlen = errlen;
    int rc = 0;
    if (setjmp(lx->fail)) {
        free(lx->cur.p);
        rez_free_unit(u);
        rc = -1;
    } else {
        rz_next(lx);
        while (lx->kind != TK_EOF)
            rz_resource(lx, u);
        *unit = *u;
    }
    free(u);
    free(lx);
    return rc;
}

/* ---- fork writer -------------------------------------------------------------------- */

enum { RZ_DATA_START = 256, RZ_MAP_HDR = 28 };

int rez_write_fork(const rez_unit *u, rez_fork *out, char *err, size_t errlen)
{
    /* Types in order of first appearance; each type's references in input order. */
    uint32_t *types = calloc(u->count + 1, sizeof *types);
    size_t ntypes = 0;
    for (size_t i = 0; i < u->count; i++) {
        size_t t = 0;
        while (t < ntypes && types[t] != u->res[i].type)
            t++;
        if (t == ntypes)
            types[ntypes++] = u->res[i].type;
    }
    rz_buf data = { 0 }, map = { 0 }, names = { 0 };
    uint8_t zero[RZ_DATA_START] = { 0 };
    rz_put(&data, zero, RZ_DATA_START);
    rz_put(&map, zero, RZ_MAP_HDR);
    rz_put16(&map, (unsigned)(ntypes - 1) & 0xFFFF);
    size_t types_at = map.len;
    rz_put(&map, zero, 8 * ntypes);
    int rc = 0;
    for (size_t t = 0; t < ntypes && rc == 0; t++) {
        size_t n = 0, ref_at = map.len - (RZ_MAP_HDR);
        for (size_t i = 0; i < u->count && rc == 0; i++) {
            const rez_res *r = &u->res[i];
            if (r->type != types[t])
                continue;
            size_t off = data.len - RZ_DATA_START;
            if (off > 0xFFFFFF || r->len > 0xFFFFFF) {
                snprintf(err, errlen, "data past the 16 MiB a reference can address");
                rc = -1;
                break;
            }
            rz_put32(&data, (uint32_t)r->len);
            rz_put(&data, r->data, r->len);
            rz_put16(&map, (uint16_t)r->id);
            if (r->name[0]) {
                rz_put16(&map, (unsigned)names.len);
                rz_put(&names, r->name, 1 + (unsigned char)r->name[0]);
            } else {
                rz_put16(&map, 0xFFFF);
            }
            rz_put32(&map, (uint32_t)r->attrs << 24 | (uint32_t)off);
            rz_put32(&map, 0);
            n++;
        }
        uint8_t *e = map.p + types_at + 8 * t;
        rz_set32(e, types[t]);
        rz_set16(e + 4, (unsigned)(n - 1));
        rz_set16(e + 6, (unsigned)ref_at);
        if (ref_at > 0xFFFF) {
            snprintf(err, errlen, "map too large");
            rc = -1;
        }
    }
    size_t names_at = map.len;
    rz_put(&map, names.p ? names.p : zero, names.len);
    if (rc == 0 && (names_at > 0xFFFF || names.len > 0xFFFF)) {
        snprintf(err, errlen, "map too large");
        rc = -1;
    }
    if (rc == 0) {
        size_t data_len = data.len - RZ_DATA_START;
        uint8_t hdr[16];
        rz_set32(hdr, RZ_DATA_START);
        rz_set32(hdr + 4, (uint32_t)data.len);
        rz_set32(hdr + 8, (uint32_t)data_len);
        rz_set32(hdr + 12, (uint32_t)map.len);
        memcpy(data.p, hdr, 16);
        memcpy(map.p, hdr, 16);
        rz_set16(map.p + 24, RZ_MAP_HDR);
        rz_set16(map.p + 26, (unsigned)names_at);
        rz_put(&data, map.p, map.len);
        out->bytes = data.p;
        out->len = data.len;
        data.p = NULL;
    }
    free(data.p);
    free(map.p);
    free(names.p);
    free(types);
    return rc;
}

void rez_free_unit(rez_unit *u)
{
    for (size_t i = 0; i < u->count; i++)
        free(u->res[i].data);
    free(u->res);
    u->res = NULL;
    u->count = 0;
}

void rez_free_fork(rez_fork *f)
{
    free(f->bytes);
    f->bytes = NULL;
    f->len = 0;
}
