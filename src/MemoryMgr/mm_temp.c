/*
 * mm_temp.c - temporary memory (IM: Memory, chapter 2).
 *
 * Design: the boot may give a third region of storage; if it does, it
 * becomes its own zone (the "temporary zone", named 'T') and every
 * temporary handle lives there, apart from the System and Application
 * zones, as the Process Manager's temporary memory was apart from every
 * application partition. Without that region (size 0) temporary handles
 * come from the System zone. Temporary handles are ordinary handles of
 * that zone: HandleZone names it and DisposeHandle frees them.
 */
#include "MemoryMgr/mm_debug.h"
#include "mm_internal.h"

static THz temp_zone(void)
{
    THz t = mm_temp_zone();
    return t ? t : mm_sys_zone();
}

Handle TempNewHandle(Size logicalSize, OSErr *resultCode)
{
    Handle h = mm_new_handle(temp_zone(), logicalSize, false, "TempNewHandle");
    if (resultCode)
        *resultCode = MemError();
    return h;
}

long TempFreeMem(void)
{
    THz z = temp_zone();
    mm_set_err(z ? noErr : memFullErr);
    return z ? (long)z->zcbFree : 0;
}

Size TempMaxMem(Size *grow)
{
    THz z = temp_zone(), saved = mm_cur_zone();
    if (grow)
        *grow = 0;
    if (z == NULL) {
        mm_set_err(memFullErr);
        return 0;
    }
    /* IM: TempMaxMem compacts the temporary memory; it does not purge.
     * CompactMem acts on the current zone: borrow it. */
    SetZone(z);
    Size s = CompactMem(maxSize);
    OSErr e = MemError();
    if (saved)
        SetZone(saved);
    mm_set_err(e);
    return s;
}

Ptr TempTopMem(void)
{
    THz z = temp_zone();
    mm_set_err(z ? noErr : memFullErr);
    return z ? zone_end(z) : NULL;
}
