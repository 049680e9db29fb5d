/*
 * kt_toolbox.h - what the Toolbox suites share: a small zone of their own
 * inside a nonrelocatable block of the current zone (so a test can fill it
 * to memFullErr without touching the Application zone's other tenants), and
 * update events answered with a drawing procedure.
 */
#ifndef TESTS_KERNEL_KT_TOOLBOX_H
#define TESTS_KERNEL_KT_TOOLBOX_H

#include <stdint.h>

#include "Events.h"
#include "MacWindows.h"
#include "MemoryMgr/MemoryManager.h"

/* A zone over a NewPtr block of `bytes`, made current: the zone, with *block
 * and *home (the zone current before) for kt_subzone_close; NULL, with the
 * current zone and the heap unchanged, when the block or the zone fails. */
static inline THz kt_subzone_open(Size bytes, Ptr *block, THz *home)
{
    *home = GetZone();
    *block = NewPtr(bytes);
    if (*block == NULL)
        return NULL;
    InitZone(NULL, 64, *block + bytes, *block);
    if (MemError() != noErr) {
        SetZone(*home);
        DisposePtr(*block);
        *block = NULL;
        return NULL;
    }
    return GetZone();
}

static inline void kt_subzone_close(Ptr block, THz home)
{
    SetZone(home);
    DisposePtr(block);
}

/* Answer pending update events (at most 64) by calling draw between
 * BeginUpdate and EndUpdate. */
static inline void kt_answer_updates(void (*draw)(WindowPtr))
{
    EventRecord e;
    for (int guard = 0; guard < 64 && GetNextEvent(updateMask, &e); guard++) {
        WindowPtr w = (WindowPtr)(uintptr_t)e.message;
        BeginUpdate(w);
        draw(w);
        EndUpdate(w);
    }
}

#endif
