/*
 * multiboot2.h - what the boot loader told us, parsed and checked.
 *
 * mb2_parse() walks the multiboot2 information block once, validates every
 * tag it uses and copies what the kernel needs into a caller-owned mb2_info
 * (fixed-capacity arrays, no allocation). Pointers kept in mb2_info (command
 * lines, loader name) point into the info block itself, so the block must
 * stay reserved for as long as they are used (the PMM reserves
 * [info_addr, info_addr + info_size)).
 *
 * The memory map is read in place from the info block (every entry, however
 * many); the first MB2_MAX_MMAP entries are also copied into mb2_info for
 * the boot log and for tests. mb2_available_ranges() and mb2_normalize()
 * derive from all entries the usable RAM the PMM is given: sorted, merged,
 * with every byte that any non-available entry also claims removed, and
 * trimmed to whole 4 KiB pages. mb2_normalize() does it in O(n log n) in a
 * caller buffer sized from the map (mb2_normalize_bytes), for maps of any
 * size; the others need no buffer and are O(n^2).
 */
#ifndef MULTIBOOT2_H
#define MULTIBOOT2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MB2_BOOTLOADER_MAGIC 0x36d76289u

enum {
    MB2_MAX_MMAP = 128,       /* memory-map entries copied for the log (all are used) */
    MB2_MAX_MODULES = 16,     /* boot modules kept */
    MB2_MAX_INFO_SIZE = 1u << 20, /* larger total_size is taken for garbage */
    MB2_MMAP_MIN_ENTRY = 24,  /* base, length, type, reserved */
};

/* Memory-map entry types (multiboot2 spec, section "Memory map"). */
enum {
    MB2_MEM_AVAILABLE = 1,
    MB2_MEM_RESERVED = 2,
    MB2_MEM_ACPI_RECLAIMABLE = 3,
    MB2_MEM_NVS = 4,
    MB2_MEM_BAD = 5,
};

typedef enum mb2_status {
    MB2_OK = 0,
    MB2_ERR_NULL,             /* info or out is NULL */
    MB2_ERR_BAD_MAGIC,        /* EAX was not 0x36d76289 */
    MB2_ERR_MISALIGNED,       /* info block not 8-byte aligned */
    MB2_ERR_TOO_SMALL,        /* total_size < 16: no room for the end tag */
    MB2_ERR_TOO_LARGE,        /* total_size > MB2_MAX_INFO_SIZE */
    MB2_ERR_ADDRESS_WRAP,     /* info + total_size wraps the address space */
    MB2_ERR_TAG_TOO_SMALL,    /* a tag's size < 8 (would never advance) */
    MB2_ERR_TAG_PAST_END,     /* a tag's size runs past total_size */
    MB2_ERR_TAG_TRUNCATED,    /* a known tag too short for its own fields */
    MB2_ERR_MMAP_ENTRY_SIZE,  /* memory-map entry_size < 24 */
    MB2_ERR_BAD_STRING,       /* a string not NUL-terminated inside its tag */
    MB2_ERR_BAD_MODULE,       /* module end below its start */
    MB2_ERR_NO_END_TAG,       /* the tags ran out before the end tag */
    MB2_ERR_NO_MEMORY_INFO,   /* neither a memory map nor basic meminfo */
    MB2_STATUS_COUNT
} mb2_status;

/* One raw memory-map entry; [base, base + length), length clamped so it never wraps. */
typedef struct mb2_mmap_entry {
    uint64_t base;
    uint64_t length;
    uint32_t type;
} mb2_mmap_entry;

typedef struct mb2_module {
    uint64_t start;           /* [start, end) physical */
    uint64_t end;
    const char *cmdline;      /* inside the info block, never NULL */
} mb2_module;

/* Framebuffer types (multiboot2 spec, "Framebuffer info"). */
enum {
    MB2_FB_INDEXED = 0,
    MB2_FB_RGB = 1,
    MB2_FB_EGA_TEXT = 2,
};

/* One colour channel of a direct-RGB framebuffer: bits [pos, pos + size). */
typedef struct mb2_fb_channel {
    uint8_t pos;
    uint8_t size;
} mb2_fb_channel;

typedef struct mb2_framebuffer {
    bool present;             /* a well-formed framebuffer tag was passed */
    uint64_t addr;            /* physical address of the first pixel */
    uint32_t pitch;           /* bytes per scan line */
    uint32_t width;           /* pixels (characters for EGA text) */
    uint32_t height;
    uint8_t bpp;
    uint8_t type;             /* MB2_FB_INDEXED, MB2_FB_RGB or MB2_FB_EGA_TEXT */
    mb2_fb_channel red, green, blue;   /* MB2_FB_RGB only; zero otherwise */
} mb2_framebuffer;

/* A usable RAM range after normalization: page-aligned base and length. */
typedef struct mb2_range {
    uint64_t base;
    uint64_t length;
} mb2_range;

