/*
 * rm_resources.c - the Resource Manager's calls: the registered forks, the
 * chain of open resource files, and the handles resources are read into.
 *
 * Invariants:
 *  - rm_open[0..rm_nopen) is the chain in the order the files were opened;
 *    a search starts at the current file (rm_cur) and goes toward index 0.
 *  - each open file owns a table (a nonrelocatable block in the System
 *    zone) with one slot per reference, in type-list order: NULL, or the
 *    one handle that resource lives in. A handle appears in at most one
 *    slot of one file; a slot's handle carries the resource bit whenever it
 *    holds data, and is made purgeable/locked per the resource's attributes.
 *  - a failed call leaves no new handle behind.
 */
#include "rm_internal.h"

#include "MemoryMgr/MemoryManager.h"

enum { RM_MAX_FORKS = 8, RM_MAX_OPEN = 8, RM_NAME_MAX = 63 };

typedef struct rm_fork_entry {
    unsigned char name[RM_NAME_MAX + 1];   /* Pascal string; name[0] == 0: free slot */
    const void *bytes;
    long len;
} rm_fork_entry;

typedef struct rm_file {
    short refNum;
    const rm_fork_entry *fork;
    rm_layout lay;
    Handle *slots;                         /* lay.nrefs entries, NewPtrSysClear */
} rm_file;

static rm_fork_entry rm_forks[RM_MAX_FORKS];
static rm_file rm_open[RM_MAX_OPEN];
static int rm_nopen;
static int rm_cur = -1;
static short rm_next_ref = 1;
static OSErr rm_err;
static bool rm_noload;

static void rm_set(OSErr e)
{
    rm_err = e;
}

OSErr ResError(void)
{
    return rm_err;
}

void SetResLoad(Boolean load)
{
    rm_noload = !load;
    rm_set(noErr);
}

/* ---- names ---------------------------------------------------------------------- */

static unsigned char rm_fold(unsigned char c)
{
    return c >= 'a' && c <= 'z' ? (unsigned char)(c - 32) : c;
}

/* Pascal strings equal, ASCII letters compared without case. */
static bool rm_same_name(const unsigned char *a, const unsigned char *b)
{
    if (a[0] != b[0])
        return false;
    for (unsigned i = 1; i <= a[0]; i++)
        if (rm_fold(a[i]) != rm_fold(b[i]))
            return false;
    return true;
}

/* ---- registered forks ------------------------------------------------------------- */

OSErr rm_register_fork(const char *name, const void *fork, long len, const char **why)
{
    size_t n = 0;
    while (name != NULL && name[n] != 0)
        n++;
    if (name == NULL || n == 0 || n > RM_NAME_MAX) {
        if (why != NULL)
            *why = "the fork's name is empty or longer than 63 characters";
        return paramErr;
    }
    unsigned char pname[RM_NAME_MAX + 1] = { (unsigned char)n };
    for (size_t i = 0; i < n; i++)
        pname[1 + i] = (unsigned char)name[i];
    rm_fork_entry *free_slot = NULL;
    for (int i = 0; i < RM_MAX_FORKS; i++) {
        if (rm_forks[i].name[0] == 0) {
            if (free_slot == NULL)
                free_slot = &rm_forks[i];
        } else if (rm_same_name(rm_forks[i].name, pname)) {
            if (why != NULL)
                *why = "a fork of that name is already registered";
            return paramErr;
        }
    }
    if (free_slot == NULL) {
        if (why != NULL)
            *why = "the table of registered forks is full";
        return paramErr;
    }
    OSErr e = rm_check_fork(fork, len, why);
    if (e != noErr)
        return e;
    for (size_t i = 0; i <= n; i++)
        free_slot->name[i] = pname[i];
    free_slot->bytes = fork;
    free_slot->len = len;
    return noErr;
}

/* ---- the chain of open files -------------------------------------------------------- */

static int rm_index_of(short refNum)
{
    for (int i = 0; i < rm_nopen; i++)
        if (rm_open[i].refNum == refNum)
            return i;
    return -1;
}

