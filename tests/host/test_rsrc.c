/*
 * test_rsrc.c - the Rez-subset compiler and the Resource Manager on the
 * host: System.r compiled and every resource read back through the
 * Resource Manager byte for byte with its ID, name and attributes; the
 * templates' layouts checked against hand-assembled bytes; bad Rez input
 * refused with the right line; malformed forks (every truncation, offsets
 * past the end, reference lists that loop into the type list or into each
 * other, names past the map, duplicates) refused by rm_check_fork, and a
 * few thousand random corruptions either refused or read without a stray
 * access (ASan); the chain of two open files; and the "ResourceMgr" KTAP
 * suite on the same fork.
 */
#include "kernel_suites.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "MemoryMgr/MemoryManager.h"
#include "Resources.h"
#include "mm_test_util.h"
#include "rez.h"
#include "host_file.h"
#include "tap.h"

#define TY(s) ((ResType)(unsigned char)(s)[0] << 24 | (ResType)(unsigned char)(s)[1] << 16 | \
               (ResType)(unsigned char)(s)[2] << 8 | (ResType)(unsigned char)(s)[3])

static bool compile(const char *text, rez_unit *u, rez_fork *f)
{
    char err[256];
    if (rez_compile(text, strlen(text), u, err, sizeof err) != 0) {
        tap_diag("rez: %s", err);
        return false;
    }
    if (rez_write_fork(u, f, err, sizeof err) != 0) {
        tap_diag("rez: %s", err);
        rez_free_unit(u);
        return false;
    }
    return true;
}

/* Every compiled resource read back through the Resource Manager. */
static void test_round_trip(const rez_unit *u, short ref)
{
    int bad = 0;
    for (size_t i = 0; i < u->count; i++) {
        const rez_res *r = &u->res[i];
        Handle h = Get1Resource(r->type, r->id);
        short id = 0;
        ResType type = 0;
        Str255 name;
        GetResInfo(h, &id, &type, name);
        bool ok = h != NULL && *h != NULL && GetHandleSize(h) == (Size)r->len && memcmp(*h, r->data, r->len) == 0 &&
                  id == r->id && type == r->type && memcmp(name, r->name, 1 + (unsigned char)r->name[0]) == 0 &&
                  GetResAttrs(h) == r->attrs && HomeResFile(h) == ref && SizeResource(h) == (long)r->len;
        if (ok && r->name[0])
            ok = GetNamedResource(r->type, (const unsigned char *)r->name) == h;
        if (!ok) {
            tap_diag("resource %zu (ID %d) did not round-trip", i, r->id);
            bad++;
        }
        ReleaseResource(h);
    }
    tap_ok(bad == 0 && u->count == 24, "all %zu resources of System.r round-trip (bytes, ID, type, name, attributes)", u->count);
}

static const rez_res *find(const rez_unit *u, const char *type, short id)
{
    for (size_t i = 0; i < u->count; i++)
        if (u->res[i].type == TY(type) && u->res[i].id == id)
            return &u->res[i];
    return NULL;
}

static bool same(const rez_res *r, const unsigned char *want, size_t n)
{
    if (r == NULL || r->len != n || memcmp(r->data, want, n) != 0) {
        if (r)
            for (size_t i = 0; i < r->len; i++)
                fprintf(stderr, "%02x%s", r->data[i], i + 1 == r->len ? "\n" : " ");
        return false;
    }
    return true;
}

