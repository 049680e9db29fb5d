/*
 * multiboot2.c - the multiboot2 information parser and the usable-RAM view.
 *
 * Parsing trusts nothing in the block: every read stays inside
 * [info, info + total_size), every tag advances the walk by at least 8
 * bytes, and fields are read byte-wise (no alignment assumption beyond the
 * block's own). The walk stops at the end tag; running out of tags first is
 * an error, never a read past the block.
 *
 * Normalization works on the raw map without allocating: the entries' start
 * and end points cut the address space into elementary pieces whose status
 * is constant; a piece is usable when some available entry covers it and no
 * other entry does (a reserved claim always wins). Runs of usable pieces are
 * merged, then trimmed to whole pages. All of it is O(n^2) in the number of
 * entries (n <= MB2_MAX_MMAP), which is nothing at boot.
 */
#include "multiboot2.h"

#include "lib/kprintf.h"
#include "lib/kstring.h"

enum {
    MB2_TAG_END = 0,
    MB2_TAG_CMDLINE = 1,
    MB2_TAG_BOOTLOADER = 2,
    MB2_TAG_MODULE = 3,
    MB2_TAG_MEMINFO = 4,
    MB2_TAG_MMAP = 6,
    MB2_TAG_FRAMEBUFFER = 8,
};

/* Smallest legal size of each tag we read: header plus its fixed fields. */
enum {
    MB2_TAG_HDR = 8,
    MB2_MEMINFO_MIN = 16,   /* + mem_lower, mem_upper */
    MB2_MMAP_HDR = 16,      /* + entry_size, entry_version */
    MB2_MODULE_MIN = 17,    /* + mod_start, mod_end, at least the NUL */
    MB2_STRING_MIN = 9,     /* + at least the NUL */
    MB2_FB_MIN = 30,        /* + addr, pitch, width, height, bpp, type */
    MB2_FB_RGB_MIN = 38,    /* + reserved u16, then 3 x (position, mask size) */
};

#define MB2_FB_MAX_SIDE 16384u
#define MB2_PHYS_LIMIT (1ull << 48)

#define MB2_PAGE 4096ull
#define MB2_ONE_MIB (1ull << 20)
#define MB2_LOWER_MAX_KIB 640u

/* ---- byte-wise field readers ------------------------------------------- */

static uint32_t mb2_rd32(const unsigned char *p)
{
    uint32_t v;
    nk_memcpy(&v, p, sizeof v);
    return v;
}

static uint64_t mb2_rd64(const unsigned char *p)
{
    uint64_t v;
    nk_memcpy(&v, p, sizeof v);
    return v;
}

/* The string at tag[from..size) if it ends inside the tag, else NULL. */
static const char *mb2_string(const unsigned char *tag, uint32_t from, uint32_t size)
{
    for (uint32_t i = from; i < size; i++)
        if (tag[i] == 0)
            return (const char *)(tag + from);
    return NULL;
}

/* ---- the raw map --------------------------------------------------------- */

static uint64_t map_end(const mb2_mmap_entry *e)
{
    return e->base + e->length;
}

static mb2_mmap_entry map_make(uint64_t base, uint64_t length, uint32_t type)
{
    if (length > UINT64_MAX - base)
        length = UINT64_MAX - base;
    return (mb2_mmap_entry){ .base = base, .length = length, .type = type };
}

/* Copy one entry for the log; past MB2_MAX_MMAP it is only counted (it is
 * still read from the info block by everything that uses the map). */
static void map_add(mb2_info *out, uint64_t base, uint64_t length, uint32_t type)
{
    if (out->mmap_count < MB2_MAX_MMAP)
        out->mmap[out->mmap_count++] = map_make(base, length, type);
    else
        out->mmap_dropped++;
}

size_t mb2_entry_count(const mb2_info *info)
{
    return !info ? 0 : info->mmap_entries ? info->mmap_total : info->mmap_count;
}

