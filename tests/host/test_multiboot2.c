/*
 * test_multiboot2.c - host tests for the multiboot2 parser (src/multiboot2.c).
 *
 * Every case builds an information block by hand in an 8-byte aligned
 * buffer (the tb_* helpers below), parses it, and checks exact values:
 * the status for malformed blocks, the extracted fields for good ones, and
 * the normalized ranges (sorted, merged, reserved holes, page trimming).
 * A final seeded mutation loop feeds corrupted blocks and checks that any
 * block that parses still yields ranges obeying the normalization rules.
 */
#define _POSIX_C_SOURCE 200809L /* fileno, dup, dup2 */

#include "multiboot2.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"

#define MAGIC MB2_BOOTLOADER_MAGIC
#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define TiB (1ull << 40)

/* ---- the block builder --------------------------------------------------- */

enum { TB_CAP = 16384 };

typedef struct tb {
    _Alignas(8) unsigned char buf[TB_CAP + 16];
    uint32_t len;
    uint32_t tag;   /* offset of the open tag */
} tb;

static tb g_tb;
static mb2_info g_info;

static void tb_put(tb *b, const void *p, size_t n)
{
    if (b->len + n > TB_CAP) {
        fprintf(stderr, "tb: test block overflow\n");
        exit(2);
    }
    memcpy(b->buf + b->len, p, n);
    b->len += (uint32_t)n;
}

static void tb_put32(tb *b, uint32_t v) { tb_put(b, &v, 4); }
static void tb_put64(tb *b, uint64_t v) { tb_put(b, &v, 8); }
static void tb_put8(tb *b, uint8_t v) { tb_put(b, &v, 1); }

static void tb_set32(tb *b, uint32_t at, uint32_t v)
{
    memcpy(b->buf + at, &v, 4);
}

static tb *tb_init(void)
{
    memset(&g_tb, 0xCC, sizeof g_tb);
    g_tb.len = 8;
    return &g_tb;
}

static void tb_open(tb *b, uint32_t type)
{
    while (b->len & 7)
        tb_put8(b, 0xAB);
    b->tag = b->len;
    tb_put32(b, type);
    tb_put32(b, 0);
}

/* Writes the tag's true size; tb_close_as() lies about it. */
static void tb_close(tb *b) { tb_set32(b, b->tag + 4, b->len - b->tag); }
static void tb_close_as(tb *b, uint32_t size) { tb_set32(b, b->tag + 4, size); }

static void tb_end(tb *b)
{
    tb_open(b, 0);
    tb_close(b);
}

static const void *tb_finish(tb *b)
{
    tb_set32(b, 0, b->len);
    tb_set32(b, 4, 0);
    return b->buf;
}

typedef struct ent {
    uint64_t base, len;
    uint32_t type;
} ent;

/* A memory-map tag; bytes beyond the 24 the spec defines are junk padding. */
static void tb_mmap(tb *b, uint32_t esize, const ent *e, size_t n)
{
    tb_open(b, 6);
    tb_put32(b, esize);
    tb_put32(b, 0);
    for (size_t i = 0; i < n; i++) {
        tb_put64(b, e[i].base);
        tb_put64(b, e[i].len);
        tb_put32(b, e[i].type);
        tb_put32(b, 0);
        for (uint32_t k = 24; k < esize; k++)
            tb_put8(b, 0xEE);
    }
    tb_close(b);
}

static void tb_meminfo(tb *b, uint32_t lower, uint32_t upper)
{
    tb_open(b, 4);
    tb_put32(b, lower);
    tb_put32(b, upper);
    tb_close(b);
}

static void tb_string(tb *b, uint32_t type, const char *s)
{
    tb_open(b, type);
    tb_put(b, s, strlen(s) + 1);
    tb_close(b);
}

static void tb_module(tb *b, uint32_t start, uint32_t end, const char *s)
{
    tb_open(b, 3);
    tb_put32(b, start);
    tb_put32(b, end);
    tb_put(b, s, strlen(s) + 1);
    tb_close(b);
}

static void tb_unknown(tb *b, uint32_t type, uint32_t payload)
{
    tb_open(b, type);
    for (uint32_t i = 0; i < payload; i++)
        tb_put8(b, (uint8_t)(0x5A ^ i));
    tb_close(b);
}

/* A block holding just one memory map and the end tag. */
static const void *tb_map_only(const ent *e, size_t n)
{
    tb *b = tb_init();
    tb_mmap(b, 24, e, n);
    tb_end(b);
    return tb_finish(b);
}

static mb2_status parse(const void *blk)
{
    return mb2_parse(MAGIC, blk, &g_info);
}

static size_t ranges(mb2_range *r, size_t max)
{
    return mb2_available_ranges(&g_info, r, max);
}

/* Checks the normalized ranges against an expected list. */
static void expect_ranges(const char *what, const mb2_range *want, size_t n)
{
    mb2_range got[32];
    size_t g = ranges(got, 32);
    TAP_EQ(g, n, "%s: %zu ranges", what, n);
    for (size_t i = 0; i < n && i < g; i++) {
        if (!tap_ok(got[i].base == want[i].base && got[i].length == want[i].length,
                    "%s: range %zu is [0x%llx, +0x%llx)", what, i,
                    (unsigned long long)want[i].base, (unsigned long long)want[i].length))
            tap_diag("  got [0x%llx, +0x%llx)", (unsigned long long)got[i].base,
                     (unsigned long long)got[i].length);
    }
}

/* ---- header-level errors ----------------------------------------------- */