/* The templates' layouts, assembled by hand from Inside Macintosh. */
static void test_templates(const rez_unit *u)
{
    static const unsigned char menu129[] = {
        0, 129, 0, 0, 0, 0, 0, 0, 0, 0,                 /* ID, width, height, procID, fill */
        0xFF, 0xFF, 0xFF, 0xF7,                         /* item 3 (the line) disabled, title enabled */
        4, 'F', 'i', 'l', 'e',
        3, 'N', 'e', 'w', 0, 'N', 0, 0,
        5, 'C', 'l', 'o', 's', 'e', 0, 'W', 0, 0,
        1, '-', 0, 0, 0, 0,
        4, 'Q', 'u', 'i', 't', 0, 'Q', 0, 1,
        0 };
    tap_ok(same(find(u, "MENU", 129), menu129, sizeof menu129), "MENU: header, enable flags, items, terminator");
    static const unsigned char alrt128[] = { 0, 60, 0, 80, 0, 180, 1, 184, 0, 129, 0x55, 0x54, 0x30, 0x0A };
    tap_ok(same(find(u, "ALRT", 128), alrt128, sizeof alrt128), "ALRT: rect, item list, stages (stage 4 first), position");
    static const unsigned char cntl129[] = { 0xFF, 0xFF, 1, 49, 0, 186, 1, 65, 0, 0, 0, 0, 0, 100, 0, 0, 0, 16,
        0, 0, 0, 7, 0 };
    tap_ok(same(find(u, "CNTL", 129), cntl129, sizeof cntl129), "CNTL: rect, value, visible, max, min, procID, refCon, title");
    const rez_res *d = find(u, "DITL", 129);
    static const unsigned char ditl129_head[] = { 0, 3, 0, 0, 0, 0, 0, 80, 1, 14, 0, 100, 1, 84, 4, 2, 'O', 'K',
        0, 0, 0, 0, 0, 80, 0, 180, 0, 100, 0, 250, 4, 6, 'C', 'a', 'n', 'c', 'e', 'l' };
    tap_ok(d != NULL && d->len > sizeof ditl129_head && memcmp(d->data, ditl129_head, sizeof ditl129_head) == 0 &&
           d->len % 2 == 0,
           "DITL: count - 1, items with placeholder, rect, kind and text, word-aligned");
    static const unsigned char dlog128[] = { 0, 80, 0, 120, 0, 240, 1, 224, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 128, 0,
        0, 0x30, 0x0A };
    tap_ok(same(find(u, "DLOG", 128), dlog128, sizeof dlog128), "DLOG: rect, procID, flags, refCon, items, title, position");
    const rez_res *sl = find(u, "STR#", 128);
    tap_ok(sl != NULL && sl->data[0] == 0 && sl->data[1] == 8 && sl->data[2] == 8 && memcmp(sl->data + 3, "Untitled", 8) == 0,
           "STR#: count then Pascal strings");
}

/* Rez input errors: each refused, naming its line. */
static void test_rez_errors(void)
{
    static const struct { const char *text; int line; } cases[] = {
        { "resource 'WIND' (1) {\n {1,2,3}, 0, visible, goAway, 0, \"x\" };", 2 },
        { "resource 'XXXX' (1) { };", 1 },
        { "\n\nresource 'STR ' (1) { \"unterminated };", 3 },
        { "resource 'STR ' (1) { \"a\" };\nresource 'STR ' (1) { \"b\" };", 2 },
        { "resource 'STR ' (40000) { \"a\" };", 1 },
        { "resource 'WIND' (1) { {1,2,3,4}, fancyProc, visible, goAway, 0, \"x\" };", 1 },
        { "resource 'STR ' (1) { \"a\" }", 1 },
        { "/* never\n closed", 1 },
        { "resource 'MENU' (1) { 1, textMenuProc, allEnabled, enabled, \"M\", { \"\", noIcon, noKey, noMark, plain } };", 1 },
        { "resource 'STR ' (1, bogus) { \"a\" };", 1 },
        { "resource 'DITL' (1) {\n {\n }\n};", 3 },
        { "resource 'STR ' (1) { \"\\q\" };", 1 },
    };
    int bad = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char err[256] = "", want[32];
        rez_unit u = { 0 };
        int rc = rez_compile(cases[i].text, strlen(cases[i].text), &u, err, sizeof err);
        snprintf(want, sizeof want, "line %d:", cases[i].line);
        if (rc == 0 || strncmp(err, want, strlen(want)) != 0) {
            tap_diag("case %zu: rc %d, \"%s\" (want %s)", i, rc, err, want);
            bad++;
        }
        if (rc == 0)
            rez_free_unit(&u);
    }
    tap_ok(bad == 0, "12 kinds of bad Rez input refused with the line they are on");
}

