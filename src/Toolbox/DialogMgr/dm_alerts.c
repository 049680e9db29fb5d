/*
 * dm_alerts.c - alerts: ALRT templates, the four alert stages, the alert
 * box built and run as a modal dialog, and CouldAlert/CouldDialog.
 *
 * Stage rule (Inside Macintosh): g_dm.alert_id is the last alert shown
 * and g_dm.alert_count its stage minus one; showing the same alert again
 * moves to the next stage, the fourth repeating, and any other alert
 * starts at the first. The stage's nibble of the ALRT's stages word gives
 * the sound, whether the box is drawn, and the default item.
 */
#include "dm_internal.h"

enum {
    DM_ALRT_MIN = 12,               /* rect 8, DITL ID 2, stages 2 (then an optional position word) */
    DM_STAGE_DEFAULT_CANCEL = 8,
    DM_STAGE_DRAWN = 4,
    DM_STAGE_SOUND = 3,
    DM_POS_ALERT_MAIN = 0x300A,     /* alertPositionMainScreen */
    DM_POS_CENTER_MAIN = 0x280A,    /* centerMainScreen */
    DM_MENU_BAR = 20,
};

SInt16 GetAlertStage(void)
{
    return g_dm.alert_count < 0 ? 0 : g_dm.alert_count;
}

void ResetAlertStage(void)
{
    g_dm.alert_count = -1;
}

/* r moved to the place a positioning word asks for on the main screen. */
static void dm_position(Rect *r, unsigned pos)
{
    if (pos != DM_POS_ALERT_MAIN && pos != DM_POS_CENTER_MAIN)
        return;
    const Rect *s = &qd.screenBits.bounds;
    short w = (short)(r->right - r->left), h = (short)(r->bottom - r->top);
    short room = (short)(s->bottom - s->top - DM_MENU_BAR - h);
    short left = (short)(s->left + (s->right - s->left - w) / 2);
    short top = (short)(s->top + DM_MENU_BAR + (pos == DM_POS_ALERT_MAIN ? room / 3 : room / 2));
    if (room < 0)
        top = (short)(s->top + DM_MENU_BAR);
    OffsetRect(r, (short)(left - r->left), (short)(top - r->top));
}

static DialogPtr dm_build_alert(const Rect *r, short ditl)
{
    Handle items = dm_copy_ditl(ditl);
    if (items == NULL)
        return NULL;
    DialogPtr d = NewDialog(NULL, r, (ConstStr255Param) "", true, dBoxProc, (WindowPtr)(intptr_t)-1, false, 0, items);
    if (d == NULL) {
        OSErr e = g_dm.err;
        DisposeHandle(items);
        g_dm.err = e;
    }
    return d;
}

DialogItemIndex Alert(SInt16 alertID, ModalFilterUPP modalFilter)
{
    bool release;
    Handle h = dm_template(DM_TYPE('A', 'L', 'R', 'T'), alertID, &release);
    if (h == NULL)
        return -1;
    const unsigned char *b = (const unsigned char *)*h;
    Size len = GetHandleSize(h);
    if (len < DM_ALRT_MIN) {
        if (release)
            ReleaseResource(h);
        g_dm.err = paramErr;
        return -1;
    }
    Rect r = { (short)dm_get16(b), (short)dm_get16(b + 2), (short)dm_get16(b + 4), (short)dm_get16(b + 6) };
    short ditl = (short)dm_get16(b + 8);
    unsigned stages = dm_get16(b + 10), pos = len >= DM_ALRT_MIN + 2 ? dm_get16(b + 12) : 0;
    if (release)
        ReleaseResource(h);

    if (alertID == g_dm.alert_id)
        g_dm.alert_count = (SInt16)(g_dm.alert_count < DM_ALERT_STAGES - 1 ? g_dm.alert_count + 1 : DM_ALERT_STAGES - 1);
    else
        g_dm.alert_count = 0;
    g_dm.alert_id = alertID;
    unsigned nib = stages >> (4 * g_dm.alert_count) & 0xF;
    if (g_dm.sound)
        g_dm.sound((SInt16)(nib & DM_STAGE_SOUND));
    g_dm.err = noErr;
    if ((nib & DM_STAGE_DRAWN) == 0)
        return -1;

    dm_position(&r, pos);
    DialogPtr d = dm_build_alert(&r, ditl);
    if (d == NULL && g_dm.err == memFullErr && GetZone() != SystemZone()) {
        THz home = GetZone();                 /* the System zone keeps room for this */
        SetZone(SystemZone());
        d = dm_build_alert(&r, ditl);
        SetZone(home);
    }
    if (d == NULL)
        return -1;
    dm_mark_alert(d, (nib & DM_STAGE_DEFAULT_CANCEL) ? cancel : ok);
    DialogItemIndex item = 0;
    ModalDialog(modalFilter, &item);
    DisposeDialog(d);
    return item;
}

DialogItemIndex StopAlert(SInt16 alertID, ModalFilterUPP modalFilter)
{
    return Alert(alertID, modalFilter);
}

DialogItemIndex NoteAlert(SInt16 alertID, ModalFilterUPP modalFilter)
{
    return Alert(alertID, modalFilter);
}

DialogItemIndex CautionAlert(SInt16 alertID, ModalFilterUPP modalFilter)
{
    return Alert(alertID, modalFilter);
}

/* ---- preloading ------------------------------------------------------------------------------- */

/* Resource h made unpurgeable (read back in if it was purged) or
 * purgeable again when its attributes say so. */
static void dm_keep(Handle h, bool keep)
{
    if (h == NULL)
        return;
    if (!keep) {
        if (GetResAttrs(h) & resPurgeable)
            HPurge(h);
        return;
    }
    HNoPurge(h);
    if (*h == NULL)
        LoadResource(h);
}

/* Template type/id and the DITL it names (at ditl_at), kept in memory or
 * let go; each is made unpurgeable as soon as it is read, so reading the
 * next cannot purge it. */
static void dm_could(ResType type, short id, Size ditl_at, bool keep)
{
    Handle h = GetResource(type, id);
    dm_keep(h, keep);
    if (h == NULL || *h == NULL || GetHandleSize(h) < ditl_at + 2) {
        g_dm.err = h == NULL || *h == NULL ? resNotFound : paramErr;
        return;
    }
    short ditl = (short)dm_get16((const unsigned char *)*h + ditl_at);
    Handle items = GetResource(DM_TYPE('D', 'I', 'T', 'L'), ditl);
    dm_keep(items, keep);
    g_dm.err = items == NULL || *items == NULL ? resNotFound : noErr;
}

void CouldAlert(SInt16 alertID)
{
    dm_could(DM_TYPE('A', 'L', 'R', 'T'), alertID, 8, true);
}

void FreeAlert(SInt16 alertID)
{
    dm_could(DM_TYPE('A', 'L', 'R', 'T'), alertID, 8, false);
}

void CouldDialog(SInt16 dialogID)
{
    dm_could(DM_TYPE('D', 'L', 'O', 'G'), dialogID, 18, true);
}

void FreeDialog(SInt16 dialogID)
{
    dm_could(DM_TYPE('D', 'L', 'O', 'G'), dialogID, 18, false);
}