static void test_header_errors(void)
{
    static const ent one[] = { { 0, 640 * KiB, 1 } };
    const void *blk = tb_map_only(one, 1);

    TAP_EQ(mb2_parse(MAGIC, NULL, &g_info), MB2_ERR_NULL, "NULL info is refused");
    TAP_EQ(mb2_parse(MAGIC, blk, NULL), MB2_ERR_NULL, "NULL out is refused");
    TAP_EQ(mb2_parse(0x2BADB002u, blk, &g_info), MB2_ERR_BAD_MAGIC, "multiboot1 magic is refused");
    TAP_EQ(g_info.mmap_count, 0, "a refused block leaves out zeroed");
    TAP_EQ(parse(blk), MB2_OK, "the same block with the right magic parses");

    /* Same content one word further on: well-formed but misaligned. */
    static _Alignas(8) unsigned char shifted[256];
    memcpy(shifted + 4, blk, 64);
    TAP_EQ(parse(shifted + 4), MB2_ERR_MISALIGNED, "misaligned info pointer is refused");

    tb *b = tb_init();
    tb_set32(b, 0, 8);
    TAP_EQ(parse(b->buf), MB2_ERR_TOO_SMALL, "total_size 8 is refused");
    tb_set32(b, 0, 0);
    TAP_EQ(parse(b->buf), MB2_ERR_TOO_SMALL, "total_size 0 is refused");
    tb_set32(b, 0, 15);
    TAP_EQ(parse(b->buf), MB2_ERR_TOO_SMALL, "total_size 15 is refused");
    tb_set32(b, 0, MB2_MAX_INFO_SIZE + 1);
    TAP_EQ(parse(b->buf), MB2_ERR_TOO_LARGE, "total_size above 1 MiB is refused");
    tb_set32(b, 0, 0xFFFFFFFFu);
    TAP_EQ(parse(b->buf), MB2_ERR_TOO_LARGE, "total_size 4 GiB - 1 is refused");

    /* The minimal legal block: header + end tag, but no memory information. */
    b = tb_init();
    tb_end(b);
    TAP_EQ(parse(tb_finish(b)), MB2_ERR_NO_MEMORY_INFO, "header + end tag alone: no memory info");

    bool all_named = true;
    for (int s = 0; s < MB2_STATUS_COUNT; s++)
        if (!mb2_status_text((mb2_status)s) || !mb2_status_text((mb2_status)s)[0])
            all_named = false;
    tap_ok(all_named, "every status has a text");
    tap_ok(strstr(mb2_status_text(MB2_ERR_TAG_PAST_END), "past the end") != NULL,
           "status text names the problem");
    tap_ok(strcmp(mb2_status_text((mb2_status)999), "unknown multiboot2 status") == 0,
           "an out-of-range status still has a text");
}

/* ---- tag-level errors ----------------------------------------------------- */

/* A block that would parse but for the tag the caller adds next. */
static tb *tb_with_meminfo(void)
{
    tb *b = tb_init();
    tb_meminfo(b, 640, 1024);
    return b;
}

/* Ends the block (with an end tag unless told not to) and checks the status. */
static void expect_status(tb *b, bool end_tag, mb2_status want, const char *what)
{
    if (end_tag)
        tb_end(b);
    TAP_EQ(parse(tb_finish(b)), want, "%s", what);
}

static void test_tag_errors(void)
{
    static const ent one[] = { { 0, 640 * KiB, 1 } };
    tb *b;

    b = tb_init();
    tb_mmap(b, 24, one, 1);
    uint32_t bad_at = b->len;
    tb_open(b, 77);
    tb_close_as(b, 0);
    expect_status(b, true, MB2_ERR_TAG_TOO_SMALL, "zero-sized tag is refused (no endless loop)");
    TAP_EQ(g_info.error_offset, bad_at, "error_offset names the zero-sized tag");
    TAP_EQ(g_info.error_tag, 77, "error_tag names its type");

    b = tb_with_meminfo();
    tb_open(b, 77);
    tb_close_as(b, 4);
    expect_status(b, true, MB2_ERR_TAG_TOO_SMALL, "tag of size 4 is refused");

    b = tb_with_meminfo();
    tb_open(b, 77);
    tb_put64(b, 0);
    tb_close_as(b, 4096);
    expect_status(b, true, MB2_ERR_TAG_PAST_END, "tag size running past total_size is refused");

    b = tb_init();
    tb_mmap(b, 24, one, 1);
    tb_close_as(b, 16 + 24 + 8);   /* claims a second entry: the end tag's 8 bytes */
    expect_status(b, true, MB2_ERR_TAG_TRUNCATED, "memory map ending in a partial entry is refused");

    b = tb_init();
    tb_open(b, 6);
    tb_put32(b, 24);
    tb_close(b);                   /* 12 bytes: no entry_version */
    expect_status(b, true, MB2_ERR_TAG_TRUNCATED, "memory-map tag of 12 bytes is truncated");

    b = tb_init();
    tb_open(b, 4);
    tb_put32(b, 640);
    tb_close(b);
    expect_status(b, true, MB2_ERR_TAG_TRUNCATED, "meminfo tag without mem_upper is truncated");

    b = tb_with_meminfo();
    tb_open(b, 3);
    tb_put64(b, 0x0020100000200000ull);   /* mod_start, mod_end */
    tb_close(b);
    expect_status(b, true, MB2_ERR_TAG_TRUNCATED, "module tag without its string is truncated");

    b = tb_with_meminfo();
    tb_open(b, 8);
    tb_put64(b, 0xFD000000);
    tb_put32(b, 4096);
    tb_close(b);
    expect_status(b, true, MB2_ERR_TAG_TRUNCATED, "framebuffer tag of 20 bytes is truncated");

    b = tb_with_meminfo();
    tb_open(b, 1);
    tb_close(b);
    expect_status(b, true, MB2_ERR_TAG_TRUNCATED, "command-line tag with no byte is truncated");

    b = tb_with_meminfo();
    tb_open(b, 2);
    tb_put(b, "GRUB", 4);          /* no NUL */
    tb_close(b);
    expect_status(b, true, MB2_ERR_BAD_STRING, "unterminated loader name is refused");

    b = tb_with_meminfo();
    tb_open(b, 3);
    tb_put64(b, 0x0020100000200000ull);
    tb_put(b, "mod", 3);
    tb_close(b);
    expect_status(b, true, MB2_ERR_BAD_STRING, "unterminated module string is refused");

    b = tb_with_meminfo();
    tb_module(b, 0x300000, 0x200000, "backwards");
    expect_status(b, true, MB2_ERR_BAD_MODULE, "module ending before its start is refused");

    b = tb_with_meminfo();
    expect_status(b, false, MB2_ERR_NO_END_TAG, "missing end tag is refused");

    /* The last tag's padding would step beyond total_size: still no overrun. */
    b = tb_with_meminfo();
    tb_unknown(b, 77, 1);
    expect_status(b, false, MB2_ERR_NO_END_TAG, "odd-sized last tag and no end tag is refused");

    /* Four stray bytes after the last tag: too few for another tag header. */
    b = tb_with_meminfo();
    tb_put32(b, 0);
    expect_status(b, false, MB2_ERR_NO_END_TAG, "a partial tag header is refused");
}