mb2_mmap_entry mb2_entry(const mb2_info *info, size_t i)
{
    if (!info->mmap_entries)
        return info->mmap[i];
    const unsigned char *e = info->mmap_entries + i * info->mmap_entry_size;
    return map_make(mb2_rd64(e), mb2_rd64(e + 8), mb2_rd32(e + 16));
}

static void map_from_meminfo(mb2_info *out)
{
    uint32_t lower = out->mem_lower_kib;
    if (lower > MB2_LOWER_MAX_KIB)
        lower = MB2_LOWER_MAX_KIB;
    if (lower)
        map_add(out, 0, (uint64_t)lower << 10, MB2_MEM_AVAILABLE);
    if (out->mem_upper_kib)
        map_add(out, MB2_ONE_MIB, (uint64_t)out->mem_upper_kib << 10, MB2_MEM_AVAILABLE);
    out->mmap_from_meminfo = true;
}

/* ---- one handler per tag we use ------------------------------------------- */

static mb2_status tag_mmap(const unsigned char *tag, uint32_t size, mb2_info *out)
{
    if (size < MB2_MMAP_HDR)
        return MB2_ERR_TAG_TRUNCATED;
    uint32_t esize = mb2_rd32(tag + 8);
    if (esize < MB2_MMAP_MIN_ENTRY)
        return MB2_ERR_MMAP_ENTRY_SIZE;
    if ((size - MB2_MMAP_HDR) % esize != 0)
        return MB2_ERR_TAG_TRUNCATED;
    if (out->has_mmap_tag)
        return MB2_OK;
    out->mmap_entry_size = esize;
    out->mmap_entry_version = mb2_rd32(tag + 12);
    for (uint32_t off = MB2_MMAP_HDR; off < size; off += esize) {
        const unsigned char *e = tag + off;
        map_add(out, mb2_rd64(e), mb2_rd64(e + 8), mb2_rd32(e + 16));
    }
    out->mmap_entries = tag + MB2_MMAP_HDR;
    out->mmap_total = (size - MB2_MMAP_HDR) / esize;
    out->has_mmap_tag = out->mmap_total > 0;
    if (!out->has_mmap_tag)
        out->mmap_entries = NULL;
    return MB2_OK;
}

static mb2_status tag_meminfo(const unsigned char *tag, uint32_t size, mb2_info *out)
{
    if (size < MB2_MEMINFO_MIN)
        return MB2_ERR_TAG_TRUNCATED;
    out->has_meminfo = true;
    out->mem_lower_kib = mb2_rd32(tag + 8);
    out->mem_upper_kib = mb2_rd32(tag + 12);
    return MB2_OK;
}

static mb2_status tag_module(const unsigned char *tag, uint32_t size, mb2_info *out)
{
    if (size < MB2_MODULE_MIN)
        return MB2_ERR_TAG_TRUNCATED;
    uint32_t start = mb2_rd32(tag + 8), end = mb2_rd32(tag + 12);
    const char *cmdline = mb2_string(tag, 16, size);
    if (!cmdline)
        return MB2_ERR_BAD_STRING;
    if (end < start)
        return MB2_ERR_BAD_MODULE;
    if (out->module_count == MB2_MAX_MODULES) {
        out->modules_dropped++;
        return MB2_OK;
    }
    out->modules[out->module_count++] = (mb2_module){ start, end, cmdline };
    return MB2_OK;
}

static mb2_status tag_string(const unsigned char *tag, uint32_t size, const char **slot)
{
    if (size < MB2_STRING_MIN)
        return MB2_ERR_TAG_TRUNCATED;
    const char *s = mb2_string(tag, MB2_TAG_HDR, size);
    if (!s)
        return MB2_ERR_BAD_STRING;
    *slot = s;
    return MB2_OK;
}

/*
 * The framebuffer tag: the common fields, then for direct RGB the three
 * channels (position, mask size) after a 16-bit reserved field. An RGB tag
 * too short for its channels is truncated like any other tag; whether the
 * values make a drawable framebuffer is mb2_fb_unusable_reason()'s business.
 */