static void put16(uint8_t *p, unsigned v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v & 0xFFFF); }
static unsigned get16(const uint8_t *p) { return (unsigned)(p[0] << 8 | p[1]); }
static uint32_t get32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

/* A copy of the fork with one edit, checked: must be refused. */
static bool refused(const rez_fork *f, void (*edit)(uint8_t *, size_t *), const char *what)
{
    size_t len = f->len;
    uint8_t *b = malloc(len);
    memcpy(b, f->bytes, len);
    edit(b, &len);
    uint8_t *exact = malloc(len ? len : 1);     /* exactly len bytes: ASan sees any read past the end */
    memcpy(exact, b, len);
    const char *why = NULL;
    OSErr e = rm_check_fork(exact, (long)len, &why);
    OSErr r = rm_register_fork("Broken", exact, (long)len, NULL);
    short ref = OpenResFile((const unsigned char *)"\x06" "Broken");
    bool ok = e != noErr && r == e && ref == -1 && ResError() == resFNotFound && why != NULL;
    tap_ok(ok, "malformed fork refused: %s (%s)", what, why ? why : "no reason");
    free(exact);
    free(b);
    return ok;
}

static uint8_t *map_of(uint8_t *b) { return b + get32(b + 4); }
static uint8_t *types_of(uint8_t *b) { return map_of(b) + get16(map_of(b) + 24); }

static void ed_truncate_map(uint8_t *b, size_t *len) { (void)b; *len -= 10; }
static void ed_data_off_past(uint8_t *b, size_t *len)
{
    (void)len;
    uint8_t *t = types_of(b);
    uint8_t *ref = t + get16(t + 2 + 6);
    put32(ref + 4, (uint32_t)ref[4] << 24 | 0xFFFFF0);
}
static void ed_data_len_past(uint8_t *b, size_t *len)
{
    (void)len;
    put32(b + get32(b), 0x7FFFFFF0);     /* the first resource's length word */
}
static void ed_ref_list_loops(uint8_t *b, size_t *len)
{
    (void)len;
    put16(types_of(b) + 2 + 8 + 6, 2);   /* type 2's references start at type 1's entry */
}
static void ed_ref_lists_shared(uint8_t *b, size_t *len)
{
    (void)len;
    uint8_t *t = types_of(b);
    put16(t + 2 + 8 + 6, get16(t + 2 + 6)); /* type 2's list is type 1's */
}
static void ed_name_past_map(uint8_t *b, size_t *len)
{
    (void)len;
    uint8_t *t = types_of(b);
    put16(t + get16(t + 2 + 6) + 2, 0xFFF0);
}
static void ed_map_len_huge(uint8_t *b, size_t *len) { (void)len; put32(b + 12, 0xFFFFFF00); }
static void ed_dup_type(uint8_t *b, size_t *len)
{
    (void)len;
    uint8_t *t = types_of(b);
    memcpy(t + 2 + 8, t + 2, 4);
}
static void ed_dup_id(uint8_t *b, size_t *len)
{
    (void)len;
    uint8_t *t = types_of(b);
    uint8_t *ref = t + get16(t + 2 + 6);
    memcpy(ref + 12, ref, 2);            /* WIND 129 becomes a second WIND 128 */
}
static void ed_type_count_huge(uint8_t *b, size_t *len) { (void)len; put16(types_of(b), 0x7FFE); }
static void ed_header_short(uint8_t *b, size_t *len) { (void)b; *len = 12; }
static void ed_data_over_map(uint8_t *b, size_t *len) { (void)len; put32(b + 8, get32(b + 8) + 8); }