static void test_entry_size(void)
{
    uint32_t sizes[] = { 0, 8, 16, 20, 23 };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        tb *b = tb_init();
        tb_open(b, 6);
        tb_put32(b, sizes[i]);
        tb_put32(b, 0);
        tb_put64(b, 0x100000);
        tb_put64(b, 15 * MiB);
        tb_put32(b, 1);
        tb_put32(b, 0);
        tb_close(b);
        tb_end(b);
        TAP_EQ(parse(tb_finish(b)), MB2_ERR_MMAP_ENTRY_SIZE, "entry_size %u is refused", sizes[i]);
    }

    static const ent map[] = {
        { 0, 0x9FC00, 1 }, { 0x9FC00, 0x400, 2 }, { 0xF0000, 0x10000, 2 },
        { 0x100000, 0x7EE0000, 1 }, { 0xFFFC0000, 0x40000, 2 },
    };
    uint64_t usable[3];
    uint32_t esizes[] = { 24, 32, 40 };
    for (int k = 0; k < 3; k++) {
        tb *b = tb_init();
        tb_mmap(b, esizes[k], map, 5);
        tb_end(b);
        TAP_EQ(parse(tb_finish(b)), MB2_OK, "entry_size %u parses", esizes[k]);
        TAP_EQ(g_info.mmap_entry_size, esizes[k], "entry_size %u recorded", esizes[k]);
        TAP_EQ(g_info.mmap_count, 5, "entry_size %u: 5 entries", esizes[k]);
        TAP_EQ(g_info.mmap[3].base, 0x100000, "entry_size %u: 4th entry base", esizes[k]);
        TAP_EQ(g_info.mmap[4].type, 2, "entry_size %u: padding not read as a field", esizes[k]);
        usable[k] = mb2_usable_bytes(&g_info);
    }
    TAP_EQ(usable[0], 0x9F000 + 0x7EE0000, "entry_size 24: usable RAM (lower trimmed to pages)");
    TAP_EQ(usable[1], usable[0], "entry_size 32 gives the same usable RAM as 24");
    TAP_EQ(usable[2], usable[0], "entry_size 40 gives the same usable RAM as 24");
}

/* ---- good blocks ------------------------------------------------------------ */