short OpenResFile(ConstStr255Param fileName)
{
    const rm_fork_entry *f = NULL;
    for (int i = 0; fileName != NULL && i < RM_MAX_FORKS; i++)
        if (rm_forks[i].name[0] != 0 && rm_same_name(rm_forks[i].name, fileName))
            f = &rm_forks[i];
    if (f == NULL) {
        rm_set(resFNotFound);
        return -1;
    }
    for (int i = 0; i < rm_nopen; i++)
        if (rm_open[i].fork == f) {
            rm_cur = i;
            rm_set(noErr);
            return rm_open[i].refNum;
        }
    if (rm_nopen == RM_MAX_OPEN) {
        rm_set(paramErr);
        return -1;
    }
    rm_file *file = &rm_open[rm_nopen];
    rm_layout_read(f->bytes, f->len, &file->lay);
    Ptr slots = NewPtrSysClear((Size)(file->lay.nrefs ? file->lay.nrefs : 1) * (Size)sizeof(Handle));
    if (slots == NULL) {
        rm_set(memFullErr);
        return -1;
    }
    file->slots = (Handle *)(void *)slots;
    file->fork = f;
    file->refNum = rm_next_ref;
    rm_next_ref = rm_next_ref == 0x7FFF ? 1 : (short)(rm_next_ref + 1);
    rm_cur = rm_nopen++;
    rm_set(noErr);
    return file->refNum;
}

void CloseResFile(short refNum)
{
    int i = rm_index_of(refNum);
    if (i < 0) {
        rm_set(resFNotFound);
        return;
    }
    rm_file *file = &rm_open[i];
    for (unsigned k = 0; k < file->lay.nrefs; k++)
        if (file->slots[k] != NULL) {
            HClrRBit(file->slots[k]);
            DisposeHandle(file->slots[k]);
        }
    DisposePtr((Ptr)(void *)file->slots);
    for (int j = i; j + 1 < rm_nopen; j++)
        rm_open[j] = rm_open[j + 1];
    rm_nopen--;
    if (rm_cur >= rm_nopen || rm_cur == i)
        rm_cur = rm_nopen - 1;
    else if (rm_cur > i)
        rm_cur--;
    rm_set(noErr);
}

void rm_reset(void)
{
    while (rm_nopen > 0)
        CloseResFile(rm_open[rm_nopen - 1].refNum);
    for (int i = 0; i < RM_MAX_FORKS; i++)
        rm_forks[i] = (rm_fork_entry){ 0 };
    rm_noload = false;
    rm_set(noErr);
}

short CurResFile(void)
{
    rm_set(noErr);
    return rm_cur >= 0 ? rm_open[rm_cur].refNum : -1;
}

void UseResFile(short refNum)
{
    int i = rm_index_of(refNum);
    if (i < 0) {
        rm_set(resFNotFound);
        return;
    }
    rm_cur = i;
    rm_set(noErr);
}

/* ---- finding references ----------------------------------------------------------------- */

/* A reference: its file, its slot index and its 12 bytes. */
typedef struct rm_hit {
    rm_file *file;
    unsigned slot;
    const uint8_t *ref;
} rm_hit;

/* The type's index in file, or -1. *first: its first slot. */
static int rm_find_type(const rm_file *file, ResType type, unsigned *first)
{
    unsigned slot = 0;
    for (unsigned t = 0; t < file->lay.ntypes; t++) {
        if (rm_rd32(rm_type_entry(&file->lay, t)) == type) {
            *first = slot;
            return (int)t;
        }
        slot += rm_type_count(&file->lay, t);
    }
    return -1;
}

typedef bool (*rm_match_fn)(const rm_layout *l, const uint8_t *ref, const void *key);

static bool rm_match_id(const rm_layout *l, const uint8_t *ref, const void *key)
{
    (void)l;
    return (short)rm_rd16(ref) == *(const short *)key;
}

static bool rm_match_name(const rm_layout *l, const uint8_t *ref, const void *key)
{
    const uint8_t *name = rm_ref_name(l, ref);
    return name != NULL && rm_same_name(name, key);
}

/* Search file i's references of type. */
static bool rm_find_in(int i, ResType type, rm_match_fn match, const void *key, rm_hit *hit)
{
    rm_file *file = &rm_open[i];
    unsigned first;
    int t = rm_find_type(file, type, &first);
    if (t < 0)
        return false;
    unsigned n = rm_type_count(&file->lay, (unsigned)t);
    for (unsigned k = 0; k < n; k++) {
        const uint8_t *ref = rm_ref(&file->lay, (unsigned)t, k);
        if (match(&file->lay, ref, key)) {
            *hit = (rm_hit){ file, first + k, ref };
            return true;
        }
    }
    return false;
}

