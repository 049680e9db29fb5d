/*
 * mm_vm.c - addresses: StripAddress, the low-memory accessors for the
 * Memory Manager's globals, and the Virtual Memory Manager's routines
 * (IM: Memory, chapter 3).
 *
 * Memory is never paged out, so every mapped page is already held, locked
 * and resident. What the routines check is real: the range must lie
 * entirely in mapped memory (platform.h: plat_phys_run, which commits
 * storage committed on demand), else paramErr; LockMemoryContiguous also
 * needs one physical run; GetPhysical reports the platform's physical runs
 * (one for identity-mapped RAM; a zone committed on demand may have one per
 * page), as many as the caller's table holds, and leaves the rest of the
 * logical range in the table for the next call, as IM describes.
 */
#include "MemoryMgr/mm_debug.h"
#include "mm_internal.h"
#include "platform.h"

Ptr StripAddress(void *theAddress)
{
    return (Ptr)theAddress;
}

THz LMGetApplZone(void) { return mm_app_zone(); }
THz LMGetSysZone(void) { return mm_sys_zone(); }
THz LMGetTheZone(void) { return mm_cur_zone(); }
void LMSetTheZone(THz value) { SetZone(value); }
Ptr LMGetApplLimit(void) { return mm_app_zone() ? zone_priv(mm_app_zone())->limit : NULL; }
void LMSetApplLimit(Ptr value) { SetApplLimit(value); }
Ptr LMGetHeapEnd(void) { return mm_app_zone() ? mm_app_zone()->bkLim : NULL; }
Ptr LMGetMemTop(void) { return TopMem(); }

/* Whether [address, address + count) is all mapped memory (one run if `contiguous`); sets MemError. */
static OSErr vm_range(void *address, unsigned long count, bool contiguous)
{
    uint64_t phys, done = 0;
    while (address != NULL && done < count) {
        uint64_t run = plat_phys_run((char *)address + done, count - done, &phys);
        if (run == 0 || (contiguous && run != count))
            break;
        done += run;
    }
    OSErr e = address != NULL && done == count ? noErr : paramErr;
    mm_set_err(e);
    return e;
}

OSErr HoldMemory(void *address, unsigned long count) { return vm_range(address, count, false); }
OSErr UnholdMemory(void *address, unsigned long count) { return vm_range(address, count, false); }
OSErr LockMemory(void *address, unsigned long count) { return vm_range(address, count, false); }
OSErr LockMemoryForOutput(void *address, unsigned long count)
{
    return vm_range(address, count, false);
}
OSErr LockMemoryContiguous(void *address, unsigned long count)
{
    return vm_range(address, count, true);
}
OSErr UnlockMemory(void *address, unsigned long count) { return vm_range(address, count, false); }

OSErr GetPhysical(LogicalToPhysicalTable *addresses, unsigned long *physicalEntryCount)
{
    if (addresses == NULL || physicalEntryCount == NULL) {
        mm_set_err(paramErr);
        return paramErr;
    }
    MemoryBlock *lg = &addresses->logical;
    OSErr e = vm_range(lg->address, lg->count, false);
    if (e != noErr)
        return e;
    unsigned long want = *physicalEntryCount, runs = 0;
    char *at = lg->address;
    uint64_t left = lg->count, phys;
    if (want == 0) {   /* how many entries the whole range needs */
        for (; left; runs++) {
            uint64_t run = plat_phys_run(at, left, &phys);
            at += run;
            left -= run;
        }
        *physicalEntryCount = runs;
        return noErr;
    }
    for (; left && runs < want && runs < defaultPhysicalEntryCount; runs++) {
        uint64_t run = plat_phys_run(at, left, &phys);
        addresses->physical[runs] = (MemoryBlock){ (void *)(uintptr_t)phys, (unsigned long)run };
        at += run;
        left -= run;
    }
    *physicalEntryCount = runs;
    lg->address = at;
    lg->count = (unsigned long)left;
    return noErr;
}