static mb2_status tag_framebuffer(const unsigned char *tag, uint32_t size, mb2_info *out)
{
    if (size < MB2_FB_MIN)
        return MB2_ERR_TAG_TRUNCATED;
    mb2_framebuffer fb = {
        .present = true,
        .addr = mb2_rd64(tag + 8),
        .pitch = mb2_rd32(tag + 16),
        .width = mb2_rd32(tag + 20),
        .height = mb2_rd32(tag + 24),
        .bpp = tag[28],
        .type = tag[29],
    };
    if (fb.type == MB2_FB_RGB) {
        if (size < MB2_FB_RGB_MIN)
            return MB2_ERR_TAG_TRUNCATED;
        fb.red = (mb2_fb_channel){ tag[32], tag[33] };
        fb.green = (mb2_fb_channel){ tag[34], tag[35] };
        fb.blue = (mb2_fb_channel){ tag[36], tag[37] };
    }
    out->fb = fb;
    return MB2_OK;
}

static mb2_status tag_handle(uint32_t type, const unsigned char *tag, uint32_t size, mb2_info *out)
{
    switch (type) {
    case MB2_TAG_CMDLINE:     return tag_string(tag, size, &out->cmdline);
    case MB2_TAG_BOOTLOADER:  return tag_string(tag, size, &out->bootloader);
    case MB2_TAG_MODULE:      return tag_module(tag, size, out);
    case MB2_TAG_MEMINFO:     return tag_meminfo(tag, size, out);
    case MB2_TAG_MMAP:        return tag_mmap(tag, size, out);
    case MB2_TAG_FRAMEBUFFER: return tag_framebuffer(tag, size, out);
    default:
        out->unknown_tags++;
        return MB2_OK;
    }
}

/* ---- the walk ------------------------------------------------------------ */

static mb2_status parse_header(uint32_t magic, const void *info, uint32_t *total)
{
    if (magic != MB2_BOOTLOADER_MAGIC)
        return MB2_ERR_BAD_MAGIC;
    if ((uintptr_t)info & 7)
        return MB2_ERR_MISALIGNED;
    *total = mb2_rd32(info);
    if (*total < 16)
        return MB2_ERR_TOO_SMALL;
    if (*total > MB2_MAX_INFO_SIZE)
        return MB2_ERR_TOO_LARGE;
    if ((uintptr_t)info > UINTPTR_MAX - *total)
        return MB2_ERR_ADDRESS_WRAP;
    return MB2_OK;
}

/* Invariant: 8 <= off <= total, and off grows by >= 8 per tag. */
static mb2_status parse_tags(const unsigned char *base, uint32_t total, mb2_info *out)
{
    uint32_t off = 8;
    for (;;) {
        if (total - off < MB2_TAG_HDR) {
            out->error_offset = off;
            out->error_tag = 0;
            return MB2_ERR_NO_END_TAG;
        }
        uint32_t type = mb2_rd32(base + off), size = mb2_rd32(base + off + 4);
        out->error_offset = off;
        out->error_tag = type;
        if (size < MB2_TAG_HDR)
            return MB2_ERR_TAG_TOO_SMALL;
        if (size > total - off)
            return MB2_ERR_TAG_PAST_END;
        if (type == MB2_TAG_END)
            return MB2_OK;
        mb2_status st = tag_handle(type, base + off, size, out);
        if (st != MB2_OK)
            return st;
        uint32_t step = (size + 7u) & ~7u;
        off = step > total - off ? total : off + step;
    }
}

static void parse_fail(mb2_info *out)
{
    uint32_t at = out->error_offset, tag = out->error_tag;
    nk_memset(out, 0, sizeof *out);
    out->error_offset = at;
    out->error_tag = tag;
}

