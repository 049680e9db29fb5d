/*
 * fuzz_multiboot2.c - libFuzzer target for the multiboot2 parser.
 *
 * The input becomes an info block in an 8-aligned buffer. The first four
 * bytes are forced to the input's length so that, as on real hardware, the
 * block the parser may read is exactly what total_size says (the parser must
 * trust that field; everything inside it is fair game). Whatever parses must
 * normalise to page-aligned, sorted, disjoint ranges whose sum is the usable
 * total, and mb2_normalize (the boot path's) must give the same ranges;
 * anything else must be refused with a status that has a text. A
 * framebuffer judged usable must really be: 32-bit RGB with byte channels,
 * pitch covering the width, and its bytes inside 48-bit physical space.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "multiboot2.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static mb2_info info;
    static mb2_range ranges[512];

    if (size < 8 || size > 65536)
        return 0;
    uint64_t *block = malloc((size + 7) & ~(size_t)7);
    memcpy(block, data, size);
    uint32_t total = (uint32_t)size;
    memcpy(block, &total, sizeof total);

    mb2_status st = mb2_parse(MB2_BOOTLOADER_MAGIC, block, &info);
    if (!mb2_status_text(st))
        abort();
    if (st == MB2_OK) {
        size_t n = mb2_available_ranges(&info, ranges, 512);
        uint64_t sum = 0;
        for (size_t i = 0; i < n; i++) {
            if ((ranges[i].base | ranges[i].length) & 4095 || ranges[i].length == 0)
                abort();
            if (i && ranges[i].base <= ranges[i - 1].base + ranges[i - 1].length)
                abort();
            sum += ranges[i].length;
        }
        if (n == mb2_range_count(&info) && sum != mb2_usable_bytes(&info))
            abort();
        const mb2_framebuffer *fb = &info.fb;
        if (!mb2_fb_unusable_reason(fb) &&
            (fb->type != MB2_FB_RGB || fb->bpp != 32 || fb->red.size != 8 || (uint64_t)fb->pitch < fb->width * 4ull ||
             fb->width == 0 || fb->height == 0 || fb->addr + mb2_fb_bytes(fb) > (1ull << 48) ||
             fb->addr + mb2_fb_bytes(fb) < fb->addr))
            abort();
        /* the O(n log n) normalisation the boot path uses agrees */
        size_t len = mb2_normalize_bytes(&info);
        void *scratch = malloc(len + 8);
        mb2_range *fast;
        size_t m = mb2_normalize(&info, scratch, len, &fast);
        if (m != mb2_range_count(&info))
            abort();
        for (size_t i = 0; i < n && i < m; i++)
            if (fast[i].base != ranges[i].base || fast[i].length != ranges[i].length)
                abort();
        free(scratch);
    }
    free(block);
    return 0;
}
