/*
 * mm_vm.c - addresses: StripAddress, the low-memory accessors for the
 * Memory Manager's globals, and the Virtual Memory Manager's routines
 * (IM: Memory, chapter 3).
 *
 * Memory is never paged out and RAM is identity-mapped, so every mapped
 * page is already held, locked and resident and a logical range is one
 * physical run. What the routines check is real: the range must lie
 * entirely in mapped memory (platform.h: plat_phys_range), else paramErr,
 * and GetPhysical reports the platform's physical address.
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

/* noErr if [address, address + count) is mapped memory, else paramErr. */
static OSErr vm_range(void *address, unsigned long count, uint64_t *phys)
{
    uint64_t p;
    if (address == NULL || !plat_phys_range(address, count, &p)) {
        mm_set_err(paramErr);
        return paramErr;
    }
    if (phys)
        *phys = p;
    mm_set_err(noErr);
    return noErr;
}

OSErr HoldMemory(void *address, unsigned long count) { return vm_range(address, count, NULL); }
OSErr UnholdMemory(void *address, unsigned long count) { return vm_range(address, count, NULL); }
OSErr LockMemory(void *address, unsigned long count) { return vm_range(address, count, NULL); }
OSErr LockMemoryForOutput(void *address, unsigned long count)
{
    return vm_range(address, count, NULL);
}
OSErr LockMemoryContiguous(void *address, unsigned long count)
{
    return vm_range(address, count, NULL);
}
OSErr UnlockMemory(void *address, unsigned long count) { return vm_range(address, count, NULL); }

OSErr GetPhysical(LogicalToPhysicalTable *addresses, unsigned long *physicalEntryCount)
{
    if (addresses == NULL || physicalEntryCount == NULL) {
        mm_set_err(paramErr);
        return paramErr;
    }
    MemoryBlock *lg = &addresses->logical;
    uint64_t phys;
    OSErr e = vm_range(lg->address, lg->count, &phys);
    if (e != noErr)
        return e;
    unsigned long want = *physicalEntryCount;
    *physicalEntryCount = lg->count ? 1 : 0;
    if (want == 0 || lg->count == 0)
        return noErr;
    addresses->physical[0] = (MemoryBlock){ (void *)(uintptr_t)phys, lg->count };
    lg->address = (char *)lg->address + lg->count;
    lg->count = 0;
    return noErr;
}