typedef struct mb2_info {
    uint64_t info_addr;       /* the info block itself, to be reserved */
    uint64_t info_size;       /* its total_size */

    bool has_meminfo;
    uint32_t mem_lower_kib;   /* RAM from 0 */
    uint32_t mem_upper_kib;   /* RAM from 1 MiB up to the first hole */

    bool has_mmap_tag;        /* a memory-map tag with at least one entry */
    bool mmap_from_meminfo;   /* no map: entries were made from basic meminfo */
    uint32_t mmap_entry_size;
    uint32_t mmap_entry_version;
    size_t mmap_count;        /* entries copied into mmap[] */
    size_t mmap_dropped;      /* entries beyond mmap[]: not printed, still used */
    mb2_mmap_entry mmap[MB2_MAX_MMAP];
    const unsigned char *mmap_entries; /* all entries, in the info block (NULL: mmap[] is all) */
    size_t mmap_total;        /* how many there are */

    size_t module_count;
    size_t modules_dropped;
    mb2_module modules[MB2_MAX_MODULES];

    mb2_framebuffer fb;
    const char *cmdline;      /* NULL when the loader passed none */
    const char *bootloader;   /* NULL when the loader passed none */
    size_t unknown_tags;      /* tags skipped because we do not use them */

    /* Where parsing failed (valid when mb2_parse returned an error). */
    uint32_t error_offset;    /* byte offset of the offending tag in the block */
    uint32_t error_tag;       /* its type */
} mb2_info;

/*
 * Validate the info block at `info` (loader magic in `magic`) and fill *out.
 * On any error *out is zeroed except error_offset/error_tag, and the status
 * says what was wrong; nothing outside *out is written. Without a memory-map
 * tag (or with an empty one) the map is made from basic meminfo:
 * available [0, mem_lower KiB) and [1 MiB, 1 MiB + mem_upper KiB).
 * A second memory-map tag is ignored; the first one wins.
 */
mb2_status mb2_parse(uint32_t magic, const void *info, mb2_info *out);

/* A one-line description of a status, never NULL (also for unknown values). */
const char *mb2_status_text(mb2_status status);

/* "available", "reserved", "acpi", "nvs", "bad" or "unknown". */
const char *mb2_mem_type_name(uint32_t type);

/*
 * The normalized usable RAM, lowest first, disjoint and non-adjacent; writes
 * at most `max` ranges to `out` (out may be NULL when max is 0) and returns
 * how many it wrote. Use mb2_range_count() for the total.
 */
size_t mb2_available_ranges(const mb2_info *info, mb2_range *out, size_t max);
size_t mb2_range_count(const mb2_info *info);

/*
 * The normalized usable RAM for a map of any size: O(n log n), working in
 * `scratch` (8-aligned, at least mb2_normalize_bytes(info) bytes). The
 * ranges are written at the start of scratch; *out points at them and the
 * count is returned (0 also when scratch is too small: nothing is dropped
 * silently, the caller sees it cannot use the result).
 */
size_t mb2_normalize_bytes(const mb2_info *info);
size_t mb2_normalize(const mb2_info *info, void *scratch, size_t len, mb2_range **out);

/*
 * Where to put mb2_normalize's scratch before any allocator exists: the
 * lowest page-aligned [at, at + len) inside one available entry, claimed
 * by no other entry, within [from, below), overlapping none of `avoid`
 * (the kernel, the info block, modules). 0 when there is none.
 */
uint64_t mb2_find_scratch(const mb2_info *info, uint64_t len, uint64_t from, uint64_t below,
                          const mb2_range *avoid, size_t navoid);

/* Every memory-map entry, however many (i < mb2_entry_count(info)). */
size_t mb2_entry_count(const mb2_info *info);
mb2_mmap_entry mb2_entry(const mb2_info *info, size_t i);

/* Sum of the normalized ranges: what the PMM will manage. */
uint64_t mb2_usable_bytes(const mb2_info *info);

/* End of the last normalized range (0 when there is none). */
uint64_t mb2_highest_available_address(const mb2_info *info);

/* Plain sum of the type-1 entry lengths as listed (saturating). */
uint64_t mb2_raw_available_sum(const mb2_info *info);

/*
 * Why `fb` cannot be drawn on as a linear 32-bit direct-colour framebuffer,
 * or NULL when it can: present, type RGB, 32 bpp, 8-bit channels on
 * distinct byte lanes, width and height from 1 to 16384, pitch at least
 * width * 4 and a multiple of 4, a 4-byte aligned address, and the whole
 * [addr, addr + pitch * height) inside 48-bit physical space.
 */
const char *mb2_fb_unusable_reason(const mb2_framebuffer *fb);

/* Bytes the framebuffer spans (pitch * height); 0 when it is not present. */
uint64_t mb2_fb_bytes(const mb2_framebuffer *fb);

/* The map and what else the loader passed, for the boot log. */
void mb2_print(const mb2_info *info);

#endif