mb2_status mb2_parse(uint32_t magic, const void *info, mb2_info *out)
{
    if (!out)
        return MB2_ERR_NULL;
    nk_memset(out, 0, sizeof *out);
    if (!info)
        return MB2_ERR_NULL;

    uint32_t total = 0;
    mb2_status st = parse_header(magic, info, &total);
    if (st == MB2_OK)
        st = parse_tags(info, total, out);
    if (st == MB2_OK && !out->has_mmap_tag) {
        out->error_offset = out->error_tag = 0;
        if (out->has_meminfo)
            map_from_meminfo(out);
        else
            st = MB2_ERR_NO_MEMORY_INFO;
    }
    if (st != MB2_OK) {
        parse_fail(out);
        return st;
    }
    out->info_addr = (uintptr_t)info;
    out->info_size = total;
    out->error_offset = out->error_tag = 0;
    return MB2_OK;
}

const char *mb2_status_text(mb2_status status)
{
    static const char *const text[MB2_STATUS_COUNT] = {
        [MB2_OK] = "ok",
        [MB2_ERR_NULL] = "no multiboot2 information (NULL pointer)",
        [MB2_ERR_BAD_MAGIC] = "wrong boot magic: not loaded by a multiboot2 loader",
        [MB2_ERR_MISALIGNED] = "information block is not 8-byte aligned",
        [MB2_ERR_TOO_SMALL] = "information block total_size below 16 bytes",
        [MB2_ERR_TOO_LARGE] = "information block total_size above 1 MiB (garbage?)",
        [MB2_ERR_ADDRESS_WRAP] = "information block wraps past the end of the address space",
        [MB2_ERR_TAG_TOO_SMALL] = "a tag's size is below 8 bytes",
        [MB2_ERR_TAG_PAST_END] = "a tag runs past the end of the information block",
        [MB2_ERR_TAG_TRUNCATED] = "a tag is too short for its own fields",
        [MB2_ERR_MMAP_ENTRY_SIZE] = "memory-map entry_size below 24 bytes",
        [MB2_ERR_BAD_STRING] = "a string is not NUL-terminated inside its tag",
        [MB2_ERR_BAD_MODULE] = "a module ends before it starts",
        [MB2_ERR_NO_END_TAG] = "no end tag before the end of the information block",
        [MB2_ERR_NO_MEMORY_INFO] = "neither a memory map nor basic meminfo was passed",
    };
    if ((unsigned)status >= MB2_STATUS_COUNT)
        return "unknown multiboot2 status";
    return text[status];
}

const char *mb2_mem_type_name(uint32_t type)
{
    switch (type) {
    case MB2_MEM_AVAILABLE:        return "available";
    case MB2_MEM_RESERVED:         return "reserved";
    case MB2_MEM_ACPI_RECLAIMABLE: return "acpi";
    case MB2_MEM_NVS:              return "nvs";
    case MB2_MEM_BAD:              return "bad";
    default:                       return "unknown";
    }
}

/* ---- the framebuffer ------------------------------------------------------- */

static bool fb_channel_is_byte(mb2_fb_channel c)
{
    return c.size == 8 && c.pos % 8 == 0 && c.pos <= 24;
}

uint64_t mb2_fb_bytes(const mb2_framebuffer *fb)
{
    if (!fb || !fb->present)
        return 0;
    return (uint64_t)fb->pitch * fb->height;
}

const char *mb2_fb_unusable_reason(const mb2_framebuffer *fb)
{
    if (!fb || !fb->present)
        return "no framebuffer tag";
    if (fb->type == MB2_FB_EGA_TEXT)
        return "text mode";
    if (fb->type != MB2_FB_RGB)
        return "not direct RGB";
    if (fb->bpp != 32)
        return "not 32 bits per pixel";
    if (!fb_channel_is_byte(fb->red) || !fb_channel_is_byte(fb->green) || !fb_channel_is_byte(fb->blue))
        return "colour channels are not whole bytes";
    if (fb->red.pos == fb->green.pos || fb->red.pos == fb->blue.pos || fb->green.pos == fb->blue.pos)
        return "colour channels overlap";
    if (fb->width == 0 || fb->height == 0 || fb->width > MB2_FB_MAX_SIDE || fb->height > MB2_FB_MAX_SIDE)
        return "width or height out of range";
    if (fb->pitch < fb->width * 4u || fb->pitch % 4 != 0)
        return "pitch too small or not a multiple of 4";
    if (fb->addr % 4 != 0 || fb->addr == 0)
        return "address is 0 or not 4-byte aligned";
    if (fb->addr >= MB2_PHYS_LIMIT || mb2_fb_bytes(fb) > MB2_PHYS_LIMIT - fb->addr)
        return "extends past physical address space";
    return NULL;
}