static void test_full_block(void)
{
    static const ent map[] = { { 0, 0x9FC00, 1 }, { 0x100000, 127 * MiB, 1 } };
    tb *b = tb_init();
    tb_string(b, 1, "console=com1 mm=dynamic");
    tb_string(b, 2, "GRUB 2.06");
    tb_unknown(b, 21, 5);          /* odd size: the next tag is re-aligned */
    tb_meminfo(b, 639, 130048);
    tb_module(b, 0x400000, 0x401234, "initrd");
    tb_module(b, 0x402000, 0x402000, "");
    tb_unknown(b, 14, 36);         /* ACPI RSDP: not ours */
    tb_mmap(b, 24, map, 2);
    tb_open(b, 8);
    tb_put64(b, 0xFD000000);
    tb_put32(b, 4096);
    tb_put32(b, 1024);
    tb_put32(b, 768);
    tb_put8(b, 32);
    tb_put8(b, 1);
    tb_put8(b, 0);
    tb_put8(b, 0);
    tb_put(b, "\x10\x08\x08\x08\x00\x08", 6);
    tb_close(b);
    tb_unknown(b, 0xFFFFFFFFu, 0);
    tb_end(b);
    const void *blk = tb_finish(b);

    TAP_EQ(parse(blk), MB2_OK, "full block parses");
    TAP_EQ(g_info.info_addr, (uintptr_t)blk, "info_addr is the block");
    TAP_EQ(g_info.info_size, b->len, "info_size is total_size");
    tap_ok(g_info.cmdline && strcmp(g_info.cmdline, "console=com1 mm=dynamic") == 0, "command line");
    tap_ok(g_info.bootloader && strcmp(g_info.bootloader, "GRUB 2.06") == 0, "loader name");
    TAP_EQ(g_info.unknown_tags, 3, "three unknown tags skipped");
    TAP_EQ(g_info.has_meminfo, 1, "meminfo present");
    TAP_EQ(g_info.mem_lower_kib, 639, "mem_lower");
    TAP_EQ(g_info.mem_upper_kib, 130048, "mem_upper");
    TAP_EQ(g_info.has_mmap_tag, 1, "memory map present");
    TAP_EQ(g_info.mmap_from_meminfo, 0, "map not made from meminfo");
    TAP_EQ(g_info.mmap_count, 2, "two map entries");
    TAP_EQ(g_info.module_count, 2, "two modules");
    TAP_EQ(g_info.modules[0].start, 0x400000, "module 0 start");
    TAP_EQ(g_info.modules[0].end, 0x401234, "module 0 end");
    tap_ok(strcmp(g_info.modules[0].cmdline, "initrd") == 0, "module 0 string");
    tap_ok(g_info.modules[1].cmdline && g_info.modules[1].cmdline[0] == 0, "module 1 empty string");
    TAP_EQ(g_info.fb.present, 1, "framebuffer present");
    TAP_EQ(g_info.fb.addr, 0xFD000000, "framebuffer addr");
    TAP_EQ(g_info.fb.pitch, 4096, "framebuffer pitch");
    TAP_EQ(g_info.fb.width, 1024, "framebuffer width");
    TAP_EQ(g_info.fb.height, 768, "framebuffer height");
    TAP_EQ(g_info.fb.bpp, 32, "framebuffer bpp");
    TAP_EQ(g_info.fb.type, 1, "framebuffer type");
    TAP_EQ(mb2_usable_bytes(&g_info), 0x9F000 + 127 * MiB, "usable bytes");
    TAP_EQ(mb2_highest_available_address(&g_info), 128 * MiB, "highest address");
    TAP_EQ(mb2_raw_available_sum(&g_info), 0x9FC00 + 127 * MiB, "raw available sum");

    /* Bytes after the end tag inside total_size are ignored. */
    b = tb_init();
    tb_mmap(b, 24, map, 2);
    tb_end(b);
    tb_unknown(b, 6, 3);
    TAP_EQ(parse(tb_finish(b)), MB2_OK, "bytes after the end tag are ignored");
    TAP_EQ(g_info.mmap_count, 2, "...and not parsed as a second map");

    /* A second memory-map tag does not add to the first. */
    static const ent other[] = { { 4 * GiB, GiB, 1 } };
    b = tb_init();
    tb_mmap(b, 24, map, 2);
    tb_mmap(b, 24, other, 1);
    tb_end(b);
    TAP_EQ(parse(tb_finish(b)), MB2_OK, "two memory-map tags parse");
    TAP_EQ(g_info.mmap_count, 2, "the first memory-map tag wins");
    TAP_EQ(mb2_highest_available_address(&g_info), 128 * MiB, "the second map's RAM is not used");
}

static void test_meminfo_fallback(void)
{
    tb *b = tb_init();
    tb_string(b, 2, "old loader");
    tb_meminfo(b, 639, 31 * 1024);
    tb_end(b);
    TAP_EQ(parse(tb_finish(b)), MB2_OK, "no memory map but meminfo: parses");
    TAP_EQ(g_info.mmap_from_meminfo, 1, "map made from meminfo");
    TAP_EQ(g_info.has_mmap_tag, 0, "no memory-map tag recorded");
    TAP_EQ(g_info.mmap_count, 2, "two synthetic entries");
    TAP_EQ(g_info.mmap[0].base, 0, "lower entry base");
    TAP_EQ(g_info.mmap[0].length, 639 * KiB, "lower entry length");
    TAP_EQ(g_info.mmap[1].base, MiB, "upper entry base");
    TAP_EQ(g_info.mmap[1].length, 31 * MiB, "upper entry length");
    mb2_range want[] = { { 0, 636 * KiB }, { MiB, 31 * MiB } };
    expect_ranges("meminfo fallback", want, 2);
    TAP_EQ(mb2_highest_available_address(&g_info), 32 * MiB, "fallback: highest address");

    /* A bogus mem_lower beyond 640 KiB must not cover the ROM area. */
    b = tb_init();
    tb_meminfo(b, 4096, 0);
    tb_end(b);
    TAP_EQ(parse(tb_finish(b)), MB2_OK, "huge mem_lower parses");
    TAP_EQ(g_info.mmap_count, 1, "zero mem_upper adds no entry");
    TAP_EQ(mb2_highest_available_address(&g_info), 640 * KiB, "mem_lower capped at 640 KiB");

    /* A memory-map tag with no entries counts as missing. */
    b = tb_init();
    tb_mmap(b, 24, NULL, 0);
    tb_meminfo(b, 512, 1024);
    tb_end(b);
    TAP_EQ(parse(tb_finish(b)), MB2_OK, "empty memory map + meminfo parses");
    TAP_EQ(g_info.mmap_from_meminfo, 1, "empty map falls back to meminfo");
    TAP_EQ(mb2_usable_bytes(&g_info), 512 * KiB + MiB, "fallback usable bytes");

    b = tb_init();
    tb_mmap(b, 24, NULL, 0);
    tb_end(b);
    TAP_EQ(parse(tb_finish(b)), MB2_ERR_NO_MEMORY_INFO, "empty map and no meminfo is refused");
}