static void test_malformed(const rez_fork *f)
{
    refused(f, ed_truncate_map, "truncated map");
    refused(f, ed_data_off_past, "a data offset past the end of the data");
    refused(f, ed_data_len_past, "a data length past the end of the data");
    refused(f, ed_ref_list_loops, "a reference list inside the type list");
    refused(f, ed_ref_lists_shared, "two types sharing one reference list");
    refused(f, ed_name_past_map, "a name past the end of the map");
    refused(f, ed_map_len_huge, "a map length past the end of the fork");
    refused(f, ed_dup_type, "a type listed twice");
    refused(f, ed_dup_id, "an ID listed twice");
    refused(f, ed_type_count_huge, "a type count past the map");
    refused(f, ed_header_short, "a fork shorter than its header");
    refused(f, ed_data_over_map, "data overlapping the map");
    int accepted = 0;
    for (size_t n = 0; n < f->len; n++) {
        uint8_t *exact = malloc(n ? n : 1);
        memcpy(exact, f->bytes, n);
        if (rm_check_fork(exact, (long)n, NULL) == noErr)
            accepted++;
        free(exact);
    }
    tap_ok(accepted == 0, "every one of the %zu truncations of the fork is refused (%d accepted)", f->len, accepted);

    /* Random corruption: refused, or readable end to end inside the buffer. */
    unsigned seed = 12345, refusals = 0, reads = 0;
    bool clean = true;
    long free0 = FreeMem();
    for (int round = 0; round < 3000; round++) {
        uint8_t *b = malloc(f->len);
        memcpy(b, f->bytes, f->len);
        int edits = 1 + round % 4;
        for (int e = 0; e < edits; e++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = f->len - 1 - (seed >> 8) % 200;       /* mostly the map, at the end */
            if (round % 5 == 0)
                at = (seed >> 8) % f->len;
            b[at] = (uint8_t)(seed >> 20);
        }
        if (rm_register_fork("Fuzz", b, (long)f->len, NULL) != noErr) {
            refusals++;
        } else {
            short ref = OpenResFile((const unsigned char *)"\x04" "Fuzz");
            static const char *const types[] = { "WIND", "MENU", "DLOG", "ALRT", "DITL", "CNTL", "STR ", "STR#" };
            for (int t = 0; t < 8; t++)
                for (short i = 1; i <= Count1Resources(TY(types[t])); i++) {
                    Handle h = Get1IndResource(TY(types[t]), i);
                    if (h != NULL) {
                        reads++;
                        Str255 name;
                        GetResInfo(h, NULL, NULL, name);
                        ReleaseResource(h);
                    }
                }
            CloseResFile(ref);
            rm_reset();
            clean = clean && FreeMem() == free0;
        }
        free(b);
    }
    rm_reset();
    tap_ok(clean && refusals > 0, "3000 corrupted forks: %u refused, the rest read (%u resources) and closed cleanly",
           refusals, reads);
}