/* ---- normalization: a sweep over the entries' boundary points -------------- */

/* The smallest entry boundary p with p > after (or p >= after when `inclusive`). */
static bool sweep_next_point(const mb2_info *info, uint64_t after, bool inclusive, uint64_t *p)
{
    bool found = false;
    for (size_t i = 0, n = mb2_entry_count(info); i < n; i++) {
        mb2_mmap_entry ent = mb2_entry(info, i);
        const mb2_mmap_entry *e = &ent;
        if (e->length == 0)
            continue;
        uint64_t pts[2] = { e->base, map_end(e) };
        for (int k = 0; k < 2; k++) {
            bool past = inclusive ? pts[k] >= after : pts[k] > after;
            if (past && (!found || pts[k] < *p)) {
                *p = pts[k];
                found = true;
            }
        }
    }
    return found;
}

/* Is the piece starting at boundary p available and claimed by nothing else? */
static bool sweep_usable_at(const mb2_info *info, uint64_t p)
{
    bool available = false;
    for (size_t i = 0, n = mb2_entry_count(info); i < n; i++) {
        mb2_mmap_entry ent = mb2_entry(info, i);
        const mb2_mmap_entry *e = &ent;
        if (e->base <= p && p < map_end(e)) {
            if (e->type != MB2_MEM_AVAILABLE)
                return false;
            available = true;
        }
    }
    return available;
}

/* The next merged usable run [*start, *end) at or above *pos; advances *pos. */
static bool sweep_next_run(const mb2_info *info, uint64_t *pos, uint64_t *start, uint64_t *end)
{
    uint64_t p, q;
    bool in_run = false;
    if (!sweep_next_point(info, *pos, true, &p))
        return false;
    while (sweep_next_point(info, p, false, &q)) {
        if (sweep_usable_at(info, p)) {
            if (!in_run)
                *start = p;
            in_run = true;
            *end = q;
        } else if (in_run) {
            break;
        }
        p = q;
    }
    if (in_run)
        *pos = *end;
    return in_run;
}

/* The next normalized (page-trimmed, non-empty) range; false when done. */
static bool range_next(const mb2_info *info, uint64_t *pos, mb2_range *r)
{
    uint64_t start, end;
    while (sweep_next_run(info, pos, &start, &end)) {
        if (start > UINT64_MAX - (MB2_PAGE - 1))
            return false;
        uint64_t lo = (start + MB2_PAGE - 1) & ~(MB2_PAGE - 1);
        uint64_t hi = end & ~(MB2_PAGE - 1);
        if (lo < hi) {
            *r = (mb2_range){ lo, hi - lo };
            return true;
        }
    }
    return false;
}

/* ---- normalization for maps of any size: sorted boundary events ----------- */

/* One entry boundary: at `at`, the count of available (kind +-1) or other
 * (kind +-2) entries covering the address changes. */
typedef struct mb2_event {
    uint64_t at;
    int64_t kind;
} mb2_event;

size_t mb2_normalize_bytes(const mb2_info *info)
{
    return mb2_entry_count(info) * 2 * sizeof(mb2_event);
}

static void ev_sift(mb2_event *ev, size_t i, size_t n)
{
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            return;
        if (c + 1 < n && ev[c + 1].at > ev[c].at)
            c++;
        if (ev[c].at <= ev[i].at)
            return;
        mb2_event t = ev[i];
        ev[i] = ev[c];
        ev[c] = t;
        i = c;
    }
}

/* Heapsort: O(n log n), no recursion, no memory beyond the array. */
static void ev_sort(mb2_event *ev, size_t n)
{
    for (size_t i = n / 2; i-- > 0;)
        ev_sift(ev, i, n);
    for (size_t end = n; end-- > 1;) {
        mb2_event t = ev[0];
        ev[0] = ev[end];
        ev[end] = t;
        ev_sift(ev, 0, end);
    }
}