/* ---- normalization ----------------------------------------------------------- */

static void test_normalize(void)
{
    /* Unsorted, overlapping, adjacent and zero-length available entries. */
    static const ent messy[] = {
        { 0x800000, 0x100000, 1 },   /* [8M, 9M) */
        { 0x100000, 0x200000, 1 },   /* [1M, 3M) */
        { 0x200000, 0x200000, 1 },   /* [2M, 4M): overlaps the previous */
        { 0x400000, 0x100000, 1 },   /* [4M, 5M): adjacent to it */
        { 0x600000, 0, 1 },          /* zero length */
        { 0x700000, 0, 2 },          /* zero-length reserved claims nothing */
        { 0x880000, 0x100000, 1 },   /* [8.5M, 9.5M): overlaps [8M, 9M) */
    };
    TAP_EQ(parse(tb_map_only(messy, 7)), MB2_OK, "messy map parses");
    TAP_EQ(g_info.mmap_count, 7, "raw entries all kept (zero-length too)");
    mb2_range want1[] = { { 0x100000, 0x400000 }, { 0x800000, 0x180000 } };
    expect_ranges("merge", want1, 2);
    TAP_EQ(mb2_raw_available_sum(&g_info), 0x700000, "raw sum counts overlaps twice");
    TAP_EQ(mb2_usable_bytes(&g_info), 0x580000, "usable bytes count them once");
    TAP_EQ(mb2_range_count(&g_info), 2, "range count");

    /* Reserved punching holes; reserved wins over available, whatever the order. */
    static const ent holes[] = {
        { 0x100000, 0x1000000, 1 },        /* [1M, 17M) */
        { 0x300000, 0x100000, 2 },         /* [3M, 4M) reserved hole */
        { 0x1000000, 0x200000, 3 },        /* [16M, 18M) ACPI: clips the end */
        { 0x80000, 0x100000, 4 },          /* [512K, 1.5M) NVS: clips the start */
        { 0x500800, 0x1000, 5 },           /* bad RAM not page aligned: takes two pages */
    };
    TAP_EQ(parse(tb_map_only(holes, 5)), MB2_OK, "map with holes parses");
    mb2_range want2[] = {
        { 0x180000, 0x180000 }, { 0x400000, 0x100000 }, { 0x502000, 0xAFE000 },
    };
    expect_ranges("holes", want2, 3);
    TAP_EQ(mb2_highest_available_address(&g_info), 0x1000000, "highest address after clipping");

    /* Page trimming. */
    static const ent trim[] = {
        { 0x1001, 0x4FFE, 1 },           /* [0x1001, 0x5fff) -> [0x2000, 0x5000) */
        { 0x10000, 0xFFF, 1 },           /* under a page: dropped */
        { 0x20800, 0x800, 1 },           /* [0x20800, 0x21000) and */
        { 0x21000, 0x800, 1 },           /* [0x21000, 0x21800): merge, still no full page */
        { 0x30800, 0x800, 1 },           /* [0x30800, 0x31000) and */
        { 0x31000, 0x1800, 1 },          /* [0x31000, 0x32800) -> [0x31000, 0x32000) */
        { 0x40000, 0x1000, 1 },          /* two half pages made whole by merging */
        { 0x41000, 0x800, 1 },
        { 0x41800, 0x800, 1 },
    };
    TAP_EQ(parse(tb_map_only(trim, 9)), MB2_OK, "trim map parses");
    mb2_range want3[] = { { 0x2000, 0x3000 }, { 0x31000, 0x1000 }, { 0x40000, 0x2000 } };
    expect_ranges("trim", want3, 3);

    /* Above 4 GiB, including an entry whose end would wrap. */
    static const ent high[] = {
        { 0x100000000ull, 0x40000000ull, 1 },       /* [4G, 5G) */
        { 0x100000, 0xBFF00000ull, 1 },             /* [1M, 3G) */
        { 0x140000000ull, 0x1000, 2 },              /* reserved right after [4G, 5G) */
        { 0x140001000ull, 0x3FFFF000ull, 1 },       /* [5G+4K, 6G) */
        { 0xFFFFFFFFFFFF0000ull, 0x20000, 1 },      /* wraps: clamped to 2^64 - 1 */
    };
    TAP_EQ(parse(tb_map_only(high, 5)), MB2_OK, "map above 4 GiB parses");
    TAP_EQ(g_info.mmap[4].length, 0xFFFF, "wrapping entry clamped to the top of the address space");
    mb2_range want4[] = {
        { MiB, 3 * GiB - MiB }, { 4 * GiB, GiB }, { 5 * GiB + 0x1000, GiB - 0x1000 },
        { 0xFFFFFFFFFFFF0000ull, 0xF000 },
    };
    expect_ranges("above 4G", want4, 4);

    /* A 1 TiB machine. */
    static const ent tera[] = {
        { 0, 0x9FC00, 1 }, { 0x9FC00, 0x400, 2 }, { 0xF0000, 0x10000, 2 },
        { MiB, 3 * GiB - MiB - 128 * KiB, 1 }, { 3 * GiB - 128 * KiB, 128 * KiB, 2 },
        { 0xFEFFC000ull, 0x4000, 2 }, { 0xFFFC0000ull, 0x40000, 2 },
        { 4 * GiB, TiB - 3 * GiB, 1 }, { 0xFD00000000ull, 0x300000000ull, 2 },
    };
    TAP_EQ(parse(tb_map_only(tera, 9)), MB2_OK, "1 TiB map parses");
    uint64_t want_usable = 0x9F000 + (3 * GiB - MiB - 128 * KiB) + (TiB - 3 * GiB) - 0x300000000ull;
    TAP_EQ(mb2_usable_bytes(&g_info), want_usable, "1 TiB map: usable bytes");
    TAP_EQ(mb2_highest_available_address(&g_info), TiB + GiB, "1 TiB map: highest address");
    TAP_EQ(mb2_range_count(&g_info), 4, "1 TiB map: the reserved window splits the top range");
    TAP_EQ(mb2_raw_available_sum(&g_info), 0x9FC00 + (3 * GiB - MiB - 128 * KiB) + (TiB - 3 * GiB),
           "1 TiB map: raw sum ignores the reserved overlap");

    /* Only reserved entries, and an available entry fully inside a reserved one. */
    static const ent none[] = { { 0, 16 * MiB, 2 }, { MiB, MiB, 1 } };
    TAP_EQ(parse(tb_map_only(none, 2)), MB2_OK, "map without usable RAM parses");
    TAP_EQ(mb2_range_count(&g_info), 0, "available inside reserved is not usable");
    TAP_EQ(mb2_highest_available_address(&g_info), 0, "no usable RAM: highest address 0");
    TAP_EQ(mb2_raw_available_sum(&g_info), MiB, "raw sum still lists it");
}