/* Search from the current file toward the first (one_file: the current file only). */
static bool rm_find(ResType type, rm_match_fn match, const void *key, bool one_file, rm_hit *hit)
{
    for (int i = rm_cur; i >= 0; i--) {
        if (rm_find_in(i, type, match, key, hit))
            return true;
        if (one_file)
            break;
    }
    return false;
}

/* The reference whose handle is h, anywhere in the chain. */
static bool rm_find_handle(Handle h, rm_hit *hit)
{
    if (h == NULL)
        return false;
    for (int i = 0; i < rm_nopen; i++) {
        rm_file *file = &rm_open[i];
        unsigned slot = 0;
        for (unsigned t = 0; t < file->lay.ntypes; t++) {
            unsigned n = rm_type_count(&file->lay, t);
            for (unsigned k = 0; k < n; k++, slot++)
                if (file->slots[slot] == h) {
                    *hit = (rm_hit){ file, slot, rm_ref(&file->lay, t, k) };
                    return true;
                }
        }
    }
    return false;
}

/* ---- reading resources into handles ------------------------------------------------------- */

/* The resource's handle state from its attributes: resource bit, purgeable, locked. */
static void rm_apply_state(Handle h, const uint8_t *ref)
{
    uint8_t attrs = ref[4];
    HSetRBit(h);
    if (attrs & resPurgeable)
        HPurge(h);
    if (attrs & resLocked)
        HLock(h);
}

/* Read the resource into h's (empty) master pointer, in h's own zone. */
static OSErr rm_read_into(const rm_hit *hit, Handle h)
{
    const rm_layout *l = &hit->file->lay;
    Size len = (Size)rm_ref_len(l, hit->ref);
    ReallocateHandle(h, len);
    OSErr e = MemError();
    if (e != noErr)
        return e;
    BlockMoveData(rm_ref_data(l, hit->ref), *h, len);
    rm_apply_state(h, hit->ref);
    return noErr;
}

/* The handle for a found reference: the existing one (read back in if it
 * was purged), or a new one, loaded unless SetResLoad(false). */
static Handle rm_materialize(const rm_hit *hit)
{
    Handle h = hit->file->slots[hit->slot];
    if (h != NULL) {
        if (*h == NULL && !rm_noload) {
            OSErr e = rm_read_into(hit, h);
            rm_set(e);
            return e == noErr ? h : NULL;
        }
        rm_set(noErr);
        return h;
    }
    bool sys = (hit->ref[4] & resSysHeap) != 0;
    h = sys ? NewEmptyHandleSys() : NewEmptyHandle();
    if (h == NULL) {
        rm_set(memFullErr);
        return NULL;
    }
    if (!rm_noload) {
        OSErr e = rm_read_into(hit, h);
        if (e != noErr) {
            DisposeHandle(h);
            rm_set(e);
            return NULL;
        }
    }
    hit->file->slots[hit->slot] = h;
    rm_set(noErr);
    return h;
}

static Handle rm_get(ResType type, rm_match_fn match, const void *key, bool one_file)
{
    rm_hit hit;
    if (!rm_find(type, match, key, one_file, &hit)) {
        rm_set(resNotFound);
        return NULL;
    }
    return rm_materialize(&hit);
}

Handle GetResource(ResType theType, short theID)
{
    return rm_get(theType, rm_match_id, &theID, false);
}

Handle Get1Resource(ResType theType, short theID)
{
    return rm_get(theType, rm_match_id, &theID, true);
}

Handle GetNamedResource(ResType theType, ConstStr255Param name)
{
    if (name == NULL) {
        rm_set(paramErr);
        return NULL;
    }
    return rm_get(theType, rm_match_name, name, false);
}

Handle Get1NamedResource(ResType theType, ConstStr255Param name)
{
    if (name == NULL) {
        rm_set(paramErr);
        return NULL;
    }
    return rm_get(theType, rm_match_name, name, true);
}

/* The number of references of type in file i. */
static unsigned rm_count_in(int i, ResType type)
{
    unsigned first;
    int t = rm_find_type(&rm_open[i], type, &first);
    return t < 0 ? 0 : rm_type_count(&rm_open[i].lay, (unsigned)t);
}