/*
 * Events sorted by address are swept once, keeping how many available and
 * how many other entries cover the current piece; a piece is usable when
 * some available entry and no other one covers it. Range k is written over
 * event slot k, which the sweep has read long before: each range needs a
 * start and an end event of its own.
 */
size_t mb2_normalize(const mb2_info *info, void *scratch, size_t len, mb2_range **out)
{
    size_t n = mb2_entry_count(info), ne = 0, k = 0;
    mb2_event *ev = scratch;
    if (!info || !scratch || ((uintptr_t)scratch & 7) || len < mb2_normalize_bytes(info))
        return 0;
    for (size_t i = 0; i < n; i++) {
        mb2_mmap_entry e = mb2_entry(info, i);
        if (e.length == 0)
            continue;
        int64_t kind = e.type == MB2_MEM_AVAILABLE ? 1 : 2;
        ev[ne++] = (mb2_event){ e.base, kind };
        ev[ne++] = (mb2_event){ map_end(&e), -kind };
    }
    ev_sort(ev, ne);
    mb2_range *r = scratch;
    uint64_t avail = 0, other = 0, start = 0;
    bool in_run = false;
    for (size_t i = 0; i < ne;) {
        uint64_t at = ev[i].at;
        for (; i < ne && ev[i].at == at; i++) {
            if (ev[i].kind == 1 || ev[i].kind == -1)
                avail += (uint64_t)ev[i].kind;
            else
                other += (uint64_t)(ev[i].kind / 2);
        }
        bool usable = avail && !other;
        if (usable && !in_run) {
            start = at;
            in_run = true;
        } else if (!usable && in_run) {
            in_run = false;
            uint64_t lo = start > UINT64_MAX - (MB2_PAGE - 1) ? UINT64_MAX : (start + MB2_PAGE - 1) & ~(MB2_PAGE - 1);
            uint64_t hi = at & ~(MB2_PAGE - 1);
            if (lo < hi)
                r[k++] = (mb2_range){ lo, hi - lo };
        }
    }
    *out = r;
    return k;
}

/* The end of something [at, at + len) collides with, or 0 if nothing. */
static uint64_t scratch_conflict(const mb2_info *info, uint64_t at, uint64_t len, const mb2_range *avoid,
                                 size_t navoid)
{
    for (size_t i = 0, n = mb2_entry_count(info); i < n; i++) {
        mb2_mmap_entry e = mb2_entry(info, i);
        if (e.type != MB2_MEM_AVAILABLE && e.length && e.base < at + len && at < map_end(&e))
            return map_end(&e);
    }
    for (size_t i = 0; i < navoid; i++)
        if (avoid[i].length && avoid[i].base < at + len && at < avoid[i].base + avoid[i].length)
            return avoid[i].base + avoid[i].length;
    return 0;
}

uint64_t mb2_find_scratch(const mb2_info *info, uint64_t len, uint64_t from, uint64_t below,
                          const mb2_range *avoid, size_t navoid)
{
    uint64_t best = 0;
    for (size_t i = 0, n = mb2_entry_count(info); i < n && len; i++) {
        mb2_mmap_entry e = mb2_entry(info, i);
        uint64_t end = map_end(&e) < below ? map_end(&e) : below;
        if (e.type != MB2_MEM_AVAILABLE || e.length < len || end < len)
            continue; /* cheap: most entries of a big map are skipped here */
        uint64_t at = e.base > from ? e.base : from;
        /* each conflict moves past the claim that caused it */
        for (unsigned tries = 0; tries < 64; tries++) {
            if (at > UINT64_MAX - (MB2_PAGE - 1))
                break;
            at = (at + MB2_PAGE - 1) & ~(MB2_PAGE - 1);
            if (at > end - len || (best && at >= best))
                break;
            uint64_t past = scratch_conflict(info, at, len, avoid, navoid);
            if (!past) {
                best = at;
                break;
            }
            at = past;
        }
    }
    return best;
}