static void test_output_capacity(void)
{
    static const ent map[] = { { 0, 64 * KiB, 1 }, { MiB, MiB, 1 }, { 4 * MiB, MiB, 1 } };
    TAP_EQ(parse(tb_map_only(map, 3)), MB2_OK, "three-range map parses");
    mb2_range out[4];
    memset(out, 0x77, sizeof out);
    TAP_EQ(mb2_available_ranges(&g_info, out, 2), 2, "max 2 writes 2");
    TAP_EQ(out[1].base, MiB, "second range written");
    TAP_EQ(out[2].base, 0x7777777777777777ull, "third slot untouched");
    TAP_EQ(mb2_available_ranges(&g_info, NULL, 0), 0, "NULL out with max 0");
    TAP_EQ(mb2_available_ranges(NULL, out, 4), 0, "NULL info gives no ranges");
    TAP_EQ(mb2_usable_bytes(NULL), 0, "NULL info: usable 0");
}

static void test_many_entries(void)
{
    enum { N = 200 };
    static ent map[N + 1];
    for (int i = 0; i < N; i++)
        map[i] = (ent){ (uint64_t)i * 2 * MiB, MiB, 1 };
    /* Listed last, beyond capacity: a reserved claim over entry 3. */
    map[N] = (ent){ 6 * MiB, MiB, 2 };
    tb *b = tb_init();
    tb_mmap(b, 32, map, N + 1);
    tb_end(b);
    TAP_EQ(parse(tb_finish(b)), MB2_OK, "201-entry map parses");
    TAP_EQ(g_info.mmap_count, MB2_MAX_MMAP, "capacity entries copied for the log");
    TAP_EQ(g_info.mmap_dropped, N + 1 - MB2_MAX_MMAP, "the rest counted as not printed");
    TAP_EQ(mb2_entry_count(&g_info), N + 1, "every entry is still used");
    TAP_EQ(g_info.mmap[MB2_MAX_MMAP - 1].type, 1, "the copy is the first entries, nothing displaced");
    TAP_EQ(mb2_range_count(&g_info), N - 1, "ranges: every available entry minus the reserved one");
    TAP_EQ(mb2_usable_bytes(&g_info), (uint64_t)(N - 1) * MiB, "usable bytes");
    mb2_range r[8];
    mb2_available_ranges(&g_info, r, 8);
    TAP_EQ(r[3].base, 8 * MiB, "the reserved claim removed [6M, 7M)");
}

/* ---- the boot log ------------------------------------------------------------- */

static size_t capture_print(char *buf, size_t cap)
{
    fflush(stdout);
    FILE *tmp = tmpfile();
    int saved = dup(1);
    if (!tmp || saved < 0)
        return 0;
    dup2(fileno(tmp), 1);
    mb2_print(&g_info);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    rewind(tmp);
    size_t n = fread(buf, 1, cap - 1, tmp);
    buf[n] = 0;
    fclose(tmp);
    return n;
}

static void test_print(void)
{
    static const ent map[] = {
        { 0, 0x9FC00, 1 }, { 0xF0000, 0x10000, 2 }, { MiB, 127 * MiB, 1 },
        { 0xFEFFC000ull, 0x4000, 4 }, { 0x100000000ull, GiB, 1 }, { 0xFFFC0000ull, 0x40000, 3 },
        { 0x200000000ull, MiB, 5 }, { 0x300000000ull, MiB, 9 },
    };
    static char out[8192];
    TAP_EQ(parse(tb_map_only(map, 8)), MB2_OK, "print map parses");
    tap_ok(capture_print(out, sizeof out) > 0, "mb2_print wrote something");
    tap_ok(strstr(out, "mb2: mmap 0x0000000000000000-0x000000000009fc00 type 1 (available)\n") != NULL,
           "first entry line");
    tap_ok(strstr(out, "mb2: mmap 0x00000000000f0000-0x0000000000100000 type 2 (reserved)\n") != NULL,
           "reserved entry line");
    tap_ok(strstr(out, "mb2: mmap 0x0000000100000000-0x0000000140000000 type 1 (available)\n") != NULL,
           "entry above 4 GiB");
    tap_ok(strstr(out, "type 3 (acpi)") && strstr(out, "type 4 (nvs)") && strstr(out, "type 5 (bad)") &&
               strstr(out, "type 9 (unknown)"),
           "every type named");
    char want[128];
    uint64_t usable = 0x9F000 + 127 * MiB + GiB;
    snprintf(want, sizeof want, "mb2: usable RAM %llu bytes (%llu MiB) in 3 ranges\n",
             (unsigned long long)usable, (unsigned long long)(usable >> 20));
    if (!tap_ok(strstr(out, want) != NULL, "summary line"))
        tap_diag("output was:\n%s", out);
}