static short rm_count(ResType type, bool one_file)
{
    unsigned n = 0;
    for (int i = rm_cur; i >= 0; i--) {
        n += rm_count_in(i, type);
        if (one_file)
            break;
    }
    rm_set(noErr);
    return (short)(n > 0x7FFF ? 0x7FFF : n);
}

short CountResources(ResType theType)
{
    return rm_count(theType, false);
}

short Count1Resources(ResType theType)
{
    return rm_count(theType, true);
}

/* The index-th (1-based) reference of type, over the chain from the current file. */
static Handle rm_get_ind(ResType type, short index, bool one_file)
{
    if (index >= 1) {
        unsigned left = (unsigned)index;
        for (int i = rm_cur; i >= 0; i--) {
            unsigned n = rm_count_in(i, type);
            if (left <= n) {
                unsigned first;
                int t = rm_find_type(&rm_open[i], type, &first);
                rm_hit hit = { &rm_open[i], first + left - 1, rm_ref(&rm_open[i].lay, (unsigned)t, left - 1) };
                return rm_materialize(&hit);
            }
            left -= n;
            if (one_file)
                break;
        }
    }
    rm_set(resNotFound);
    return NULL;
}

Handle GetIndResource(ResType theType, short index)
{
    return rm_get_ind(theType, index, false);
}

Handle Get1IndResource(ResType theType, short index)
{
    return rm_get_ind(theType, index, true);
}

/* ---- calls on a resource's handle ------------------------------------------------------------ */

void LoadResource(Handle theResource)
{
    rm_hit hit;
    if (!rm_find_handle(theResource, &hit)) {
        rm_set(resNotFound);
        return;
    }
    rm_set(*theResource == NULL ? rm_read_into(&hit, theResource) : noErr);
}

void ReleaseResource(Handle theResource)
{
    rm_hit hit;
    if (!rm_find_handle(theResource, &hit)) {
        rm_set(resNotFound);
        return;
    }
    hit.file->slots[hit.slot] = NULL;
    HClrRBit(theResource);
    DisposeHandle(theResource);
    rm_set(noErr);
}

void DetachResource(Handle theResource)
{
    rm_hit hit;
    if (!rm_find_handle(theResource, &hit)) {
        rm_set(resNotFound);
        return;
    }
    hit.file->slots[hit.slot] = NULL;
    if (*theResource != NULL)
        HClrRBit(theResource);
    rm_set(noErr);
}

void GetResInfo(Handle theResource, short *theID, ResType *theType, Str255 name)
{
    rm_hit hit;
    if (!rm_find_handle(theResource, &hit)) {
        rm_set(resNotFound);
        return;
    }
    if (theID != NULL)
        *theID = (short)rm_rd16(hit.ref);
    if (theType != NULL) {
        unsigned first;
        for (unsigned t = 0; t < hit.file->lay.ntypes; t++) {
            ResType type = rm_rd32(rm_type_entry(&hit.file->lay, t));
            if (rm_find_type(hit.file, type, &first) >= 0 && hit.slot >= first &&
                hit.slot < first + rm_type_count(&hit.file->lay, t))
                *theType = type;
        }
    }
    if (name != NULL) {
        const uint8_t *n = rm_ref_name(&hit.file->lay, hit.ref);
        name[0] = 0;
        for (unsigned i = 0; n != NULL && i <= n[0]; i++)
            name[i] = n[i];
    }
    rm_set(noErr);
}

short GetResAttrs(Handle theResource)
{
    rm_hit hit;
    if (!rm_find_handle(theResource, &hit)) {
        rm_set(resNotFound);
        return 0;
    }
    rm_set(noErr);
    return hit.ref[4];
}

long GetResourceSizeOnDisk(Handle theResource)
{
    rm_hit hit;
    if (!rm_find_handle(theResource, &hit)) {
        rm_set(resNotFound);
        return -1;
    }
    rm_set(noErr);
    return (long)rm_ref_len(&hit.file->lay, hit.ref);
}

long SizeResource(Handle theResource)
{
    return GetResourceSizeOnDisk(theResource);
}

short HomeResFile(Handle theResource)
{
    rm_hit hit;
    if (!rm_find_handle(theResource, &hit)) {
        rm_set(resNotFound);
        return -1;
    }
    rm_set(noErr);
    return hit.file->refNum;
}
