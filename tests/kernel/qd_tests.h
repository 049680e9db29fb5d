/*
 * qd_tests.h - QuickDraw's test scenes and in-kernel suite, shared by the
 * host tests (tests/host/test_qd_draw.c) and the boot's KTAP suite so both
 * render the same pixels and must produce the same hashes.
 *
 * A scene draws into a caller-supplied QD_SCENE_W x QD_SCENE_H 32-bpp
 * BitMap through a port of its own; it assumes InitGraf has run, restores
 * the current port, and frees everything it allocates.
 */
#ifndef QUICKDRAW_QD_TESTS_H
#define QUICKDRAW_QD_TESTS_H

#include <stdint.h>

#include "Quickdraw.h"

enum { QD_SCENE_W = 320, QD_SCENE_H = 200 };

typedef struct qd_scene {
    const char *name;
    void (*draw)(void);           /* draws into the current port */
    uint64_t    hash;             /* the reference: qd_bitmap_hash of the inspected rendering */
} qd_scene;

extern const qd_scene qd_scenes[];
extern const unsigned qd_scene_count;

/* Renders scene i into bm (QD_SCENE_W x QD_SCENE_H); QDError's value. */
OSErr qd_scene_render(unsigned i, const BitMap *bm);
/* FNV-1a 64 over bm's pixels, row by row (padding excluded). */
uint64_t qd_bitmap_hash(const BitMap *bm);
/* The "QuickDraw" KTAP suite: each scene rendered and hashed, FreeMem back. */
/* The "QuickDraw" KTAP suite is declared in kernel_suites.h. */

#endif