/* ---- the framebuffer tag ------------------------------------------------------ */

typedef struct fbspec {
    uint64_t addr;
    uint32_t pitch, width, height;
    uint8_t bpp, type;
    uint8_t chan[6];        /* red pos, size, green pos, size, blue pos, size */
    uint32_t cut;           /* bytes dropped from the tag's end (a lying size) */
} fbspec;

/* A block with meminfo and one framebuffer tag as described by *f. */
static const void *tb_with_fb(const fbspec *f)
{
    tb *b = tb_init();
    tb_meminfo(b, 639, 130048);
    tb_open(b, 8);
    tb_put64(b, f->addr);
    tb_put32(b, f->pitch);
    tb_put32(b, f->width);
    tb_put32(b, f->height);
    tb_put8(b, f->bpp);
    tb_put8(b, f->type);
    tb_put8(b, 0);
    tb_put8(b, 0);
    if (f->type == 1)
        tb_put(b, f->chan, 6);
    else if (f->type == 0)
        tb_put32(b, 0);   /* an empty palette */
    uint32_t size = b->len - b->tag - f->cut;
    tb_close_as(b, size);
    b->len = b->tag + size;
    tb_end(b);
    return tb_finish(b);
}

static const fbspec FB_QEMU = {
    0xFD000000, 4096, 1024, 768, 32, 1, { 16, 8, 8, 8, 0, 8 }, 0,
};

/* Parses *f and returns the reason (NULL = usable); fails the test if it does not parse. */
static const char *fb_reason(const fbspec *f, const char *what)
{
    mb2_status st = parse(tb_with_fb(f));
    if (st != MB2_OK) {
        tap_ok(false, "%s: parses (got %s)", what, mb2_status_text(st));
        return "did not parse";
    }
    return mb2_fb_unusable_reason(&g_info.fb);
}

static void fb_expect_unusable(fbspec f, const char *want, const char *what)
{
    const char *r = fb_reason(&f, what);
    if (!tap_ok(r && strcmp(r, want) == 0, "%s: unusable, \"%s\"", what, want))
        tap_diag("  got \"%s\"", r ? r : "(usable)");
}

static void test_framebuffer(void)
{
    fbspec f = FB_QEMU;
    tap_ok(fb_reason(&f, "QEMU's 1024x768x32") == NULL, "QEMU's 1024x768x32 xRGB is usable");
    TAP_EQ(g_info.fb.red.pos, 16, "red at bit 16");
    TAP_EQ(g_info.fb.green.pos, 8, "green at bit 8");
    TAP_EQ(g_info.fb.blue.pos, 0, "blue at bit 0");
    TAP_EQ(g_info.fb.blue.size, 8, "blue 8 bits");
    TAP_EQ(mb2_fb_bytes(&g_info.fb), 4096 * 768, "spans pitch * height");

    f = FB_QEMU;
    f.addr = 0x800000000ull;
    f.pitch = 5120;
    f.width = 1280;
    f.height = 1024;
    memcpy(f.chan, (uint8_t[]){ 0, 8, 8, 8, 16, 8 }, 6);
    tap_ok(fb_reason(&f, "BGR above 4 GiB") == NULL, "a BGR framebuffer above 4 GiB is usable");

    /* The tag's own shape: too short for the RGB channels is truncated. */
    f = FB_QEMU;
    f.cut = 1;
    TAP_EQ(parse(tb_with_fb(&f)), MB2_ERR_TAG_TRUNCATED, "RGB tag one byte short of its channels is truncated");
    TAP_EQ(g_info.fb.present, 0, "...and nothing of it is kept");
    f.cut = 6;
    TAP_EQ(parse(tb_with_fb(&f)), MB2_ERR_TAG_TRUNCATED, "RGB tag without channels is truncated");
    f = (fbspec){ 0xB8000, 160, 80, 25, 16, 2, { 0 }, 0 };
    fb_expect_unusable(f, "text mode", "EGA text (what GRUB passes in text mode)");
    TAP_EQ(g_info.fb.red.size, 0, "text mode has no channels");

    /* Well-formed tags that cannot be drawn on. */
    f = (fbspec){ 0xFD000000, 1024, 1024, 768, 8, 0, { 0 }, 0 };
    fb_expect_unusable(f, "not direct RGB", "8-bit indexed");
    f = FB_QEMU;
    f.type = 7;
    fb_expect_unusable(f, "not direct RGB", "unknown type");
    f = FB_QEMU;
    f.bpp = 24;
    f.pitch = 3072;
    fb_expect_unusable(f, "not 32 bits per pixel", "24 bpp");
    f = FB_QEMU;
    f.chan[1] = 5;
    fb_expect_unusable(f, "colour channels are not whole bytes", "5-bit red");
    f = FB_QEMU;
    f.chan[2] = 4;
    fb_expect_unusable(f, "colour channels are not whole bytes", "green off a byte lane");
    f = FB_QEMU;
    f.chan[4] = 32;
    fb_expect_unusable(f, "colour channels are not whole bytes", "blue past bit 31");
    f = FB_QEMU;
    f.chan[4] = 16;
    fb_expect_unusable(f, "colour channels overlap", "blue on red's byte");
    f = FB_QEMU;
    f.width = 0;
    fb_expect_unusable(f, "width or height out of range", "zero width");
    f = FB_QEMU;
    f.height = 0;
    fb_expect_unusable(f, "width or height out of range", "zero height");
    f = FB_QEMU;
    f.width = 0x40000001;
    f.pitch = 4;
    fb_expect_unusable(f, "width or height out of range", "width whose byte count wraps 32 bits");
    f = FB_QEMU;
    f.pitch = 4092;
    fb_expect_unusable(f, "pitch too small or not a multiple of 4", "pitch below width * 4");
    f = FB_QEMU;
    f.pitch = 4098;
    fb_expect_unusable(f, "pitch too small or not a multiple of 4", "pitch not a multiple of 4");
    f = FB_QEMU;
    f.addr = 0xFD000002;
    fb_expect_unusable(f, "address is 0 or not 4-byte aligned", "misaligned address");
    f = FB_QEMU;
    f.addr = 0;
    fb_expect_unusable(f, "address is 0 or not 4-byte aligned", "address 0");
    f = FB_QEMU;
    f.addr = (1ull << 48) - 4096;
    fb_expect_unusable(f, "extends past physical address space", "runs past 48-bit physical space");
    f = FB_QEMU;
    f.addr = UINT64_MAX - 3;
    fb_expect_unusable(f, "extends past physical address space", "address near 2^64");
    f = FB_QEMU;
    f.addr = 0xFFFF00000000ull;
    f.pitch = 0xFFFFFFFCu;
    f.height = 16384;
    fb_expect_unusable(f, "extends past physical address space", "pitch * height past physical space");

    mb2_framebuffer none = { 0 };
    tap_ok(strcmp(mb2_fb_unusable_reason(&none), "no framebuffer tag") == 0, "no tag: unusable");
    tap_ok(strcmp(mb2_fb_unusable_reason(NULL), "no framebuffer tag") == 0, "NULL: unusable");
    TAP_EQ(mb2_fb_bytes(&none), 0, "no tag spans no bytes");
}