/* Two files in the chain: search order, Get1 versus Get, counts, indexes. */
static void test_chain(const rez_fork *sys)
{
    static const char extra_r[] =
        "resource 'WIND' (128, \"Other\") { {1, 2, 3, 4}, documentProc, invisible, noGoAway, 7, \"Other\" };\n"
        "resource 'STR ' (500) { \"only here\" };\n";
    rez_unit u;
    rez_fork f;
    if (!compile(extra_r, &u, &f)) {
        tap_ok(false, "the second fork compiles");
        return;
    }
    rez_free_unit(&u);
    short sysref = OpenResFile((const unsigned char *)"\x06System");
    TAP_EQ(rm_register_fork("Extra", f.bytes, (long)f.len, NULL), noErr, "a second fork registers");
    short xref = OpenResFile((const unsigned char *)"\x05" "extra");
    tap_ok(xref > 0 && xref != sysref && CurResFile() == xref, "OpenResFile: names compared without case; the new file is current");
    Handle w = GetResource(TY("WIND"), 128);
    tap_ok(w && HomeResFile(w) == xref && GetHandleSize(w) == 24, "GetResource finds the newest file's WIND 128 first");
    tap_ok(Get1Resource(TY("STR "), 128) == NULL && ResError() == resNotFound, "Get1Resource looks in the current file only");
    Handle s = GetResource(TY("STR "), 128);
    tap_ok(s && HomeResFile(s) == sysref, "GetResource goes on down the chain");
    tap_ok(CountResources(TY("WIND")) == 4 && Count1Resources(TY("WIND")) == 1, "CountResources over the chain, Count1Resources one file");
    Handle seen[4] = { 0 };
    bool distinct = true;
    for (short i = 1; i <= 4; i++) {
        seen[i - 1] = GetIndResource(TY("WIND"), i);
        for (short j = 0; j < i - 1; j++)
            distinct = distinct && seen[j] != seen[i - 1];
        distinct = distinct && seen[i - 1] != NULL;
    }
    tap_ok(distinct && GetIndResource(TY("WIND"), 0) == NULL && GetIndResource(TY("WIND"), 5) == NULL,
           "GetIndResource 1..4 gives four distinct resources, 0 and 5 none");
    UseResFile(sysref);
    tap_ok(CurResFile() == sysref && GetResource(TY("STR "), 500) == NULL && GetResource(TY("WIND"), 128) != w,
           "UseResFile(System): the newer file is out of the search");
    tap_ok(OpenResFile((const unsigned char *)"\x07Missing") == -1 && ResError() == resFNotFound, "OpenResFile of an unknown name: resFNotFound");
    CloseResFile(xref);
    tap_ok(ResError() == noErr && CurResFile() == sysref && HomeResFile(seen[0]) == -1 && HomeResFile(s) == sysref,
           "CloseResFile releases the file's resources and keeps the others");
    CloseResFile(sysref);
    (void)sys;
    rm_reset();
    rez_free_fork(&f);
}

int main(void)
{
    tap_ok(mt_install(512 << 10, 8 << 20, 0), "zones installed");
    MaxApplZone();
    size_t len = 0;
    char *text = host_read_file(SYSTEM_R_PATH, &len);
    tap_ok(text != NULL, "System.r read");
    if (text == NULL)
        return tap_done();
    rez_unit u;
    rez_fork f;
    bool ok = compile(text, &u, &f);
    free(text);
    tap_ok(ok, "System.r compiles");
    if (!ok)
        return tap_done();
    Handle hs[64];
    for (int i = 0; i < 64; i++)
        hs[i] = NewEmptyHandle();
    for (int i = 0; i < 64; i++)
        DisposeHandle(hs[i]);
    long free0 = FreeMem(), sys0 = FreeMemSys();
    TAP_EQ(rm_register_fork("System", f.bytes, (long)f.len, NULL), noErr, "the System fork passes the check and registers");
    short ref = OpenResFile((const unsigned char *)"\x06System");
    tap_ok(ref > 0, "OpenResFile(System)");
    test_round_trip(&u, ref);
    test_templates(&u);
    CloseResFile(ref);
    test_rez_errors();
    test_chain(&f);
    test_malformed(&f);
    TAP_EQ(rm_register_fork("System", f.bytes, (long)f.len, NULL), noErr, "System registered again for the KTAP suite");
    TAP_EQ(rm_run_tests(), 0, "the ResourceMgr KTAP suite passes on the host");
    rm_reset();
    TAP_EQ(FreeMem(), free0, "FreeMem is back where it began");
    TAP_EQ(FreeMemSys(), sys0, "FreeMemSys is back where it began");
    tap_ok(mt_ok(GetZone()) && mt_ok(SystemZone()), "heap checks clean");
    rez_free_unit(&u);
    rez_free_fork(&f);
    return tap_done();
}