size_t mb2_available_ranges(const mb2_info *info, mb2_range *out, size_t max)
{
    size_t n = 0;
    uint64_t pos = 0;
    mb2_range r;
    if (!info || !out)
        return 0;
    while (n < max && range_next(info, &pos, &r))
        out[n++] = r;
    return n;
}

size_t mb2_range_count(const mb2_info *info)
{
    size_t n = 0;
    uint64_t pos = 0;
    mb2_range r;
    while (info && range_next(info, &pos, &r))
        n++;
    return n;
}

uint64_t mb2_usable_bytes(const mb2_info *info)
{
    uint64_t sum = 0, pos = 0;
    mb2_range r;
    while (info && range_next(info, &pos, &r))
        sum += r.length;
    return sum;
}

uint64_t mb2_highest_available_address(const mb2_info *info)
{
    uint64_t top = 0, pos = 0;
    mb2_range r;
    while (info && range_next(info, &pos, &r))
        top = r.base + r.length;
    return top;
}

uint64_t mb2_raw_available_sum(const mb2_info *info)
{
    uint64_t sum = 0;
    for (size_t i = 0, n = mb2_entry_count(info); i < n; i++) {
        mb2_mmap_entry e = mb2_entry(info, i);
        uint64_t len = e.length;
        if (e.type != MB2_MEM_AVAILABLE)
            continue;
        sum = len > UINT64_MAX - sum ? UINT64_MAX : sum + len;
    }
    return sum;
}

/* ---- boot log ------------------------------------------------------------ */

static void print_extras(const mb2_info *info)
{
    if (info->bootloader)
        kprintf("mb2: loaded by \"%s\"\n", info->bootloader);
    if (info->cmdline && info->cmdline[0])
        kprintf("mb2: command line \"%s\"\n", info->cmdline);
    for (size_t i = 0; i < info->module_count; i++)
        kprintf("mb2: module 0x%lx-0x%lx \"%s\"\n", (unsigned long)info->modules[i].start,
                (unsigned long)info->modules[i].end, info->modules[i].cmdline);
    if (info->modules_dropped)
        kprintf("mb2: %zu more modules ignored (capacity %d)\n", info->modules_dropped, MB2_MAX_MODULES);
    const mb2_framebuffer *fb = &info->fb;
    if (fb->present)
        kprintf("mb2: framebuffer at 0x%lx, %ux%u, %u bpp, pitch %u, type %u\n",
                (unsigned long)fb->addr, fb->width, fb->height, (unsigned)fb->bpp, fb->pitch,
                (unsigned)fb->type);
    if (fb->present && fb->type == MB2_FB_RGB)
        kprintf("mb2: framebuffer channels red %u@%u green %u@%u blue %u@%u\n",
                (unsigned)fb->red.size, (unsigned)fb->red.pos, (unsigned)fb->green.size,
                (unsigned)fb->green.pos, (unsigned)fb->blue.size, (unsigned)fb->blue.pos);
}

void mb2_print(const mb2_info *info)
{
    if (!info)
        return;
    print_extras(info);
    if (info->mmap_from_meminfo)
        kprintf("mb2: no memory map: using basic meminfo (lower %u KiB, upper %u KiB)\n",
                info->mem_lower_kib, info->mem_upper_kib);
    for (size_t i = 0; i < info->mmap_count; i++) {
        const mb2_mmap_entry *e = &info->mmap[i];
        kprintf("mb2: mmap 0x%016lx-0x%016lx type %u (%s)\n", (unsigned long)e->base,
                (unsigned long)map_end(e), e->type, mb2_mem_type_name(e->type));
    }
    if (info->mmap_dropped)
        kprintf("mb2: %zu more memory-map entries, not printed (all are used)\n", info->mmap_dropped);
    uint64_t usable = mb2_usable_bytes(info);
    kprintf("mb2: usable RAM %lu bytes (%lu MiB) in %zu ranges\n", (unsigned long)usable,
            (unsigned long)(usable >> 20), mb2_range_count(info));
}