/* ---- corrupted blocks -------------------------------------------------------- */

static uint64_t g_rng = 0x9E3779B97F4A7C15ull;

static uint64_t rng(void)
{
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 7;
    g_rng ^= g_rng << 17;
    return g_rng;
}

/* Ranges must be page aligned, sorted, non-adjacent, inside available entries. */
static bool ranges_sane(void)
{
    mb2_range r[MB2_MAX_MMAP * 2];
    size_t n = mb2_available_ranges(&g_info, r, MB2_MAX_MMAP * 2);
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        if ((r[i].base | r[i].length) & 0xFFF || r[i].length == 0)
            return false;
        if (i && r[i].base <= r[i - 1].base + r[i - 1].length)
            return false;
        bool inside = false;
        for (size_t k = 0; k < g_info.mmap_count; k++) {
            const mb2_mmap_entry *e = &g_info.mmap[k];
            if (e->type == 1 && e->base <= r[i].base && r[i].base < e->base + e->length)
                inside = true;
            if (e->type != 1 && e->length && e->base < r[i].base + r[i].length &&
                r[i].base < e->base + e->length)
                return false;
        }
        if (!inside)
            return false;
        sum += r[i].length;
    }
    return sum == mb2_usable_bytes(&g_info) && n == mb2_range_count(&g_info);
}

static void test_mutations(void)
{
    static const ent map[] = {
        { 0, 0x9FC00, 1 }, { 0x9F000, 0x2000, 2 }, { MiB, 63 * MiB, 1 }, { 32 * MiB, 8 * MiB, 1 },
        { 40 * MiB + 0x800, MiB, 3 }, { 4 * GiB, GiB, 1 },
    };
    int parsed = 0, refused = 0, insane = 0;
    for (int round = 0; round < 3000; round++) {
        tb *b = tb_init();
        tb_string(b, 1, "x");
        tb_meminfo(b, 640, 65536);
        tb_mmap(b, 24 + 8 * (uint32_t)(rng() % 3), map, 6);
        tb_module(b, 0x500000, 0x600000, "m");
        tb_end(b);
        tb_finish(b);
        int flips = 1 + (int)(rng() % 4);
        for (int f = 0; f < flips; f++)
            b->buf[rng() % b->len] ^= (unsigned char)(1u << (rng() % 8));
        /* The parser must trust total_size; keep it within our buffer. */
        uint32_t total;
        memcpy(&total, b->buf, 4);
        if (total > b->len)
            tb_set32(b, 0, b->len - (uint32_t)(rng() % 24));
        if (parse(b->buf) == MB2_OK) {
            parsed++;
            if (!ranges_sane())
                insane++;
        } else {
            refused++;
        }
    }
    tap_diag("mutations: %d parsed, %d refused", parsed, refused);
    TAP_EQ(insane, 0, "every corrupted block that parses gives sane ranges");
    tap_ok(parsed > 0 && refused > 0, "mutations hit both outcomes");
}

int main(void)
{
    test_header_errors();
    test_tag_errors();
    test_entry_size();
    test_full_block();
    test_meminfo_fallback();
    test_normalize();
    test_output_capacity();
    test_many_entries();
    test_print();
    test_framebuffer();
    test_mutations();
    return tap_done();
}
